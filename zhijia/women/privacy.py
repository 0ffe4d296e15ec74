"""What women tells zhijia.core.privacy.

Sensitive reads: a women workers' committee member opening a woman's pregnancy or birth
registration (its decrypted details, on a page or through the API) is written to the audit
log; she sees when and by whom on her page "谁查看了我的敏感信息". Her own reads are not
recorded (core.privacy.record_read).

Personal data: her registrations (kind and dates, decrypted for her own download), her nursing
room bookings and her health check sign-ups."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_lazy

from zhijia.core import privacy
from zhijia.core.excel import Column, Sheet
from zhijia.core.privacy import model_sheet, register
from zhijia.women.models import CheckSignup, Registration, RoomBooking
from zhijia.women.queries import checks as check_queries
from zhijia.women.queries import registrations as queries
from zhijia.women.queries import rooms as room_queries

READ_REGISTRATION = "women.read_registration"
READS = {READ_REGISTRATION: gettext_lazy("孕产登记")}


def record_registration_read(actor, registration: Registration) -> None:
    privacy.record_read(
        actor=actor,
        action=READ_REGISTRATION,
        member_id=registration.member_id,
        subject_user_id=registration.user_id,
        record=registration,
        unit=registration.org_unit,
    )


def _registration_rows(user):
    for registration in queries.my_registrations(user).order_by("created_at", "pk"):
        details = registration.get_details()
        yield [
            details.kind_label,
            registration.province.name,
            details.expected_date,
            details.birth_date,
            details.miscarriage_date,
            details.babies,
            registration.consented_at.strftime("%Y-%m-%d %H:%M"),
            gettext("是") if registration.department_consent else gettext("否"),
        ]


def personal_data(user):
    yield Sheet(
        gettext_lazy("孕产登记"),
        [
            Column(gettext_lazy("类型")),
            Column(gettext_lazy("适用省份")),
            Column(gettext_lazy("预产期"), date=True),
            Column(gettext_lazy("生育日期"), date=True),
            Column(gettext_lazy("流产日期"), date=True),
            Column(gettext_lazy("婴儿数")),
            Column(gettext_lazy("同意时间")),
            Column(gettext_lazy("同意提醒所在部门")),
        ],
        _registration_rows(user),
    )
    yield model_sheet(
        gettext_lazy("妈咪小屋预约"),
        room_queries.my_bookings(user),
        RoomBooking,
        [("room", gettext_lazy("妈咪小屋")), "day", "starts", "status"],
    )
    yield model_sheet(
        gettext_lazy("女职工健康检查报名"),
        check_queries.my_signups(user),
        CheckSignup,
        [("campaign", gettext_lazy("健康检查")), "signed_up_at", "completed_at"],
    )


register(personal_data, reads=READS)
