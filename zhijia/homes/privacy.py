"""What homes tells zhijia.core.privacy: the self-assessments a person submitted for her
branch union. Nothing else here is about a person: an assessment is a union unit's record."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core.privacy import model_sheet, register
from zhijia.homes.models import Assessment


def personal_data(user):
    yield model_sheet(
        gettext_lazy("我提交的职工之家建设自评"),
        Assessment.objects.filter(submitted_by=user).order_by("created_at", "pk"),
        Assessment,
        ["created_at", "org_unit", "self_total"],
    )


register(personal_data)
