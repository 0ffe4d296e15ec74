"""What safety tells zhijia.core.privacy: the hazards a person reported."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core.privacy import model_sheet, register
from zhijia.safety import queries
from zhijia.safety.models import HazardReport


def personal_data(user):
    yield model_sheet(
        gettext_lazy("我报告的隐患"),
        queries.my_reports(user).order_by("reported_at", "pk"),
        HazardReport,
        ["number", "reported_at", "org_unit", "place", "category", "description", "result"],
    )


register(personal_data)
