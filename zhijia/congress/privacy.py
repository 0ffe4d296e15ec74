"""What congress tells zhijia.core.privacy: the proposals a representative made and those she
co-signed, the follow-up reports a handler wrote, her bookings of reception days (with their
outcome), her comments on hearings (with their answer) and the management meetings she sat in
on (with her report), the inspection checklist findings a participant recorded, her duty
reports and her ratings of her representatives' reports, her appointments as grassroots
supervisor and her observations. Secret ballots are linked to nobody."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.congress.models import (
    ChecklistEntry,
    DutyRating,
    DutyReport,
    FollowupReport,
    HearingComment,
    Observation,
    Proposal,
    ReceptionBooking,
    SitInSeat,
    SupervisorAppointment,
)
from zhijia.congress.queries import proposals as queries
from zhijia.core.privacy import model_sheet, register

FIELDS = ["session", "serial", "title", "category", "cause", "reasons", "measures", "rating"]


def personal_data(user):
    yield model_sheet(
        gettext_lazy("我的提案"), queries.my_proposals(user).order_by("pk"), Proposal, FIELDS
    )
    yield model_sheet(
        gettext_lazy("我附议的提案"),
        queries.cosigned_by(user).order_by("pk"),
        Proposal,
        ["session", "serial", "title", "proposer_name"],
    )
    yield model_sheet(
        gettext_lazy("我记录的巡视检查结论"),
        ChecklistEntry.objects.filter(recorded_by=user).order_by("pk"),
        ChecklistEntry,
        [("tour", gettext_lazy("代表巡视")), "subject", "verdict", "note", "recorded_at"],
    )
    yield model_sheet(
        gettext_lazy("我的述职报告"),
        DutyReport.objects.filter(representative__member__user=user).order_by("pk"),
        DutyReport,
        ["org_unit", "year_start", "text", "filed_at"],
    )
    yield model_sheet(
        gettext_lazy("我对代表述职的评议"),
        DutyRating.objects.filter(member__user=user).order_by("pk"),
        DutyRating,
        ["report", "rating", "comment", "rated_at"],
    )
    yield model_sheet(
        gettext_lazy("我担任基层职工监督员"),
        SupervisorAppointment.objects.filter(member__user=user).order_by("pk"),
        SupervisorAppointment,
        ["org_unit", "starts_on", "ends_on"],
    )
    yield model_sheet(
        gettext_lazy("我反映的情况（监督员）"),
        Observation.objects.filter(appointment__member__user=user).order_by("pk"),
        Observation,
        ["subject", "text", "place", "observed_on", "state", "answer"],
    )
    yield model_sheet(
        gettext_lazy("我提交的决议落实跟踪报告"),
        FollowupReport.objects.filter(author=user).order_by("pk"),
        FollowupReport,
        ["plan", "period", "progress", "changes", "problems", "created_at"],
    )
    yield model_sheet(
        gettext_lazy("我的领导接待日预约"),
        ReceptionBooking.objects.filter(member__user=user).order_by("pk"),
        ReceptionBooking,
        ["slot", "topic", "created_at", "cancelled_at", "outcome", "outcome_at"],
    )
    yield model_sheet(
        gettext_lazy("我的听证意见"),
        HearingComment.objects.filter(author=user).order_by("pk"),
        HearingComment,
        ["hearing", "text", "created_at", "answer", "answered_by", "answered_at"],
    )
    yield model_sheet(
        gettext_lazy("我的列席报告"),
        SitInSeat.objects.filter(member__user=user).order_by("pk"),
        SitInSeat,
        ["sitin", "report", "reported_at"],
    )


register(personal_data)
