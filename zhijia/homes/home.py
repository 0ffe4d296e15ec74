"""What homes adds to the home pages: the cadres' to-dos of the 建家 rounds (a branch's
self-assessment to fill and submit; the committee's self-assessments to review)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from zhijia.core.home import Todo, register_todos
from zhijia.core.permissions import has_perm


def todos(user) -> list[Todo]:
    from zhijia.homes.permissions import MANAGE
    from zhijia.homes.queries.assessments import visible_assessments
    from zhijia.homes.workflows import ASSESSMENT

    if not getattr(user, "is_authenticated", False) or not has_perm(user, MANAGE):
        return []
    open_ = visible_assessments(user).filter(round__closed_at__isnull=True)
    items: list[Todo] = []
    for assessment in open_.filter(state=ASSESSMENT.states.draft)[:3]:
        if has_perm(user, MANAGE, unit=assessment.round.org_unit):
            continue  # the committee does not fill the branches' self-assessments
        items.append(
            Todo(
                _("填报建家自评：%(round)s") % {"round": assessment.round.title},
                reverse("homes:assessment", args=[assessment.pk]),
                detail=_("截止 %(due)s") % {"due": assessment.round.due_on.isoformat()},
                order=60,
            )
        )
    waiting = [
        a
        for a in open_.filter(state=ASSESSMENT.states.submitted)[:20]
        if has_perm(user, MANAGE, unit=a.round.org_unit)
    ]
    if waiting:
        items.append(
            Todo(
                _("评审建家自评 %(count)d 份") % {"count": len(waiting)},
                reverse("homes:round", args=[waiting[0].round_id]),
                order=61,
            )
        )
    return items


register_todos(todos)
