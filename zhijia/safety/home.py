"""What safety adds to the home pages (registered in SafetyConfig.ready, see zhijia.core.queues):
the work queues of the hazard desk: reports to assign (managers), rectifications to do
(rectifying departments), fixes to verify (the safety supervisors).

And its service entrances on the worker's phone (zhijia.core.entrances)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core.entrances import Entrance
from zhijia.core.permissions import has_perm
from zhijia.core.queues import summarize
from zhijia.safety import queries
from zhijia.safety.permissions import MANAGE_HAZARD, RECTIFY_HAZARD


def _hazard_url(pk) -> str:
    return reverse("safety:hazard-detail", args=[pk])


def queues(user):
    desk = reverse("safety:queue")
    if has_perm(user, MANAGE_HAZARD):
        yield summarize(
            queries.queue(user, queries.QueueFilters(state="reported")),
            key="safety.to_assign",
            label=_("待分派的隐患"),
            url=desk + "?state=reported",
            item_url=_hazard_url,
            since_field="reported_at",
            order=50,
        )
    if has_perm(user, RECTIFY_HAZARD):
        yield summarize(
            queries.queue(user, queries.QueueFilters(unfinished=True)),
            key="safety.to_rectify",
            label=_("未整改完成的隐患"),
            url=desk + "?state=unfinished",
            item_url=_hazard_url,
            order=51,
        )
    if queries.supervisor_paths(user):
        yield summarize(
            queries.to_verify(user),
            key="safety.to_verify",
            label=_("待验收的隐患"),
            url=reverse("safety:home"),
            item_url=_hazard_url,
            order=52,
        )


ENTRANCES = [
    # Every member may report a hazard (queries.is_member); the page lists their reports too.
    Entrance(
        "safety.report", gettext_lazy("隐患随手拍"), "safety:home", "camera", queries.is_member, 70
    ),
]
