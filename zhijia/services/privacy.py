"""What services tells zhijia.core.privacy: a person's counseling bookings (when, with whom,
and what became of them). Counselors' notes are their working record and stay readable by
their author alone; anonymous questions are linked to nobody."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core.privacy import model_sheet, register
from zhijia.services.models.counseling import CounselingBooking
from zhijia.services.queries import counseling as queries


def personal_data(user):
    yield model_sheet(
        gettext_lazy("心理咨询预约"),
        queries.my_bookings(user),
        CounselingBooking,
        [("slot", gettext_lazy("咨询时段")), "status", "booked_at", "cancel_reason"],
    )


register(personal_data)
