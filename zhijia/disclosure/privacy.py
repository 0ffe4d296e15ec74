"""What disclosure tells zhijia.core.privacy: the questions a person asked on disclosures."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core.privacy import model_sheet, register
from zhijia.disclosure.models import Question
from zhijia.disclosure.queries import questions as queries


def personal_data(user):
    yield model_sheet(
        gettext_lazy("我对公开事项的提问"),
        queries.my_questions(user).order_by("pk"),
        Question,
        ["item", "text", "answer"],
    )


register(personal_data)
