"""What cases tells zhijia.core.privacy: the grievances and legal questions a person raised
under her name, with their answers (letters from the anonymous box are linked to nobody)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.cases.models import Grievance
from zhijia.cases.queries import grievances as queries
from zhijia.core.privacy import model_sheet, register


def personal_data(user):
    yield model_sheet(
        gettext_lazy("我的诉求"),
        queries.my_grievances(user).order_by("received_on", "pk"),
        Grievance,
        ["number", "received_on", "kind", "category", "org_unit", "text", "answer", "rating"],
    )


register(personal_data)
