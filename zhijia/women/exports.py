"""Excel outputs of module women (written by zhijia.core.excel): a nursing room's bookings and
a health check's sign-ups with their completion. The registrations have no export: their
details are sensitive and are read one by one (each read audited)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import excel
from zhijia.women.queries import checks as check_queries
from zhijia.women.queries import rooms as room_queries


def room_bookings_sheet(room) -> excel.Sheet:
    rows = (
        [
            b.day,
            b.starts.strftime("%H:%M"),
            b.seat,
            b.member.name,
            b.member.employee_no,
            b.member.org_unit.name,
            b.get_status_display(),
        ]
        for b in room_queries.room_bookings(room).iterator()
    )
    return excel.Sheet(
        _("妈咪小屋预约"),
        [
            excel.Column(_("日期"), date=True),
            excel.Column(_("时段")),
            excel.Column(_("位置号")),
            excel.Column(_("姓名")),
            excel.Column(_("工号"), text=True),
            excel.Column(_("所属工会")),
            excel.Column(_("状态")),
        ],
        rows,
        heading=[[f"{room.name}（{room.place}）"]],
    )


def check_signups_sheet(campaign) -> excel.Sheet:
    """`campaign` as answered by queries.checks.managed_campaigns (with its counts)."""
    rows = (
        [
            s.member.name,
            s.member.employee_no,
            s.member.org_unit.name,
            timezone.localtime(s.signed_up_at).strftime("%Y-%m-%d %H:%M"),
            _("已完成") if s.completed_at else _("未完成"),
        ]
        for s in check_queries.signups(campaign).iterator()
    )
    return excel.Sheet(
        _("健康检查报名"),
        [
            excel.Column(_("姓名")),
            excel.Column(_("工号"), text=True),
            excel.Column(_("所属工会")),
            excel.Column(_("报名时间")),
            excel.Column(_("体检")),
        ],
        rows,
        heading=[
            [campaign.title],
            [
                _("报名 %(n)d 人，已完成 %(d)d 人")
                % {"n": campaign.signup_count, "d": campaign.done_count}  # type: ignore[attr-defined]
            ],
        ],
    )
