"""The monthly summary (月度数据摘要): on or after the 1st of a month, each chair gets the
previous month's key figures of her unit by the notification path (inbox, and e-mail where
the e-mail channel is configured), with a link to the dashboard. Run hourly by the worker
(registered in DashboardConfig.ready).

Who gets it: the holders of dashboard.view_dashboard whose role is assigned on the union
committee or on a branch union (the committee's chair, vice-chairs and 企业领导; each branch's
chair and cadres), each for the top such unit they hold: a branch chair's summary counts her
branch's subtree only. Cadres of union groups and global assignments get none.

Once only: a MonthlySummarySent row per (user, month), created in the transaction that queues
the message; a second worker or a rerun meets the unique constraint and sends nothing. The
summary of a month is never sent before that month has ended (the month summarised is always
the one before today's).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.accounts.models import RoleAssignment, User
from zhijia.core import figures
from zhijia.core.notify import notify
from zhijia.core.permissions import registry
from zhijia.dashboard import queries, rules
from zhijia.dashboard.models import MonthlySummarySent
from zhijia.dashboard.permissions import VIEW_DASHBOARD
from zhijia.org.models import OrgUnit

logger = logging.getLogger("zhijia.dashboard")

KIND = "dashboard.monthly_summary"
# The levels whose holders get a summary (DESIGN.md: the chair of the enterprise union and
# the chairs of the branch unions report; a union group does not).
SUMMARY_KINDS = (OrgUnit.Kind.COMMITTEE, OrgUnit.Kind.BRANCH)


def previous_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The month before `today`'s, both ends included: 2026-03-15 -> (2026-02-01, 2026-02-28)."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def recipients() -> list[tuple[User, OrgUnit]]:
    """(user, unit): each active holder of the dashboard permission by an assignment on an open
    committee or branch, with the top such unit she holds; ordered by user id."""
    roles = sorted(registry()[VIEW_DASHBOARD].roles)
    assignments = (
        RoleAssignment.objects.filter(
            role__in=roles,
            org_unit__kind__in=SUMMARY_KINDS,
            org_unit__closed_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user", "org_unit")
        .order_by("user_id")
    )
    top: dict[int, tuple[User, OrgUnit]] = {}
    for a in assignments:
        unit = a.org_unit
        assert unit is not None  # filtered on its kind
        held = top.get(a.user_id)
        if held is None or (len(unit.path), unit.path) < (len(held[1].path), held[1].path):
            top[a.user_id] = (a.user, unit)
    return [top[pk] for pk in sorted(top)]


def summary_lines(scope: figures.Scope) -> list[str]:
    """Every declared figure over the scope, one line each ("在册会员：3 人"), under the heading
    of its module, in the dashboard's order."""
    by_module: dict[str, list[str]] = {}
    for figure in figures.declared():
        value = figure.compute(scope)
        shown = rules.show(value)
        line = f"{figure.label}：{shown}" + (f" {figure.unit}" if value is not None else "")
        by_module.setdefault(figure.module, []).append(line)
    lines: list[str] = []
    for module in sorted(by_module, key=rules.module_rank):
        lines.append(f"【{queries.GROUP_LABELS.get(module, module)}】")
        lines.extend(by_module[module])
        lines.append("")
    return lines[:-1]


def _title(unit: OrgUnit, start: dt.date) -> str:
    return _("%(unit)s %(year)d年%(month)d月数据摘要") % {
        "unit": unit.name,
        "year": start.year,
        "month": start.month,
    }


def _body(unit: OrgUnit, start: dt.date, end: dt.date) -> str:
    scope = figures.Scope(unit_path=unit.path, start=start, end=end)
    intro = _("%(unit)s（含下级组织）%(start)s 至 %(end)s 的主要数据：") % {
        "unit": unit.name,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    outro = _("完整数据、图表和明细请查看数据看板。")
    return "\n".join([intro, "", *summary_lines(scope), "", outro])


def send_summary(user: User, unit: OrgUnit, start: dt.date, end: dt.date) -> bool:
    """Queue one user's summary of the month starting `start`; False when it was sent already
    (the unique row is there: another worker, or an earlier run)."""
    body = _body(unit, start, end)
    try:
        with transaction.atomic():
            MonthlySummarySent.objects.create(user=user, month=start, org_unit=unit)
            notify(
                recipients=[user],
                kind=KIND,
                title=_title(unit, start),
                body=body,
                url=f"{reverse('dashboard:index')}?unit={unit.pk}&year={start.year}",
                unit=unit,
            )
    except IntegrityError:
        return False
    return True


def send_monthly_summaries(today: dt.date | None = None) -> int:
    """The sweep: send the previous month's summary to every recipient who has not had it yet.
    Returns how many were queued. Idempotent."""
    start, end = previous_month(today or timezone.localdate())
    done = set(MonthlySummarySent.objects.filter(month=start).values_list("user_id", flat=True))
    sent = 0
    for user, unit in recipients():
        if user.pk in done:
            continue
        if send_summary(user, unit, start, end):
            sent += 1
    if sent:
        logger.info("monthly summaries of %s sent: %d", start.strftime("%Y-%m"), sent)
    return sent
