"""Excel outputs of module notices (zhijia.core.excel): the managed list, the non-readers."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.excel import Column, Sheet
from zhijia.notices.workflows import NOTICE


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def notices_sheet(notices) -> Sheet:
    return Sheet(
        _("通知公告"),
        [
            Column(_("标题"), width=40),
            _("类别"),
            _("发布单位"),
            _("状态"),
            _("置顶"),
            _("必读"),
            Column(_("发布时间"), number_format="yyyy-mm-dd hh:mm"),
            Column(_("已读人数")),
        ],
        rows=(
            (
                n.title,
                n.get_kind_display(),
                n.org_unit.name,
                NOTICE.state_label(n.state),
                _("是") if n.pinned else "",
                _("是") if n.must_read else "",
                _local(n.published_at),
                n.read_count,
            )
            for n in notices.iterator()
        ),
    )


def non_readers_sheet(notice, members) -> Sheet:
    return Sheet(
        _("未读人员"),
        [Column(_("工号"), text=True), _("姓名"), Column(_("所属工会"), width=30), _("手机号")],
        rows=((m.employee_no, m.name, m.org_unit.name, m.phone) for m in members.iterator()),
        heading=[[notice.title], [_("导出时间"), _local(timezone.now())]],
    )
