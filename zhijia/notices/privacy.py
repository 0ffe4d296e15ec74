"""What notices tells zhijia.core.privacy: which notices a person opened, and when (the read
records behind the read counts and the non-reader lists)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.core.privacy import model_sheet, register
from zhijia.notices.models import NoticeRead
from zhijia.notices.queries import notices as queries


def personal_data(user):
    yield model_sheet(
        gettext_lazy("我阅读过的通知"),
        queries.my_reads(user),
        NoticeRead,
        [("notice", gettext_lazy("通知")), ("read_at", gettext_lazy("阅读时间"))],
    )


register(personal_data)
