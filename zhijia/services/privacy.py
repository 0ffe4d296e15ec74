"""What services tells zhijia.core.privacy: a counselor opening her note on a member's
appointment is a sensitive read (the member sees when and by whom, never the note: it stays
readable by its author alone), and a person's counseling bookings (when, with whom, and what
became of them) are her data. Anonymous questions are linked to nobody.

Volunteering: a person's shift sign-ups with their hours, and the donations she made or
pledged (with how the thank-you list names her), are her data too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core import privacy
from zhijia.core.privacy import model_sheet, register
from zhijia.org.queries.members import own_member
from zhijia.services.models.counseling import CounselingBooking, CounselingNote
from zhijia.services.models.volunteering import Donation, VolunteerSignup
from zhijia.services.queries import counseling as queries
from zhijia.services.queries import volunteering as queries_volunteering

READ_NOTE = "services.read_counseling_note"
READS = {READ_NOTE: gettext_lazy("心理咨询记录")}


def record_note_read(actor, note: CounselingNote) -> None:
    """A note on one member's appointment (a group session's note is about nobody in
    particular)."""
    if note.booking is None:
        return
    member = own_member(note.booking.worker)
    privacy.record_read(
        actor=actor,
        action=READ_NOTE,
        member_id=member.pk if member is not None else None,
        subject_user_id=note.booking.worker_id,
        record=note,
    )


def personal_data(user):
    yield model_sheet(
        gettext_lazy("心理咨询预约"),
        queries.my_bookings(user),
        CounselingBooking,
        [("slot", gettext_lazy("咨询时段")), "status", "booked_at", "cancel_reason"],
    )

    yield model_sheet(
        gettext_lazy("志愿服务报名"),
        queries_volunteering.my_signups(user),
        VolunteerSignup,
        [
            ("shift", gettext_lazy("班次")),
            "status",
            "signed_up_at",
            "hours",
            "hours_status",
            "hours_reason",
        ],
    )
    yield model_sheet(
        gettext_lazy("捐赠记录"),
        queries_volunteering.donations_by(user),
        Donation,
        [
            ("drive", gettext_lazy("捐款捐物活动")),
            "kind",
            "amount",
            "goods",
            "donated_on",
            "display",
            "status",
        ],
    )


register(personal_data, reads=READS)
