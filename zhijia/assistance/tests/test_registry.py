"""The hardship registry: files with causes, household and rigid spending, the category the
calculator yields, yearly reviews and the list of files due, exit with reason, and the purge
ten years after exit with what it purged written to the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from zhijia.assistance.actions import registry, visits
from zhijia.assistance.actions.config import do_set_config
from zhijia.assistance.errors import AssistanceError
from zhijia.assistance.jobs import run_daily
from zhijia.assistance.models import (
    Application,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    RigidExpense,
    Visit,
)
from zhijia.assistance.queries import registry as queries_registry
from zhijia.assistance.tests.support import make_campaign, member_of, to_state, unit
from zhijia.core import workflow
from zhijia.core.audit import verify_chain
from zhijia.core.models import Attachment, AuditEvent

pytestmark = pytest.mark.django_db

MEDICAL = "丈夫尿毒症，每周血液透析三次，自付部分每月约 1800 元"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _file(personas, worker="worker1", **values):
    branch = personas["branch1" if worker in ("worker1", "rep1") else "branch2"]
    defaults = {
        "causes": ["illness", "schooling"],
        "applicant_monthly_income": "3000",
        "medical_details": MEDICAL,
    }
    return registry.do_create_file(
        actor=branch, member=member_of(personas[worker]), **{**defaults, **values}
    )


def test_file_household_spending_and_category(personas):
    branch1 = personas["branch1"]
    file = _file(personas)
    # Alone on 3,000 a month: above twice the default line of 1,000.
    assert file.category == "" and file.household_size == 1
    registry.do_add_household_member(
        actor=branch1, file=file, relation="spouse", age=48, monthly_income="0", health="serious"
    )
    registry.do_add_household_member(
        actor=branch1, file=file, relation="child", age=16, health="healthy", note="高二在读"
    )
    file.refresh_from_db()
    assert file.household_size == 3 and file.category == "relative"  # 1,000 a head
    registry.do_add_expense(actor=branch1, file=file, kind="medical", monthly_amount="1800")
    file.refresh_from_db()
    assert file.category == "deep" and file.per_capita_income == Decimal("400.00")
    expense = RigidExpense.objects.get(file=file)
    registry.do_remove_expense(actor=branch1, file=file, expense_id=expense.pk)
    file.refresh_from_db()
    assert file.category == "relative"
    # The unit's 低保 line is configuration.
    do_set_config(actor=personas["chair"], unit=unit("U"), values={"dibao_line": "1000.01"})
    registry.do_update_file(actor=branch1, file=file, values={"cause_note": ""})
    assert queries_registry.assess_file(file).category == "deep"


def test_accident_category_from_losses(personas):
    file = _file(
        personas,
        causes=["disaster"],
        applicant_monthly_income="9000",
        accident_loss="86400.01",  # 9,000 × 12 × 80% = 86,400
        accident_description="房屋因暴雨倒塌",
    )
    assert file.category == "accident"


def test_validation_and_one_active_file(personas):
    with pytest.raises(AssistanceError) as exc:
        _file(personas, causes=[])
    assert exc.value.field == "causes"
    with pytest.raises(AssistanceError) as exc:
        _file(personas, causes=["other"])
    assert exc.value.field == "cause_note"
    with pytest.raises(AssistanceError) as exc:
        _file(personas, applicant_monthly_income="-5")
    assert exc.value.field == "applicant_monthly_income"
    _file(personas)
    with pytest.raises(AssistanceError, match="已有在档") as exc:
        _file(personas)
    assert exc.value.status == 409


def test_medical_details_are_encrypted_and_scoped(personas):
    file = _file(personas)
    raw = HardshipFile.objects.filter(pk=file.pk).values("medical_details_encrypted").get()
    assert "透析" not in raw["medical_details_encrypted"]
    assert HardshipFile.objects.get(pk=file.pk).medical_details == MEDICAL
    assert queries_registry.access_file(personas["branch1"], file.pk) == file
    assert queries_registry.access_file(personas["chair"], file.pk) == file
    with pytest.raises(Http404):
        queries_registry.access_file(personas["branch2"], file.pk)
    for name in ("worker1", "rep1", "admin", "handler1", "counselor1", "mediator1"):
        with pytest.raises(PermissionDenied):
            queries_registry.access_file(personas[name], file.pk)
    with pytest.raises(PermissionDenied):
        registry.do_add_expense(
            actor=personas["branch2"], file=file, kind="medical", monthly_amount="10"
        )
    # No sensitive content in the audit log.
    for event in AuditEvent.objects.filter(action__startswith="assistance."):
        assert "透析" not in str(event.data) and "3000" not in str(event.data)


def test_yearly_review_and_files_due(personas):
    start = dt.datetime(2025, 3, 10, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        file = _file(personas)
        other = _file(personas, worker="worker2")
    assert file.next_review_on == dt.date(2026, 3, 10)
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        assert list(queries_registry.files_due_for_review(personas["branch1"])) == []
    with time_machine.travel(dt.datetime(2026, 2, 20, 10, 0, tzinfo=dt.UTC), tick=False):
        assert list(queries_registry.files_due_for_review(personas["branch1"])) == [file]
        assert set(queries_registry.files_due_for_review(personas["chair"])) == {file, other}
        review = registry.do_review_file(
            actor=personas["branch1"], file=file, outcome="continue", note="情况未变"
        )
        assert review.category == file.category
        assert list(queries_registry.files_due_for_review(personas["branch1"])) == []
    file.refresh_from_db()
    assert file.last_reviewed_on == dt.date(2026, 2, 20)
    assert file.next_review_on == dt.date(2027, 2, 20)


def test_exit_with_reason_sets_the_purge_date(personas):
    file = _file(personas)
    with pytest.raises(AssistanceError) as exc:
        registry.do_exit_file(actor=personas["branch1"], file=file, reason="")
    assert exc.value.field == "exit_reason"
    with pytest.raises(AssistanceError):
        registry.do_exit_file(actor=personas["branch1"], file=file, reason="other", note="")
    registry.do_review_file(
        actor=personas["branch1"],
        file=file,
        outcome="exit",
        exit_reason="income_improved",
        note="配偶再就业，家庭收入明显改善",
        reviewed_on=dt.date(2026, 1, 15),
    )
    file.refresh_from_db()
    assert file.status == "exited" and file.exit_reason == "income_improved"
    assert file.exited_on == dt.date(2026, 1, 15)
    assert file.purge_after == dt.date(2036, 1, 15)
    assert file.next_review_on is None
    with pytest.raises(AssistanceError, match="已退出"):
        registry.do_add_expense(
            actor=personas["branch1"], file=file, kind="medical", monthly_amount="10"
        )
    # The member may get a new file later.
    _file(personas)


def test_ten_year_purge(personas, django_capture_on_commit_callbacks):
    branch1 = personas["branch1"]
    with time_machine.travel(dt.datetime(2016, 5, 3, 10, 0, tzinfo=dt.UTC), tick=False):
        file = _file(personas)
        registry.do_add_household_member(
            actor=branch1, file=file, relation="spouse", age=40, health="serious"
        )
        registry.do_add_expense(actor=branch1, file=file, kind="medical", monthly_amount="1800")
        visit = visits.do_create_visit(
            actor=branch1,
            member=member_of(personas["worker1"]),
            kind="illness",
            done=True,
            visited_on=dt.date(2016, 5, 3),
            visitors="李春梅",
            gifts="米、油",
            money="500",
            findings=MEDICAL,
        )
        visits.do_add_visit_photo(
            actor=branch1, visit=visit, upload=SimpleUploadedFile("慰问.png", PNG)
        )
        registry.do_exit_file(actor=branch1, file=file, reason="income_improved")
    keep = _file(personas, worker="worker2")  # active: never purged
    campaign = make_campaign(personas["chair"])
    application = to_state("approved", personas=personas, campaign=campaign)
    Application.objects.filter(pk=application.pk).update(hardship_file=file)
    file.refresh_from_db()
    assert file.purge_after == dt.date(2026, 5, 3)
    photo_ids = list(Attachment.objects.values_list("pk", flat=True))
    assert len(photo_ids) == 1

    # The day before: nothing happens.
    with time_machine.travel(dt.datetime(2026, 5, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        assert run_daily()["purged_files"] == 0
    assert HardshipFile.objects.filter(pk=file.pk).exists()

    # On the day: the file and everything that describes the household goes.
    with (
        time_machine.travel(dt.datetime(2026, 5, 3, 10, 0, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = run_daily()
    assert result["purged_files"] == 1
    assert not HardshipFile.objects.filter(pk=file.pk).exists()
    assert not HouseholdMember.objects.filter(file_id=file.pk).exists()
    assert not RigidExpense.objects.filter(file_id=file.pk).exists()
    assert not HardshipReview.objects.filter(file_id=file.pk).exists()
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert not Visit.objects.filter(application=application).exists()
    assert not Attachment.objects.filter(pk__in=photo_ids).exists()
    assert HardshipFile.objects.filter(pk=keep.pk).exists()
    # The application stays (its amount is a financial record), its details are gone.
    application.refresh_from_db()
    assert application.hardship_file_id is None and application.redacted_at is not None
    assert application.situation == "" and application.answers == {}
    assert application.amount_approved == Decimal("2000.00")
    assert all(e.note == "" for e in workflow.history(application))

    # The audit log says what was purged: ids and counts, nothing of the content.
    event = AuditEvent.objects.get(action="assistance.purge_file")
    assert event.actor_id is None and event.target_id == str(file.pk)
    assert event.data["file"] == file.pk
    assert event.data["counts"] == {
        "household_members": 1,
        "expenses": 1,
        "reviews": 0,
        "visits": 2,  # the illness visit and the review's home check
        "visit_photos": 1,
        "applications_redacted": 1,
        "application_documents": 0,
        "workflow_notes_cleared": 0,
    }
    text = str(event.data)
    assert "透析" not in text and "陈小红" not in text and "E0103" not in text
    # nothing else: no member id (a number such as the file's id may equal it by chance)
    assert set(event.data) == {"file", "exited_on", "purge_after", "purged_on", "counts"}
    assert list(verify_chain()) == []
    # Idempotent.
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        assert run_daily()["purged_files"] == 0


def test_retention_is_configurable(personas):
    do_set_config(actor=personas["chair"], unit=unit("B1"), values={"retention_years": "15"})
    file = _file(personas)
    registry.do_exit_file(actor=personas["branch1"], file=file, reason="retired")
    file.refresh_from_db()
    assert file.purge_after == file.exited_on.replace(year=file.exited_on.year + 15)
    with pytest.raises(AssistanceError):
        do_set_config(actor=personas["chair"], unit=unit("U"), values={"retention_years": "0"})
    with pytest.raises(PermissionDenied):
        do_set_config(actor=personas["branch1"], unit=unit("U"), values={"dibao_line": "900"})


def test_review_reminders_once_per_review_date(personas):
    from zhijia.core.models import Notification

    with time_machine.travel(dt.datetime(2025, 3, 10, 2, 0, tzinfo=dt.UTC), tick=False):
        file = _file(personas)
    assert run_daily(today=dt.date(2026, 1, 20))["review_reminders"] == 0  # not yet due
    assert run_daily(today=dt.date(2026, 2, 20))["review_reminders"] == 1
    assert run_daily(today=dt.date(2026, 2, 21))["review_reminders"] == 0  # already told
    notes = Notification.objects.filter(kind="assistance.review_due")
    # The cadres responsible for branch 1 (branch1 and the chair), not branch2.
    assert {n.user.username for n in notes} == {"branch1", "chair"}
    assert all("陈小红" not in n.title + n.body for n in notes)
    # After the review the next date gets its own reminder, a year later.
    registry.do_review_file(
        actor=personas["branch1"], file=file, outcome="continue", reviewed_on=dt.date(2026, 2, 25)
    )
    assert run_daily(today=dt.date(2027, 2, 1))["review_reminders"] == 1
