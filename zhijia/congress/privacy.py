"""What congress tells zhijia.core.privacy: the proposals a representative made and those she
co-signed, the follow-up reports a handler wrote, her duty reports and her ratings of her
representatives' reports, her appointments as grassroots supervisor and her observations.
Secret ballots are linked to nobody."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.congress.models import (
    DutyRating,
    DutyReport,
    FollowupReport,
    Observation,
    Proposal,
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


register(personal_data)
