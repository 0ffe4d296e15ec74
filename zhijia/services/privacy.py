"""What services tells zhijia.core.privacy: a counselor opening her note on a member's
appointment is a sensitive read (the member sees when and by whom, never the note: it stays
readable by its author alone), and a person's counseling bookings (when, with whom, and what
became of them) are her data. Anonymous questions are linked to nobody.

Surveys: which surveys she answered (the participation marker) and, for named surveys only, her
answers; an anonymous survey's answers are linked to nobody, so they are in no one's data.

Activities: a person's registrations (status, check-in, rating) and her interest groups are
her data too.


Volunteering: a person's shift sign-ups with their hours, and the donations she made or
pledged (with how the thank-you list names her), are her data too.

Learning: her course enrolments (completion, hours, rating), test attempts (scores) and
certificates are her data too.

Suggestions: the suggestions she submitted or co-authored (with their decisions, certified
benefit, reward and her rating), and the marks she gave as an appointed expert.

Competitions: the entries she leads, belongs to or registered, and the objections she raised,
are her data too (a judge's scores are the competition's record, not the judge's data).

Honours: her honours (in force or revoked) and her 劳模 care records are her data too."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core import privacy
from zhijia.core.privacy import model_sheet, register
from zhijia.org.queries.members import own_member
from zhijia.services.models.activities import ActivityRegistration, ClubMembership
from zhijia.services.models.competitions import CompetitionEntry, CompetitionObjection
from zhijia.services.models.counseling import CounselingBooking, CounselingNote
from zhijia.services.models.surveys import SurveyParticipation, SurveyResponse
from zhijia.services.models.volunteering import Donation, VolunteerSignup
from zhijia.services.queries import activities as activity_queries
from zhijia.services.queries import clubs as club_queries
from zhijia.services.queries import competitions as queries_competitions
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
        gettext_lazy("填写过的问卷"),
        SurveyParticipation.objects.filter(user=user).select_related("survey").order_by("pk"),
        SurveyParticipation,
        [("survey", gettext_lazy("问卷"))],
    )
    yield model_sheet(
        gettext_lazy("实名问卷的答卷"),
        SurveyResponse.objects.filter(member__user=user, member__isnull=False)
        .select_related("survey")
        .order_by("submitted_at"),
        SurveyResponse,
        [("survey", gettext_lazy("问卷")), ("submitted_at", gettext_lazy("填写时间")), "answers"],
    )
    yield model_sheet(
        gettext_lazy("活动报名"),
        activity_queries.my_registrations(user),
        ActivityRegistration,
        [
            ("activity", gettext_lazy("活动")),
            "status",
            "registered_at",
            "checked_in_at",
            "rating",
            "rated_at",
        ],
    )
    yield model_sheet(
        gettext_lazy("兴趣小组"),
        club_queries.my_clubs(user),
        ClubMembership,
        [("club", gettext_lazy("兴趣小组")), "status", "is_leader", "requested_at"],
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

    # --- competitions ---
    yield model_sheet(
        gettext_lazy("竞赛报名"),
        queries_competitions.my_entries(user),
        CompetitionEntry,
        [
            ("competition", gettext_lazy("竞赛")),
            "kind",
            "team_name",
            "status",
            ("registered_at", gettext_lazy("报名时间")),
        ],
    )
    yield model_sheet(
        gettext_lazy("竞赛异议"),
        CompetitionObjection.objects.filter(author=user).select_related("competition"),
        CompetitionObjection,
        [("competition", gettext_lazy("竞赛")), "reason", "answer"],
    )


# --- suggestions (合理化建议) ---------------------------------------------------------------------


def suggestion_data(user):
    from zhijia.services.models.suggestions import Suggestion, SuggestionScore
    from zhijia.services.queries import suggestions as queries_suggestions

    yield model_sheet(
        gettext_lazy("合理化建议"),
        queries_suggestions.my_suggestions(user),
        Suggestion,
        [
            "title",
            "category",
            "submitted_at",
            "team_name",
            "state",
            "decision_reason",
            "certified_benefit",
            "reward_tier",
            "reward_amount",
            "rating",
        ],
    )
    yield model_sheet(
        gettext_lazy("合理化建议评审打分"),
        SuggestionScore.objects.filter(expert=user).select_related("suggestion").order_by("pk"),
        SuggestionScore,
        [("suggestion", gettext_lazy("建议")), "criterion", "value"],
    )


register(personal_data, reads=READS)


# --- learning ------------------------------------------------------------------------------------


def learning_personal_data(user):
    from zhijia.services.models.learning import (
        LearningAttempt,
        LearningCertificate,
        LearningEnrolment,
    )
    from zhijia.services.queries import learning as queries_learning

    yield model_sheet(
        gettext_lazy("培训报名"),
        LearningEnrolment.objects.filter(worker=user).select_related("course").order_by("pk"),
        LearningEnrolment,
        [
            ("course", gettext_lazy("课程")),
            "source",
            "enrolled_at",
            "completed_at",
            "hours_credited",
            "rating",
        ],
    )
    yield model_sheet(
        gettext_lazy("培训测试"),
        LearningAttempt.objects.filter(enrolment__worker=user)
        .select_related("enrolment__course")
        .order_by("pk"),
        LearningAttempt,
        [("enrolment", gettext_lazy("课程")), "number", "started_at", "score", "passed"],
    )
    yield model_sheet(
        gettext_lazy("培训证书"),
        queries_learning.my_certificates(user),
        LearningCertificate,
        ["number", "issued_on", "revoked_at", "revoke_reason"],
    )


register(learning_personal_data)
register(suggestion_data)


# --- honours: a person's honours (in force or revoked) and her 劳模 care records ---------------


def honours_personal_data(user):
    from zhijia.services.models.honours import Honour, HonourCareRecord

    yield model_sheet(
        gettext_lazy("荣誉"),
        Honour.objects.filter(member__user=user).order_by("year", "pk"),
        Honour,
        ["kind", "level", "year", "title", "awarding_body", "source_label", "revoke_reason"],
    )
    yield model_sheet(
        gettext_lazy("劳模关爱记录"),
        HonourCareRecord.objects.filter(member__user=user)
        .select_related("item")
        .order_by("year", "pk"),
        HonourCareRecord,
        [("item", gettext_lazy("关爱项目")), "year", "done_on", "note"],
    )


register(honours_personal_data)
