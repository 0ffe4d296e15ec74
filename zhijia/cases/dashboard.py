"""Module cases's plug-in file: its dashboard figures, searchable records and exports
(zhijia.core.figures, zhijia.core.searchables)."""

from __future__ import annotations

from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhijia.cases.models import Grievance, KnowledgeEntry
from zhijia.cases.permissions import ANSWER_CASE, VIEW_CASE
from zhijia.cases.queries import grievances as queries
from zhijia.cases.queries import knowledge as queries_knowledge
from zhijia.core import searchables
from zhijia.core.permissions import has_perm, scope_q

# Searchable records ----------------------------------------------------------------------------
#
# Grievances are indexed under the worker's unit with their number, summary and text, never
# with a submitter's name (zhijia.cases.actions.grievances.index_grievance); anonymous box
# items are not indexed at all. Knowledge answers: the published ones, for anyone signed in.


def _ids_q(qs) -> Q:
    return Q(target_id__in=qs.annotate(search_id=Cast("pk", CharField())).values("search_id"))


def _grievance_extra(user) -> Q:
    """Beyond the subtrees where the user holds VIEW_CASE over the worker's unit or the
    handling level (the Searchable's permission, over both paths of an entry): her own
    grievances, and for department handlers the ones assigned to their departments."""
    q = Q(submitter=user)
    if has_perm(user, ANSWER_CASE):
        q |= scope_q(user, ANSWER_CASE, path_field="department__path")
    return _ids_q(Grievance.objects.filter(q).exclude(state=""))


def _visible_grievances(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    return list(queries.grievances_visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))


def _grievance_entries():
    rows = Grievance.objects.exclude(state="").select_related("org_unit", "handling_unit")
    for g in rows.order_by("pk").iterator(chunk_size=2000):
        title = f"{g.number or ''} {g.title}".strip()
        yield searchables.Entry(g.pk, title, g.text, g.org_unit.path, g.handling_unit.path)


def _published_knowledge(user, ids: list[str]) -> list[int]:
    pks = [int(i) for i in ids if i.isdigit()]
    return list(
        queries_knowledge.published_knowledge().filter(pk__in=pks).values_list("pk", flat=True)
    )


def _knowledge_entries():
    rows = KnowledgeEntry.objects.filter(is_published=True).select_related("org_unit")
    for e in rows.order_by("pk"):
        yield searchables.Entry(e.pk, e.question, f"{e.answer}\n{e.legal_basis}", e.org_unit.path)


searchables.register(
    searchables.Searchable(
        type=queries.SEARCH_TYPE,
        label=_("诉求"),
        module="cases",
        permission=VIEW_CASE,
        also_path=True,
        extra_scope=_grievance_extra,
        recheck=_visible_grievances,
        url=lambda target_id: reverse("cases:grievance-detail", args=[target_id]),
        reindex=_grievance_entries,
        order=30,
    )
)

searchables.register(
    searchables.Searchable(
        type=queries_knowledge.KNOWLEDGE_TYPE,
        label=_("法律问答"),
        module="cases",
        extra_scope=lambda user: Q(),  # published answers: anyone signed in
        recheck=_published_knowledge,
        url=lambda target_id: reverse("cases:knowledge-detail", args=[target_id]),
        reindex=_knowledge_entries,
        order=40,
    )
)
