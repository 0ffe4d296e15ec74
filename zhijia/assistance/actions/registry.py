"""Writes of the hardship registry: files, household, rigid spending, yearly review, exit, and
the purge of files kept past their retention period.

The audit log gets the structure of each change (ids, field names, the category), never the
sensitive content (incomes, health, medical details).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.assistance import permissions as perms
from zhijia.assistance import rules
from zhijia.assistance.errors import AssistanceError
from zhijia.assistance.models import (
    Application,
    HardshipFile,
    HardshipReview,
    HouseholdMember,
    RigidExpense,
    Visit,
)
from zhijia.assistance.queries.common import config_for
from zhijia.assistance.queries.registry import (
    active_file_of,
    assess_file,
    files_needing_review_reminder,
    files_to_purge,
)
from zhijia.core import attachments, workflow
from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.org.models import Member

FILE_FIELDS = (
    "causes",
    "cause_note",
    "medical_details",
    "applicant_monthly_income",
    "other_monthly_income",
    "accident_loss",
    "accident_description",
)
MONEY_FIELDS = ("applicant_monthly_income", "other_monthly_income", "accident_loss")
MAX_AMOUNT = Decimal("9999999999.99")


def parse_amount(value: Any, *, field: str, label: str = "") -> Decimal:
    """A non-negative yuan amount from user input, or AssistanceError on the field."""
    if value is None or str(value).strip() == "":
        return Decimal("0")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise AssistanceError(_("请输入金额（元）"), field=field) from None
    if not amount.is_finite() or amount < 0:
        raise AssistanceError(_("金额不能为负数"), field=field)
    if amount > MAX_AMOUNT:
        raise AssistanceError(_("金额过大"), field=field)
    return rules.money(amount)


def _check_causes(causes: Iterable[str]) -> list[str]:
    valid = set(HardshipFile.Cause.values)
    chosen = [c for c in dict.fromkeys(causes or []) if c]
    if not chosen:
        raise AssistanceError(_("请至少选择一项致困原因"), field="causes")
    unknown = [c for c in chosen if c not in valid]
    if unknown:
        raise AssistanceError(
            _("未知的致困原因：%(c)s") % {"c": "、".join(unknown)}, field="causes"
        )
    return chosen


def _apply_fields(file: HardshipFile, values: Mapping[str, Any]) -> list[str]:
    changed: list[str] = []
    for name in FILE_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if name == "causes":
            value = _check_causes(value)
        elif name in MONEY_FIELDS:
            value = parse_amount(value, field=name)
        elif name == "medical_details":
            if (value or "").strip() != file.medical_details:
                file.medical_details = value
                changed.append(name)
            continue
        else:
            value = str(value or "").strip()
        if getattr(file, name) != value:
            setattr(file, name, value)
            changed.append(name)
    if HardshipFile.Cause.OTHER in file.causes and not file.cause_note:
        raise AssistanceError(_("选择“其他”时请说明原因"), field="cause_note")
    return changed


def _reassess(file: HardshipFile) -> rules.Assessment:
    assessment = assess_file(file)
    file.category = assessment.category
    file.per_capita_income = assessment.per_capita_income
    file.household_size = 1 + file.household.count()
    file.assessed_at = timezone.now()
    file.save(update_fields=["category", "per_capita_income", "household_size", "assessed_at"])
    return assessment


def _require_manage(actor, file_or_member) -> None:
    member = file_or_member.member if isinstance(file_or_member, HardshipFile) else file_or_member
    require(actor, perms.MANAGE_HARDSHIP, unit=member.org_unit)


def _require_active(file: HardshipFile) -> None:
    if file.status != HardshipFile.Status.ACTIVE:
        raise AssistanceError(_("该档案已退出，不能修改"), status=409)


@transaction.atomic
def do_create_file(*, actor, member: Member, **values: Any) -> HardshipFile:
    _require_manage(actor, member)
    if member.status != Member.Status.ACTIVE:
        raise AssistanceError(_("该职工不在册，不能建档"), field="member")
    # Lock the member row so two cadres cannot open two active files at once.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    if active_file_of(member) is not None:
        raise AssistanceError(_("该职工已有在档的困难档案"), field="member", status=409)
    file = HardshipFile(member=member, created_by=actor)
    _apply_fields(file, {"causes": [], **values})
    today = timezone.localdate()
    file.next_review_on = rules.next_review(
        today, config_for(member.org_unit).review_interval_months
    )
    file.save()
    assessment = _reassess(file)
    record(
        actor=actor,
        action="assistance.create_file",
        target=file,
        unit=member.org_unit,
        data={"member": member.pk, "category": assessment.category},
    )
    return file


@transaction.atomic
def do_update_file(*, actor, file: HardshipFile, values: Mapping[str, Any]) -> list[str]:
    _require_manage(actor, file)
    _require_active(file)
    changed = _apply_fields(file, values)
    if changed:
        file.save()
        assessment = _reassess(file)
        record(
            actor=actor,
            action="assistance.update_file",
            target=file,
            unit=file.member.org_unit,
            data={"changed": changed, "category": assessment.category},
        )
    return changed


@transaction.atomic
def do_add_household_member(
    *,
    actor,
    file: HardshipFile,
    relation: str,
    age: Any,
    monthly_income: Any = 0,
    health: str = HouseholdMember.Health.HEALTHY,
    note: str = "",
) -> HouseholdMember:
    _require_manage(actor, file)
    _require_active(file)
    if relation not in HouseholdMember.Relation.values:
        raise AssistanceError(_("请选择与职工的关系"), field="relation")
    if health not in HouseholdMember.Health.values:
        raise AssistanceError(_("请选择健康状况"), field="health")
    try:
        age_value = int(str(age).strip())
    except (TypeError, ValueError):
        raise AssistanceError(_("请输入年龄"), field="age") from None
    if not 0 <= age_value <= 130:
        raise AssistanceError(_("年龄应在 0 到 130 之间"), field="age")
    person = HouseholdMember.objects.create(
        file=file,
        relation=relation,
        age=age_value,
        monthly_income=parse_amount(monthly_income, field="monthly_income"),
        health=health,
        note=(note or "").strip()[:100],
    )
    assessment = _reassess(file)
    record(
        actor=actor,
        action="assistance.add_household_member",
        target=file,
        unit=file.member.org_unit,
        data={"household_member": person.pk, "category": assessment.category},
    )
    return person


@transaction.atomic
def do_remove_household_member(*, actor, file: HardshipFile, person_id: int) -> None:
    _require_manage(actor, file)
    _require_active(file)
    deleted, _n = HouseholdMember.objects.filter(file=file, pk=person_id).delete()
    if not deleted:
        raise AssistanceError(_("家庭成员不存在"), status=404)
    assessment = _reassess(file)
    record(
        actor=actor,
        action="assistance.remove_household_member",
        target=file,
        unit=file.member.org_unit,
        data={"household_member": person_id, "category": assessment.category},
    )


@transaction.atomic
def do_add_expense(
    *, actor, file: HardshipFile, kind: str, monthly_amount: Any, note: str = ""
) -> RigidExpense:
    _require_manage(actor, file)
    _require_active(file)
    if kind not in RigidExpense.Kind.values:
        raise AssistanceError(_("请选择支出类别"), field="kind")
    amount = parse_amount(monthly_amount, field="monthly_amount")
    if amount <= 0:
        raise AssistanceError(_("请输入月均金额"), field="monthly_amount")
    expense = RigidExpense.objects.create(
        file=file, kind=kind, monthly_amount=amount, note=(note or "").strip()[:100]
    )
    assessment = _reassess(file)
    record(
        actor=actor,
        action="assistance.add_expense",
        target=file,
        unit=file.member.org_unit,
        data={"expense": expense.pk, "kind": kind, "category": assessment.category},
    )
    return expense


@transaction.atomic
def do_remove_expense(*, actor, file: HardshipFile, expense_id: int) -> None:
    _require_manage(actor, file)
    _require_active(file)
    deleted, _n = RigidExpense.objects.filter(file=file, pk=expense_id).delete()
    if not deleted:
        raise AssistanceError(_("支出记录不存在"), status=404)
    assessment = _reassess(file)
    record(
        actor=actor,
        action="assistance.remove_expense",
        target=file,
        unit=file.member.org_unit,
        data={"expense": expense_id, "category": assessment.category},
    )


@transaction.atomic
def do_review_file(
    *,
    actor,
    file: HardshipFile,
    outcome: str,
    note: str = "",
    exit_reason: str = "",
    reviewed_on: dt.date | None = None,
) -> HardshipReview:
    """The yearly review: re-assess, record the result, set the next review date; an "exit"
    outcome closes the file (with `exit_reason`)."""
    _require_manage(actor, file)
    _require_active(file)
    if outcome not in HardshipReview.Outcome.values:
        raise AssistanceError(_("请选择复核结论"), field="outcome")
    today = reviewed_on or timezone.localdate()
    if today > timezone.localdate():
        raise AssistanceError(_("复核日期不能晚于今天"), field="reviewed_on")
    assessment = _reassess(file)
    review = HardshipReview.objects.create(
        file=file,
        reviewed_on=today,
        reviewer=actor,
        outcome=outcome,
        category=assessment.category,
        per_capita_income=assessment.per_capita_income,
        note=(note or "").strip()[:300],
    )
    file.last_reviewed_on = today
    file.next_review_on = rules.next_review(
        today, config_for(file.member.org_unit).review_interval_months
    )
    file.save(update_fields=["last_reviewed_on", "next_review_on"])
    record(
        actor=actor,
        action="assistance.review_file",
        target=file,
        unit=file.member.org_unit,
        data={"review": review.pk, "outcome": outcome, "category": assessment.category},
    )
    if outcome == HardshipReview.Outcome.EXIT:
        do_exit_file(actor=actor, file=file, reason=exit_reason, note=note, exited_on=today)
    return review


@transaction.atomic
def do_exit_file(
    *, actor, file: HardshipFile, reason: str, note: str = "", exited_on: dt.date | None = None
) -> HardshipFile:
    """Close a file: it is kept `retention_years` (10 by default) and then purged."""
    _require_manage(actor, file)
    _require_active(file)
    if reason not in HardshipFile.ExitReason.values:
        raise AssistanceError(_("请选择退出原因"), field="exit_reason")
    if reason == HardshipFile.ExitReason.OTHER and not (note or "").strip():
        raise AssistanceError(_("请说明退出原因"), field="note")
    day = exited_on or timezone.localdate()
    if day > timezone.localdate():
        raise AssistanceError(_("退出日期不能晚于今天"), field="exited_on")
    file.status = HardshipFile.Status.EXITED
    file.exited_on = day
    file.exit_reason = reason
    file.exit_note = (note or "").strip()[:300]
    file.next_review_on = None
    file.purge_after = rules.purge_date(day, config_for(file.member.org_unit).retention_years)
    file.save(
        update_fields=[
            "status",
            "exited_on",
            "exit_reason",
            "exit_note",
            "next_review_on",
            "purge_after",
        ]
    )
    record(
        actor=actor,
        action="assistance.exit_file",
        target=file,
        unit=file.member.org_unit,
        data={"reason": reason, "exited_on": day.isoformat(), "purge_after": str(file.purge_after)},
    )
    return file


# --- reminders of the yearly review -----------------------------------------------------------


def remind_reviews_due(*, today: dt.date | None = None) -> int:
    """Tell the cadres responsible for files whose yearly review falls within a month (or is
    overdue), once per review date; one message per cadre. Returns the number of files."""
    today = today or timezone.localdate()
    due = list(files_needing_review_reminder(today))
    if not due:
        return 0
    by_user: dict[int, tuple[Any, int]] = {}
    for file in due:
        for user in holders(perms.MANAGE_HARDSHIP, file.member.org_unit):
            previous = by_user.get(user.pk, (user, 0))
            by_user[user.pk] = (user, previous[1] + 1)
    with transaction.atomic():
        for user, n in by_user.values():
            notify(
                recipients=[user],
                kind="assistance.review_due",
                title=_("有 %(n)d 份困难职工档案需要年度复核") % {"n": n},
                body=_("请在复核期限前入户核实并记录复核结论。"),
                url=reverse("assistance:file-list") + "?due=on",
            )
        for file in due:
            HardshipFile.objects.filter(pk=file.pk).update(review_reminded_for=file.next_review_on)
    return len(due)


# --- the purge ----------------------------------------------------------------------------------


@dataclass
class PurgeReport:
    files: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def merge(self, file_id: int, counts: Mapping[str, int]) -> None:
        self.files.append(file_id)
        for key, n in counts.items():
            self.counts[key] = self.counts.get(key, 0) + n


def _purge_one(file: HardshipFile) -> dict[str, int]:
    counts = {
        "household_members": file.household.count(),
        "expenses": file.expenses.count(),
        "reviews": file.reviews.count(),
        "visits": 0,
        "visit_photos": 0,
        "applications_redacted": 0,
        "application_documents": 0,
        "workflow_notes_cleared": 0,
    }
    applications = list(Application.objects.filter(hardship_file=file))
    visits = list(
        Visit.objects.filter(
            Q(hardship_file=file) | Q(application__in=[a.pk for a in applications])
        )
    )
    for visit in visits:
        for att in list(attachments.attachments_for(visit)):
            attachments.delete_attachment(att, actor=None)
            counts["visit_photos"] += 1
    Visit.objects.filter(pk__in=[v.pk for v in visits]).delete()
    counts["visits"] = len(visits)
    for app in applications:
        # The payment stays in the ledger (financial records); the hardship details go.
        for doc in list(app.documents.select_related("attachment")):
            att = doc.attachment
            doc.delete()
            attachments.delete_attachment(att, actor=None)
            counts["application_documents"] += 1
        app.situation = ""
        app.answers = {}
        app.hardship_file = None
        app.redacted_at = timezone.now()
        app.save(
            update_fields=[
                "situation_encrypted",
                "answers_encrypted",
                "hardship_file",
                "redacted_at",
            ]
        )
        # Notes written on the workflow steps (review, decisions) may describe the household.
        counts["workflow_notes_cleared"] += workflow.history(app).exclude(note="").update(note="")
        counts["applications_redacted"] += 1
    file.delete()  # household, expenses and reviews go with it (CASCADE)
    return counts


def purge_expired_files(*, today: dt.date | None = None) -> PurgeReport:
    """Delete every hardship file whose retention period after exit has passed, with its
    household, spending, reviews, visits and photos, and redact the applications made on it
    (their amounts and payments stay: they are financial records).

    Run daily by the worker (see jobs.py). Each file is purged in its own transaction together
    with its audit event, which names the file and counts what went, never the content (nor the
    member: that someone was in hardship is itself the sensitive fact).
    """
    today = today or timezone.localdate()
    report = PurgeReport()
    for file_id in list(files_to_purge(today).values_list("pk", flat=True)):
        with transaction.atomic():
            file = (
                HardshipFile.objects.select_for_update()
                .filter(pk=file_id, status=HardshipFile.Status.EXITED, purge_after__lte=today)
                .first()
            )
            if file is None:
                continue
            exited_on, purge_after = file.exited_on, file.purge_after
            counts = _purge_one(file)
            record(
                actor=None,
                action="assistance.purge_file",
                target=("assistance.hardshipfile", file_id),
                data={
                    "file": file_id,
                    "exited_on": str(exited_on),
                    "purge_after": str(purge_after),
                    "purged_on": today.isoformat(),
                    "counts": counts,
                },
            )
        report.merge(file_id, counts)
    return report
