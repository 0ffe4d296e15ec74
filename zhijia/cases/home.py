"""What cases adds to the home pages (registered in CasesConfig.ready, see zhijia.core.queues):
the work queues of cadres (grievances their level must handle, those escalated to it),
handlers (grievances assigned to their department) and mediators (requests to accept, cases
in mediation).

And its service entrances on the worker's phone (zhijia.core.entrances)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from zhijia.cases.permissions import ANSWER_CASE, ASSIGN_CASE, MANAGE_MEDIATION, VIEW_CASE
from zhijia.cases.queries import grievances as queries
from zhijia.cases.queries import mediation as queries_mediation
from zhijia.core.entrances import Entrance
from zhijia.core.permissions import has_perm
from zhijia.core.queues import summarize


def _grievance_url(pk) -> str:
    return reverse("cases:grievance-detail", args=[pk])


def _mediation_url(pk) -> str:
    return reverse("cases:mediation-detail", args=[pk])


def _box_queue(user):
    """The chair's entry to the anonymous box: the letters opened from it that wait for
    handling at the user's level, and a note on letters of earlier days still sealed (today's
    letters are never counted before the opening: see queries.sealed_letters_for_user)."""
    sealed = queries.sealed_letters_for_user(user, today=timezone.localdate())
    note = (
        ngettext(
            "另有 %(n)d 封来信待开箱",
            "另有 %(n)d 封来信待开箱",
            sealed,
        )
        % {"n": sealed}
        if sealed
        else ""
    )
    return summarize(
        queries.queue_for_user(
            user, queries.QueueFilters(state="submitted", mine=True, anonymous=True)
        ),
        key="cases.box",
        label=_("匿名信箱来信"),
        url=reverse("cases:queue") + "?state=submitted&mine=on&anonymous=box",
        item_url=_grievance_url,
        order=10,
        note=note,
    )


def queues(user):
    if has_perm(user, VIEW_CASE) and has_perm(user, ASSIGN_CASE):
        yield summarize(
            queries.queue_for_user(
                user, queries.QueueFilters(state="submitted", mine=True, anonymous=False)
            ),
            key="cases.to_handle",
            label=_("待办理的诉求"),
            url=reverse("cases:queue") + "?state=submitted&mine=on&anonymous=named",
            item_url=_grievance_url,
            order=10,
        )
        yield _box_queue(user)
        yield summarize(
            queries.queue_for_user(
                user, queries.QueueFilters(state="open", mine=True, escalated=True)
            ),
            key="cases.escalated",
            label=_("升级到本级的诉求"),
            url=reverse("cases:queue") + "?state=open&mine=on&escalated=on",
            item_url=_grievance_url,
            order=11,
        )
    if has_perm(user, ANSWER_CASE):
        yield summarize(
            queries.department_queue(user, queries.QueueFilters(state="assigned")),
            key="cases.to_answer",
            label=_("待答复的诉求"),
            url=reverse("cases:department-queue") + "?state=assigned",
            item_url=_grievance_url,
            order=12,
        )
    if has_perm(user, MANAGE_MEDIATION):
        yield summarize(
            queries_mediation.mediation_list(user, state="requested"),
            key="cases.mediation_requested",
            label=_("待受理的调解申请"),
            url=reverse("cases:mediation-list") + "?state=requested",
            item_url=_mediation_url,
            order=15,
        )
        yield summarize(
            queries_mediation.mediation_list(user, state="mediating"),
            key="cases.mediating",
            label=_("调解中的案件"),
            url=reverse("cases:mediation-list") + "?state=mediating",
            item_url=_mediation_url,
            order=16,
        )


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


ENTRANCES = [
    # The grievance form admits workers with a member record (queries.may_raise).
    Entrance(
        "cases.grievance",
        gettext_lazy("我要维权"),
        "cases:grievance-create",
        "shield",
        queries.may_raise,
        10,
    ),
    # The anonymous box is open to everyone; its pages never read the signed-in user.
    Entrance("cases.box", gettext_lazy("匿名信箱"), "cases:box", "mailbox", _signed_in, 20),
    # The published legal knowledge base, open to every signed-in user.
    Entrance(
        "cases.knowledge", gettext_lazy("法律咨询"), "cases:knowledge-list", "scale", _signed_in, 30
    ),
]
