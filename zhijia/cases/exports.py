"""Excel outputs of module cases: the cadres' queue with its filters applied. No column names
the worker (an anonymous grievance has nobody to name, and a named one's submitter stays on
the case page)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.cases.models import Grievance
from zhijia.core.excel import Column, Sheet


def _rows(qs: QuerySet[Grievance]) -> Iterator[tuple]:
    now = timezone.now()
    for g in qs.iterator(chunk_size=2000):
        deadline = timezone.localtime(g.deadline_at) if g.deadline_at else None
        yield (
            g.number or str(g.pk),
            g.get_kind_display(),
            g.get_category_display(),
            g.title,
            _("匿名") if g.is_anonymous else _("实名"),
            str(g.org_unit),
            str(g.handling_unit) if g.handling_unit_id else "",
            str(g.department) if g.department_id else "",
            g.state_label,
            g.received_on,
            deadline.date() if deadline else None,
            _("超期") if g.deadline_at and g.deadline_at < now else "",
            g.get_rating_display() if g.rating else "",
        )


def queue_sheet(qs: QuerySet[Grievance]) -> Sheet:
    return Sheet(
        _("职工诉求"),
        [
            Column(_("编号"), text=True),
            Column(_("类型")),
            Column(_("类别")),
            Column(_("内容摘要")),
            Column(_("来源")),
            Column(_("所属工会")),
            Column(_("办理层级")),
            Column(_("承办部门")),
            Column(_("状态")),
            Column(_("收到日期"), date=True),
            Column(_("办理期限"), date=True),
            Column(_("是否超期")),
            Column(_("评价")),
        ],
        _rows(qs),
    )
