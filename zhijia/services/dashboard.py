"""Module services's plug-in file: its dashboard figures, searchable records and exports
(zhijia.core.figures, zhijia.core.searchables)."""

from __future__ import annotations

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.core import searchables
from zhijia.core.permissions import has_perm, scope_q
from zhijia.services.models import (
    Activity,
    ActivityRegistration,
    Honour,
    LearningCourse,
    Suggestion,
)
from zhijia.services.permissions import MANAGE_ACTIVITIES, MANAGE_HONOURS, MANAGE_LEARNING
from zhijia.services.queries import activities as activity_queries
from zhijia.services.queries import honours as honour_queries
from zhijia.services.queries import learning as learning_queries
from zhijia.services.queries import suggestions as suggestion_queries
from zhijia.services.workflows import SHOWN

# Searchable records ----------------------------------------------------------------------------
#
# Activities and courses are indexed when published, under their unit; members search them all
# and each hit is re-checked against the audience. Suggestions are found by their authors,
# co-authors and the roles that handle them; honours by the cadres who keep the registry.


def _pks(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


def _member_scope(user) -> Q | None:
    return Q() if activity_queries.member_of(user) is not None else None


def _visible_activities(user, ids: list[str]) -> list[int]:
    q = scope_q(user, MANAGE_ACTIVITIES) if has_perm(user, MANAGE_ACTIVITIES) else Q(pk__in=[])
    member = activity_queries.member_of(user)
    if member is not None:
        mine = ActivityRegistration.objects.filter(user=user).values("activity_id")
        q |= Q(state__in=SHOWN) & (activity_queries._audience_q(member) | Q(pk__in=mine))
    return list(Activity.objects.filter(q, pk__in=_pks(ids)).values_list("pk", flat=True))


def _activity_entries():
    rows = Activity.objects.filter(state__in=SHOWN).select_related("org_unit").order_by("pk")
    for a in rows:
        yield searchables.Entry(a.pk, a.title, f"{a.description}\n{a.place}", a.org_unit.path)


def _visible_courses(user, ids: list[str]) -> list[int]:
    pks = _pks(ids)
    readable = learning_queries.courses_for_worker(user).filter(pk__in=pks)
    managed = learning_queries.managed_courses(user).filter(pk__in=pks)
    return list(readable.values_list("pk", flat=True)) + list(managed.values_list("pk", flat=True))


def _course_entries():
    rows = LearningCourse.objects.exclude(state="draft").select_related("org_unit").order_by("pk")
    for c in rows:
        yield searchables.Entry(c.pk, c.title, c.description, c.org_unit.path)


def _suggestion_scope(user) -> Q:
    visible = suggestion_queries.visible_to(user).annotate(search_id=Cast("pk", CharField()))
    return Q(target_id__in=visible.values("search_id"))


def _visible_suggestions(user, ids: list[str]) -> list[int]:
    visible = suggestion_queries.visible_to(user).filter(pk__in=_pks(ids))
    return list(visible.values_list("pk", flat=True))


def _suggestion_entries():
    for s in Suggestion.objects.select_related("org_unit").order_by("pk"):
        text = "\n".join([s.problem, s.proposal, s.expected_benefit])
        yield searchables.Entry(s.pk, s.title, text, s.org_unit.path)


def _managed_honours(user, ids: list[str]) -> list[int]:
    managed = honour_queries.managed_honours(user).filter(pk__in=_pks(ids))
    return list(managed.values_list("pk", flat=True))


def _honour_entries():
    for h in Honour.objects.select_related("org_unit", "member").order_by("pk"):
        title = f"{h.title} · {h.holder_name}"
        yield searchables.Entry(h.pk, title, honour_queries.index_text(h), h.org_unit.path)


searchables.register(
    searchables.Searchable(
        type=activity_queries.SEARCH_TYPE,
        label=_("活动"),
        module="services",
        permission=MANAGE_ACTIVITIES,
        extra_scope=_member_scope,
        recheck=_visible_activities,
        url=lambda target_id: reverse("services:activities-detail", args=[target_id]),
        reindex=_activity_entries,
        order=50,
    )
)

searchables.register(
    searchables.Searchable(
        type=learning_queries.SEARCH_TYPE,
        label=_("培训课程"),
        module="services",
        permission=MANAGE_LEARNING,
        extra_scope=_member_scope,
        recheck=_visible_courses,
        url=lambda target_id: reverse("services:learning-course", args=[target_id]),
        reindex=_course_entries,
        order=60,
    )
)

searchables.register(
    searchables.Searchable(
        type=suggestion_queries.SEARCH_TYPE,
        label=_("合理化建议"),
        module="services",
        extra_scope=_suggestion_scope,
        recheck=_visible_suggestions,
        url=lambda target_id: reverse("services:suggestions-detail", args=[target_id]),
        reindex=_suggestion_entries,
        order=70,
    )
)

searchables.register(
    searchables.Searchable(
        type=honour_queries.SEARCH_TYPE,
        label=_("荣誉"),
        module="services",
        permission=MANAGE_HONOURS,
        recheck=_managed_honours,
        url=lambda target_id: reverse("services:honours-desk-honour", args=[target_id]),
        reindex=_honour_entries,
        order=80,
    )
)
