"""What assistance tells zhijia.core.privacy: a cadre opening a hardship application or a
hardship file is a sensitive read (recorded by the detail page and the API), and a person's
applications and hardship files are her data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from zhijia.assistance.models import Application, HardshipFile
from zhijia.assistance.queries import applications as queries
from zhijia.core import privacy
from zhijia.core.privacy import model_sheet, register

READ_APPLICATION = "assistance.read_application"
READ_FILE = "assistance.read_file"
READS = {
    READ_APPLICATION: gettext_lazy("帮扶申请"),
    READ_FILE: gettext_lazy("困难职工档案"),
}


def record_application_read(actor, application: Application) -> None:
    privacy.record_read(
        actor=actor,
        action=READ_APPLICATION,
        member_id=application.member_id,
        subject_user_id=application.member.user_id,
        record=application,
        unit=application.org_unit,
    )


def record_file_read(actor, file: HardshipFile) -> None:
    privacy.record_read(
        actor=actor,
        action=READ_FILE,
        member_id=file.member_id,
        subject_user_id=file.member.user_id,
        record=file,
        unit=file.member.org_unit,
    )


def personal_data(user):
    applications = queries.own_applications(user).order_by("submitted_at", "pk")
    yield model_sheet(
        gettext_lazy("帮扶申请"),
        applications,
        Application,
        ["number", "campaign", "submitted_at", "category", "amount_requested", "amount_approved"],
    )
    member = queries.own_member(user)
    files = HardshipFile.objects.filter(member=member) if member else HardshipFile.objects.none()
    yield model_sheet(
        gettext_lazy("困难职工档案"),
        files.order_by("pk"),
        HardshipFile,
        [
            "status",
            "category",
            "causes",
            "per_capita_income",
            "household_size",
            "next_review_on",
            "exited_on",
        ],
    )


register(personal_data, reads=READS)
