"""The satisfaction index (满意度指数): the union's yardstick, one rating scale for every service.

Every module that asks a worker for a rating on the shared scale (zhijia.core.satisfaction)
records it here too, inside the transaction of its own rating action:

    from zhijia.core import satisfaction_index

    satisfaction_index.register_service("cases.grievance", _("职工诉求"), order=10)  # ready()
    satisfaction_index.record_rating(
        service="cases.grievance", rating=rating, unit=grievance.org_unit,
        record_id=grievance.pk, label=grievance.number, url=grievance_url,
    )

The index of a service over a period is the share of 满意 + 基本满意 among its ratings
(core.satisfaction.satisfaction_rate, as the union's reports count it), shown with the number of
ratings behind it, per service, per unit (the worker's union unit, subtree included) and per
month. Everything is counted within the viewer's scope (permission core.view_satisfaction).

A 不满意 opens a follow-up (回访, workflow core.rating_follow_up) for the cadres of the worker's
unit (core.follow_up_rating, nearest level that has holders): they call the worker back and write
what they found, within ZHIJIA_FOLLOW_UP_WORKDAYS working days; an overdue follow-up is raised
to the level above. A module passes `follow_up=False` where no cadre may learn whose record it
is (counseling: the rating is counted, nothing else leaves the counselor's room).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core.errors import ActionRefused
from zhijia.core.models import Rating, RatingFollowUp
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, register, scope_q
from zhijia.core.satisfaction import CODES, Satisfaction, percent, satisfaction_rate

VIEW_SATISFACTION = "core.view_satisfaction"
FOLLOW_UP_RATING = "core.follow_up_rating"

register(
    VIEW_SATISFACTION,
    roles=["cadre", "viewer"],
    description="查看本级及下级工会的满意度指数（只有数字，不含评价人）",
)
register(
    FOLLOW_UP_RATING,
    roles=["cadre"],
    description="对本级及下级工会职工的“不满意”评价进行回访并记录回访情况",
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The page's default period: this many months back from the current one (included).
DEFAULT_MONTHS = 12


class RatingRefused(ActionRefused):
    pass


# --- the services that are rated --------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    code: str
    label: str
    order: int = 100


_SERVICES: dict[str, Service] = {}


def register_service(code: str, label, *, order: int = 100) -> None:
    _SERVICES[code] = Service(code, label, order)


def services() -> list[Service]:
    return sorted(_SERVICES.values(), key=lambda s: (s.order, s.code))


def service_label(code: str) -> str:
    service = _SERVICES.get(code)
    return str(service.label) if service else code


# --- writing ----------------------------------------------------------------------------------


def record_rating(
    *,
    service: str,
    rating: str,
    unit,
    record_id: object = "",
    label: str | None = "",
    url: str | None = "",
    follow_up: bool = True,
) -> Rating:
    """Add one rating to the index (call it inside the rating action's transaction). `unit` is
    the rating worker's union unit (or its path). A 不满意 with `follow_up` opens a follow-up
    and tells the unit's cadres after the commit."""
    if service not in _SERVICES:
        raise LookupError(f"unregistered satisfaction service {service!r}")
    if rating not in CODES:
        raise RatingRefused(_("请选择满意度"), field="rating")
    unit_path = unit if isinstance(unit, str) else unit.path
    row = Rating.objects.create(
        service=service,
        rating=rating,
        unit_path=unit_path,
        record_id=str(record_id or "")[:40],
        record_label=(label or "")[:200],
        record_url=(url or "")[:300],
    )
    if follow_up and rating == Satisfaction.DISSATISFIED:
        _open_follow_up(row)
    return row


def _open_follow_up(row: Rating) -> RatingFollowUp:
    from zhijia.core.workflow import start
    from zhijia.core.workflows import FOLLOW_UP

    follow = RatingFollowUp.objects.create(rating=row, unit_path=row.unit_path)
    start(FOLLOW_UP, follow, actor=None)
    _tell_cadres(
        follow,
        kind="core.rating_follow_up",
        title=_("职工评价“不满意”，请回访：%(service)s") % {"service": service_label(row.service)},
        body=_("%(service)s %(record)s 收到“不满意”评价，请在期限内回访职工并记录回访情况。")
        % {"service": service_label(row.service), "record": row.record_label},
    )
    return follow


def _tell_cadres(follow: RatingFollowUp, *, kind: str, title: str, body: str, path=None) -> None:
    from types import SimpleNamespace

    from django.urls import reverse

    unit = SimpleNamespace(path=path or follow.unit_path)
    cadres = holders(FOLLOW_UP_RATING, unit, nearest=True, include_global=False)
    url = reverse("core:follow-up", args=[follow.pk])
    transaction.on_commit(
        lambda: notify(recipients=cadres, kind=kind, title=title, body=body, url=url, unit=unit)
    )


@transaction.atomic
def do_complete_follow_up(*, actor, follow_up: RatingFollowUp, note: str) -> RatingFollowUp:
    """The cadre's record of the call-back; closes the follow-up."""
    from zhijia.core.workflow import do_transition, precheck
    from zhijia.core.workflows import FOLLOW_UP

    follow_up = RatingFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    note = (note or "").strip()
    checked = precheck(FOLLOW_UP, follow_up, "complete", actor)
    if not note:
        raise RatingRefused(_("请填写回访情况"), field="note")
    follow_up.note = note[:4000]
    follow_up.save(update_fields=["note"])
    do_transition(FOLLOW_UP, follow_up, "complete", actor=actor, note=note, prechecked=checked)
    return follow_up


def notify_overdue(follow_up: RatingFollowUp, event) -> None:
    """The escalation's effect (in the sweep's transaction): the level above is told."""
    parts = [p for p in follow_up.unit_path.split("/") if p]
    above = "/" + "/".join(parts[:-1]) + "/" if len(parts) > 1 else follow_up.unit_path
    _tell_cadres(
        follow_up,
        kind="core.rating_follow_up_overdue",
        title=_("满意度回访超期：%(service)s")
        % {"service": service_label(follow_up.rating.service)},
        body=_("%(service)s %(record)s 的“不满意”评价超过期限仍未回访，请督促办理。")
        % {
            "service": service_label(follow_up.rating.service),
            "record": follow_up.rating.record_label,
        },
        path=above,
    )


def follow_up_workdays() -> int:
    return int(settings.ZHIJIA_FOLLOW_UP_WORKDAYS)


# --- reading ----------------------------------------------------------------------------------


@dataclass
class Figure:
    """Ratings per code and the index they give (None when nothing was rated)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, code: str, n: int) -> None:
        self.counts[code] = self.counts.get(code, 0) + n

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rate(self) -> Fraction | None:
        return satisfaction_rate(self.counts)

    @property
    def percent(self) -> int | None:
        return percent(self.rate)

    def count(self, code: str) -> int:
        return self.counts.get(code, 0)

    @property
    def by_code(self) -> list[int]:
        """The counts in the scale's order (满意, 基本满意, 不满意)."""
        return [self.count(code) for code in CODES]


@dataclass
class ServiceRow:
    service: Service
    figure: Figure
    months: list[tuple[date, Figure]]


@dataclass
class UnitRow:
    path: str
    name: str
    figure: Figure


@dataclass
class Index:
    since: date
    until: date  # exclusive: the first day after the period
    total: Figure
    services: list[ServiceRow]
    months: list[tuple[date, Figure]]


def month_starts(since: date, until: date) -> list[date]:
    months, day = [], since.replace(day=1)
    while day < until:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def period(months: int = DEFAULT_MONTHS, today: date | None = None) -> tuple[date, date]:
    """The last `months` months, the current one included: (first day, first day after)."""
    today = today or timezone.localdate()
    until = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    since = today.replace(day=1)
    for _month in range(months - 1):
        since = (since - timedelta(days=1)).replace(day=1)
    return since, until


def ratings_visible_to(user, *, unit_path: str | None = None) -> QuerySet[Rating]:
    qs = Rating.objects.filter(scope_q(user, VIEW_SATISFACTION, path_field="unit_path"))
    if unit_path:
        qs = qs.filter(unit_path__startswith=unit_path)
    return qs


def _in_period(qs: QuerySet[Rating], since: date, until: date) -> QuerySet[Rating]:
    start = datetime.combine(since, datetime.min.time(), tzinfo=SHANGHAI)
    end = datetime.combine(until, datetime.min.time(), tzinfo=SHANGHAI)
    return qs.filter(rated_at__gte=start, rated_at__lt=end)


def index_for(user, *, since: date, until: date, unit_path: str | None = None) -> Index:
    """Per service and per month within the user's scope (and `unit_path`'s subtree)."""
    qs = _in_period(ratings_visible_to(user, unit_path=unit_path), since, until)
    grouped = (
        qs.annotate(month=TruncMonth("rated_at", tzinfo=SHANGHAI))
        .values_list("service", "month", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_service: dict[str, dict[date, Figure]] = defaultdict(lambda: defaultdict(Figure))
    for service, month, code, n in grouped:
        day = month.date() if isinstance(month, datetime) else month
        by_service[service][day].add(code, n)
    starts = month_starts(since, until)
    total, monthly = Figure(), {m: Figure() for m in starts}
    rows = []
    known = services()
    extra = [Service(code, code) for code in sorted(by_service) if code not in _SERVICES]
    for service in [*known, *extra]:
        months = by_service.get(service.code, {})
        figure = Figure()
        for day, fig in months.items():
            for code, n in fig.counts.items():
                figure.add(code, n)
                total.add(code, n)
                if day in monthly:
                    monthly[day].add(code, n)
        rows.append(ServiceRow(service, figure, [(m, months.get(m, Figure())) for m in starts]))
    return Index(since, until, total, rows, list(monthly.items()))


def units_for(
    user, *, since: date, until: date, parent_path: str, units: Iterable
) -> list[UnitRow]:
    """The index of each child of `parent_path` (from `units`: objects with path, name, depth
    as the member directory gives them), its subtree included, and of the parent's own level."""
    qs = _in_period(ratings_visible_to(user, unit_path=parent_path), since, until)
    grouped = qs.values_list("unit_path", "rating").annotate(n=Count("id")).order_by()
    children = [u for u in units if u.path.startswith(parent_path) and u.path != parent_path]
    depth = parent_path.count("/")
    children = [u for u in children if u.path.count("/") == depth + 1]
    figures = {u.path: Figure() for u in children}
    own = Figure()
    for path, code, n in grouped:
        rest = path[len(parent_path) :]
        child = parent_path + rest.split("/", 1)[0] + "/" if rest else None
        target = figures.get(child) if child else own
        (target if target is not None else own).add(code, n)
    rows = [UnitRow(u.path, u.name, figures[u.path]) for u in children]
    return [UnitRow(parent_path, _("本级"), own), *rows]


def follow_ups_visible_to(user) -> QuerySet[RatingFollowUp]:
    return RatingFollowUp.objects.filter(
        scope_q(user, FOLLOW_UP_RATING, path_field="unit_path")
    ).select_related("rating")


def access_follow_up(user, follow_up_id: int) -> RatingFollowUp:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from zhijia.core.permissions import has_perm

    if not has_perm(user, FOLLOW_UP_RATING):
        raise PermissionDenied(FOLLOW_UP_RATING)  # holds it nowhere: 403, as every module answers
    found = follow_ups_visible_to(user).filter(pk=follow_up_id).first()
    if found is None:
        raise Http404
    return found


def open_follow_ups_count(user) -> int:
    from zhijia.core.workflows import FOLLOW_UP

    return follow_ups_visible_to(user).filter(state=FOLLOW_UP.states.open).count()


def has_any(user) -> bool:
    from zhijia.core.permissions import has_perm

    return has_perm(user, VIEW_SATISFACTION)


SERVICE_HELP = gettext_lazy("满意度指数 =（满意 + 基本满意）÷ 全部评价，按评价职工所在工会统计。")


# --- what the index adds to the workspace -----------------------------------------------------


def figures(user):
    """The workspace's figure: the index of the last months in the user's scope."""
    from django.urls import reverse

    from zhijia.core.home import Figure
    from zhijia.core.permissions import has_perm

    if not has_perm(user, VIEW_SATISFACTION):
        return
    since, until = period()
    total = index_for(user, since=since, until=until).total
    if total.percent is None:
        return
    yield Figure(
        _("满意度指数（%）"),
        total.percent,
        detail=_("近 %(months)d 个月 %(n)d 条评价") % {"months": DEFAULT_MONTHS, "n": total.total},
        url=reverse("core:satisfaction"),
        order=900,
    )


def queues(user):
    """The cadres' queue of 不满意 ratings waiting for a call-back."""
    from django.urls import reverse

    from zhijia.core.permissions import has_perm
    from zhijia.core.queues import summarize
    from zhijia.core.workflows import FOLLOW_UP

    if not has_perm(user, FOLLOW_UP_RATING):
        return
    yield summarize(
        follow_ups_visible_to(user).filter(state=FOLLOW_UP.states.open),
        key="core.follow_ups",
        label=_("待回访的不满意评价"),
        url=reverse("core:follow-ups"),
        item_url=lambda pk: reverse("core:follow-up", args=[pk]),
        order=95,
    )
