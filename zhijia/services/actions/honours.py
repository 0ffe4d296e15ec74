"""Writes of the honours registry, 劳模 care, the "五型"班组 assessment and innovation studios,
each in one transaction with its audit event; notifications through the outbox
(zhijia.core.notify).

`do_record_honour` is the registry's one way in, also for the other subjects (competitions
record their awards with it): kind and level are the codes of zhijia.services.honour_rules
(kind: model_worker, great_craftsman, craftsman, may_day_medal, pioneer, five_type_team,
advanced_individual, advanced_collective, technical_expert, competition_place; level:
national, provincial, city, enterprise). A person's honour names the member (`member`), a
team's its name (`team_name`); `unit` is the holder's union unit (the member's unit or one
above it), whose cadres (services.manage_honours) may record it.

Every honour is indexed in core.search (type services.honour, its unit's path), so the
registry's text search answers within the cadre's scope only.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import attachments, search
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import holders, require
from zhijia.core.workflow import do_transition, start
from zhijia.services import honour_rules as rules
from zhijia.services.actions.common import text_field
from zhijia.services.models import (
    Honour,
    HonourCareItem,
    HonourCareRecord,
    HonourCareReminder,
)
from zhijia.services.permissions import MANAGE_HONOURS
from zhijia.services.queries import honours as queries
from zhijia.services.workflows import HONOUR

DOCUMENT_KINDS = {"image", "pdf", "office"}
MAX_DOCUMENTS = 10

__all__ = [
    "HonourError",
    "do_add_honour_documents",
    "do_create_honour_care_item",
    "do_record_honour",
    "do_record_honour_care",
    "do_revoke_honour",
    "do_set_honour_care_item_active",
    "do_update_honour",
    "ensure_default_honour_care_items",
    "sweep_honour_care",
]


class HonourError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused): message, field, status."""


def text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=HonourError)


def rule_message(code: str) -> str:
    return {
        "kind": _("请选择荣誉类别"),
        "level": _("该荣誉类别没有这个级别"),
        "both": _("个人荣誉与集体荣誉只能选其一"),
        "person": _("个人荣誉请填写获得者工号"),
        "team": _("集体荣誉请填写集体名称"),
        "holder": _("请填写获得者工号或集体名称"),
        "invalid": _("请填写分数"),
        "range": _("分数不能为负数"),
        "decimals": _("分数最多一位小数"),
        "above": _("分数不能超过该项分值"),
    }[code]


def check_year(year, field: str = "year") -> int:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 1950 <= year <= this_year + 1:
        raise HonourError(_("年度应在 1950 到 %(y)d 之间") % {"y": this_year + 1}, field=field)
    return year


def _check_url(url: str) -> str:
    url = text(url, "source_url", _("来源链接"), 500, required=False)
    if url and not url.startswith(("https://", "http://", "/")):
        raise HonourError(_("来源链接应以 http:// 或 https:// 开头"), field="source_url")
    return url


def _index(honour: Honour) -> None:
    search.index(
        queries.SEARCH_TYPE,
        honour.pk,
        title=f"{honour.title} · {honour.holder_name}",
        text=queries.index_text(honour),
        unit_path=honour.org_unit.path,
    )


def _require_in_unit(member, unit) -> None:
    if member is not None and not member.org_unit.path.startswith(unit.path):
        raise HonourError(_("获得者不在所选单位范围内"), field="member_employee_no")


# --- the registry ---------------------------------------------------------------------------------


@transaction.atomic
def do_record_honour(
    *,
    actor,
    kind: str,
    level: str,
    year: int,
    title: str,
    awarding_body: str,
    unit,
    member=None,
    team_name: str = "",
    source_label: str = "",
    source_url: str = "",
) -> Honour:
    """Record an honour of a member (`member`) or of a team (`team_name`) of `unit`'s subtree.
    The member is told (an inbox message) when she has an account."""
    require(actor, MANAGE_HONOURS, unit=unit)
    try:
        rules.check_honour(kind, level, has_member=member is not None, team_name=team_name)
    except rules.HonourError as exc:
        field = "member_employee_no" if exc.field == "member" else exc.field
        raise HonourError(rule_message(exc.code), field=field) from None
    _require_in_unit(member, unit)
    honour = Honour.objects.create(
        kind=kind,
        level=level,
        year=check_year(year),
        title=text(title, "title", _("荣誉称号"), 200),
        awarding_body=text(awarding_body, "awarding_body", _("授予单位"), 200),
        org_unit=unit,
        member=member,
        team_name=text(team_name, "team_name", _("集体名称"), 100, required=False),
        source_label=text(source_label, "source_label", _("来源"), 200, required=False),
        source_url=_check_url(source_url),
        created_by=actor,
    )
    start(HONOUR, honour, actor=actor)
    _index(honour)
    record(
        actor=actor,
        action="services.record_honour",
        target=honour,
        unit=unit,
        data={"kind": kind, "level": level, "year": year, "member": getattr(member, "pk", None)},
    )
    if member is not None and member.user_id:
        notify(
            recipients=[member.user],
            kind="services.honour_recorded",
            title=_("您的荣誉已登记"),
            body=_("%(year)d 年 %(title)s") % {"year": honour.year, "title": honour.title},
            url=reverse("services:honours-mine"),
            unit=unit,
        )
    return honour


def _lock(honour: Honour) -> Honour:
    return (
        Honour.objects.select_for_update(of=("self",))
        .select_related("org_unit", "member")
        .get(pk=honour.pk)
    )


@transaction.atomic
def do_update_honour(
    *,
    actor,
    honour: Honour,
    kind: str,
    level: str,
    year: int,
    title: str,
    awarding_body: str,
    team_name: str = "",
    source_label: str = "",
    source_url: str = "",
    note: str = "",
) -> Honour:
    """Correct an honour in force (its holder, a member or a team, stays)."""
    require(actor, MANAGE_HONOURS, unit=honour.org_unit)
    honour = _lock(honour)
    if not honour.in_state(HONOUR.states.active):
        raise HonourError(_("荣誉已撤销，不能再修改"), status=409)
    team_name = team_name if honour.member_id is None else ""
    try:
        rules.check_honour(
            kind, level, has_member=honour.member_id is not None, team_name=team_name
        )
    except rules.HonourError as exc:
        raise HonourError(rule_message(exc.code), field=exc.field) from None
    before = {"kind": honour.kind, "level": honour.level, "year": honour.year}
    honour.kind = kind
    honour.level = level
    honour.year = check_year(year)
    honour.title = text(title, "title", _("荣誉称号"), 200)
    honour.awarding_body = text(awarding_body, "awarding_body", _("授予单位"), 200)
    honour.team_name = text(team_name, "team_name", _("集体名称"), 100, required=False)
    honour.source_label = text(source_label, "source_label", _("来源"), 200, required=False)
    honour.source_url = _check_url(source_url)
    honour.note = text(note, "note", _("备注"), 2000, required=False)
    honour.save()
    _index(honour)
    record(
        actor=actor,
        action="services.update_honour",
        target=honour,
        unit=honour.org_unit,
        data={"before": before, "after": {"kind": kind, "level": level, "year": year}},
    )
    return honour


@transaction.atomic
def do_revoke_honour(*, actor, honour: Honour, reason: str = "") -> Honour:
    """Revoke an honour (with a reason): its row and history stay, the worker's pages and
    her profile no longer show it, and no care falls due for it."""
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise HonourError(_("撤销原因不能超过 300 个字"), field="reason")
    do_transition(HONOUR, honour, "revoke", actor=actor, note=reason)
    Honour.objects.filter(pk=honour.pk).update(revoke_reason=reason)
    honour.revoke_reason = reason
    record(
        actor=actor,
        action="services.revoke_honour",
        target=honour,
        unit=honour.org_unit,
        data={"reason": reason},
    )
    return honour


def save_documents(actor, owner, files: list) -> list:
    if not files:
        raise HonourError(_("请选择文件"), field="documents")
    if len(files) > MAX_DOCUMENTS:
        raise HonourError(_("一次最多上传 %(n)d 个文件") % {"n": MAX_DOCUMENTS}, field="documents")
    saved = []
    for upload in files:
        try:
            saved.append(
                attachments.save_upload(
                    upload,
                    actor=actor,
                    allowed=DOCUMENT_KINDS,
                    owner=owner,
                    unit_path=owner.org_unit.path,
                )
            )
        except ValidationError as exc:
            raise HonourError(exc.messages[0], field="documents") from exc
    return saved


@transaction.atomic
def do_add_honour_documents(*, actor, honour: Honour, files: list) -> list:
    """Documents of an honour (certificate scans, the award notice): images, PDF, Office."""
    require(actor, MANAGE_HONOURS, unit=honour.org_unit)
    saved = save_documents(actor, honour, files)
    record(
        actor=actor,
        action="services.add_honour_documents",
        target=honour,
        unit=honour.org_unit,
        data={"files": len(saved)},
    )
    return saved


# --- 劳模 care ------------------------------------------------------------------------------------


def require_configurer(actor) -> None:
    if not queries.may_configure(actor):
        raise PermissionDenied(MANAGE_HONOURS)


@transaction.atomic
def do_create_honour_care_item(
    *, actor, name: str, kind: str, level: str = "", due_month: int | None = None
) -> HonourCareItem:
    """A care item due every year (configuration: the union's top unit's cadres)."""
    require_configurer(actor)
    name = text(name, "name", _("关爱项目"), 100)
    if kind not in rules.KINDS:
        raise HonourError(_("请选择荣誉类别"), field="kind")
    if level and level not in rules.levels_for(kind):
        raise HonourError(_("该荣誉类别没有这个级别"), field="level")
    if due_month is None or not 1 <= due_month <= 12:
        raise HonourError(_("应完成月份应在 1 到 12 之间"), field="due_month")
    item = HonourCareItem.objects.create(
        name=name,
        kind=kind,
        level=level or "",
        due_month=due_month,
        order=HonourCareItem.objects.count() + 1,
    )
    record(
        actor=actor,
        action="services.create_honour_care_item",
        target=item,
        data={"kind": kind, "level": level, "due_month": due_month},
    )
    return item


@transaction.atomic
def do_set_honour_care_item_active(*, actor, item: HonourCareItem, active: bool) -> HonourCareItem:
    """Retire a care item (no longer due, nor reminded; its records stay) or use it again."""
    require_configurer(actor)
    item = HonourCareItem.objects.select_for_update().get(pk=item.pk)
    if item.active == active:
        raise HonourError(_("关爱项目已是该状态"), status=409)
    item.active = active
    item.save(update_fields=["active"])
    record(
        actor=actor,
        action="services.set_honour_care_item_active",
        target=item,
        data={"active": active},
    )
    return item


@transaction.atomic
def ensure_default_honour_care_items() -> int:
    """The default care items (honour_rules.DEFAULT_CARE_ITEMS) when none is configured, as
    migration 0006 writes them (for databases built without migrations: tests, demo)."""
    if HonourCareItem.objects.exists():
        return 0
    for order, (name, month) in enumerate(rules.DEFAULT_CARE_ITEMS, start=1):
        HonourCareItem.objects.create(
            name=name, kind=rules.MODEL_WORKER, due_month=month, order=order
        )
    return len(rules.DEFAULT_CARE_ITEMS)


@transaction.atomic
def do_record_honour_care(
    *,
    actor,
    member,
    item: HonourCareItem,
    year: int,
    done_on: dt.date | None,
    note: str = "",
) -> HonourCareRecord:
    """A care item done for a model worker in a year (saved again: corrected)."""
    require(actor, MANAGE_HONOURS, unit=member.org_unit)
    check_year(year)
    if done_on is None:
        raise HonourError(_("请填写完成日期"), field="done_on")
    if done_on > timezone.localdate():
        raise HonourError(_("完成日期不能晚于今天"), field="done_on")
    held = [(h.kind, h.level) for h in queries.active(Honour.objects.filter(member=member))]
    if not item.active or not rules.care_applies(item.kind, item.level, held):
        raise HonourError(_("该会员没有适用此关爱项目的荣誉"), field="item")
    note = text(note, "note", _("说明"), 300, required=False)
    care, created = HonourCareRecord.objects.update_or_create(
        member=member,
        item=item,
        year=year,
        defaults={"done_on": done_on, "note": note, "recorded_by": actor},
    )
    record(
        actor=actor,
        action="services.record_honour_care",
        target=care,
        unit=member.org_unit,
        data={"item": item.pk, "year": year, "done_on": done_on.isoformat(), "new": created},
    )
    return care


def sweep_honour_care(today: dt.date | None = None) -> int:
    """Tell the cadres responsible for a model worker (services.manage_honours, nearest level
    over her unit) about each care item of this year not done by the end of its month: once
    per person, item and year (a HonourCareReminder row marks it). Answers how many."""
    today = today or timezone.localdate()
    sent = 0
    for member, item in list(queries.overdue_care(today.year, today)):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    HonourCareReminder.objects.create(
                        member=member, item=item, year=today.year, sent_at=timezone.now()
                    )
            except IntegrityError:
                continue  # already reminded
            notify(
                recipients=holders(MANAGE_HONOURS, member.org_unit, nearest=True),
                kind="services.honour_care_due",
                title=_("劳模关爱项目逾期未完成"),
                body=_("%(name)s（%(unit)s）的%(item)s：%(year)d 年应于 %(month)d 月底前完成。")
                % {
                    "name": member.name,
                    "unit": member.org_unit.name,
                    "item": item.name,
                    "year": today.year,
                    "month": item.due_month,
                },
                url=reverse("services:honours-care") + f"?year={today.year}",
                unit=member.org_unit,
            )
            sent += 1
    return sent


class UnitHonourRecorder:
    """What services provides to zhijia.core.hooks.honour_recorder (ServicesConfig.ready): an
    enterprise-level 先进集体 honour of a union unit, named by the unit (homes' 建家 titles)."""

    def record_unit_honour(
        self,
        *,
        actor,
        unit,
        year: int,
        title: str,
        awarding_body: str,
        source_label: str = "",
        source_url: str = "",
    ):
        from zhijia.core.hooks import RecordedHonour

        honour = do_record_honour(
            actor=actor,
            kind=rules.ADVANCED_COLLECTIVE,
            level=rules.ENTERPRISE,
            year=year,
            title=title,
            awarding_body=awarding_body,
            unit=unit,
            team_name=unit.name[:100],
            source_label=source_label,
            source_url=source_url,
        )
        return RecordedHonour(
            id=honour.pk, url=reverse("services:honours-desk-honour", args=[honour.pk])
        )
