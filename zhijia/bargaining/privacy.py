"""What bargaining tells zhijia.core.privacy: the demands a person submitted before a round.
Nothing else here is about a person (delegates and signers are named as the union records
them on the documents)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.bargaining.models import Demand
from zhijia.core.privacy import model_sheet, register


def personal_data(user):
    yield model_sheet(
        gettext_lazy("我提交的集体协商意见"),
        Demand.objects.filter(submitter=user).order_by("submitted_at", "pk"),
        Demand,
        ["submitted_at", "topic", "text"],
    )


register(personal_data)
