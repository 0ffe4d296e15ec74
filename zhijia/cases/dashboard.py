"""What cases declares for the dashboards and reports (zhijia.core.figures): grievances
received by category, still overdue, answered on time, and the workers' satisfaction.
Counted by the worker's unit (`org_unit`), the grievance's place in the union tree; legal
questions are not grievances and are left out. Imported by CasesConfig.ready()."""

from __future__ import annotations

from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.cases.models import Category, Grievance, KnowledgeEntry
from zhijia.cases.permissions import ANSWER_CASE, VIEW_CASE
from zhijia.cases.queries import grievances as queries
from zhijia.cases.queries import knowledge as queries_knowledge
from zhijia.cases.queries.grievances import OPEN_STATES
from zhijia.core import dateranges, figures, searchables
from zhijia.core.figures import Figure, Scope
from zhijia.core.permissions import has_perm, scope_q
from zhijia.core.satisfaction import percent, satisfaction_rate

# Handling ended: answered (waiting for the worker's rating) or closed.
DONE_STATES = ("answered", "closed")


def _received(scope: Scope):
    return Grievance.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        kind=Grievance.Kind.GRIEVANCE,
        received_on__range=(scope.start, scope.end),
    ).exclude(state="")


def grievances_received(scope: Scope) -> int:
    return _received(scope).count()


def grievances_by_category(scope: Scope) -> figures.Rows:
    counts = dict(
        _received(scope).values_list("category").order_by().annotate(n=Count("pk"))  # type: ignore[arg-type]
    )
    return [(label, counts.get(code, 0)) for code, label in Category.choices]


def _open(scope: Scope):
    return Grievance.objects.filter(
        org_unit__path__startswith=scope.unit_path,
        kind=Grievance.Kind.GRIEVANCE,
        state__in=OPEN_STATES,
    )


def grievances_overdue(scope: Scope) -> int:
    """Open now and past their deadline (whenever received: what is late today)."""
    return _open(scope).filter(deadline_at__lt=timezone.now()).count()


def grievances_on_time_rate(scope: Scope) -> float | None:
    """Of those received in the period and answered or closed: the share never escalated
    (answered within the deadline of the level that had it)."""
    done = _received(scope).filter(state__in=DONE_STATES)
    counts = done.aggregate(n=Count("pk"), late=Count("pk", filter=Q(escalation_level__gt=0)))
    return figures.rate(counts["n"] - counts["late"], counts["n"])


def grievances_satisfaction(scope: Scope) -> int | None:
    ratings = dict(
        _received(scope).exclude(rating="").values_list("rating").order_by().annotate(n=Count("pk"))  # type: ignore[arg-type]
    )
    return percent(satisfaction_rate(ratings))


def _queue(scope: Scope, *, period: bool = False, **params: str) -> str:
    """The cadres' queue over the scope's unit; `period`: received within the scope's days."""
    query = "&".join(f"{k}={v}" for k, v in {"unit": str(scope.unit_id), **params}.items())
    if period:
        query += "&" + dateranges.query(scope.start, scope.end)
    return f"{reverse('cases:queue')}?{query}"


figures.register(
    Figure(
        key="cases.grievances_received",
        label=_("受理职工诉求"),
        module="cases",
        sources=("cases.grievance",),
        compute=grievances_received,
        unit=_("件"),
        order=10,
        link=lambda scope: _queue(scope, period=True, state="all", kind="grievance"),
        link_perm=VIEW_CASE,
        breakdown=grievances_by_category,
        chart="bar",
        description=_("按类别（不含法律咨询）"),
    )
)
figures.register(
    Figure(
        key="cases.grievances_overdue",
        label=_("超期未办结诉求"),
        module="cases",
        sources=("cases.grievance",),
        compute=grievances_overdue,
        changes_at=lambda scope: figures.next_deadline(_open(scope)),
        unit=_("件"),
        order=20,
        link=lambda scope: _queue(scope, state="open", kind="grievance", overdue="on"),
        link_perm=VIEW_CASE,
        description=_("当前已过办理期限仍未办结"),
    )
)
figures.register(
    Figure(
        key="cases.grievances_on_time_rate",
        label=_("诉求按期办结率"),
        module="cases",
        sources=("cases.grievance",),
        compute=grievances_on_time_rate,
        unit="%",
        order=30,
        # The grievances of the period (the answered and closed among them counted).
        link=lambda scope: _queue(scope, period=True, state="all", kind="grievance"),
        link_perm=VIEW_CASE,
        chart="percent",
        description=_("本期受理且已答复或办结的诉求中未超期升级的比例"),
    )
)
figures.register(
    Figure(
        key="cases.grievances_satisfaction",
        label=_("诉求办理满意率"),
        module="cases",
        sources=("cases.grievance",),
        compute=grievances_satisfaction,
        unit="%",
        order=40,
        link=lambda scope: _queue(scope, period=True, state="all", kind="grievance"),
        link_perm=VIEW_CASE,
        chart="percent",
        description=_("满意与基本满意占已评价的比例"),
    )
)


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
