"""Writes of the participation channels' meetings (subject channels, continued from
actions/channels.py, which holds reception days and hearings): democratic deliberation
meetings and labour-management consultation talks (职工民主议事会, 劳资协商恳谈会), whose
decisions become tracked items on the same workflow as a reception's (workflows.RECEPTION_ITEM),
and representatives sitting in on management meetings (职工代表列席行政办公会) with each one's
report afterwards. Each in one transaction, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.congress import channels_rules as rules
from zhijia.congress.actions.channels import ChannelError, _is_representative, _require, _text
from zhijia.congress.models import Deliberation, ReceptionItem, SitIn, SitInSeat
from zhijia.congress.permissions import MANAGE_CHANNELS, REPORT_FOLLOWUP
from zhijia.congress.queries import channels as queries
from zhijia.congress.workflows import RECEPTION_ITEM
from zhijia.core.audit import record
from zhijia.core.notify import notify
from zhijia.core.permissions import holders
from zhijia.core.workflow import start
from zhijia.org.models import Department, Member, OrgUnit

MAX_PEOPLE = 200

__all__ = [
    "do_plan_deliberation",
    "do_plan_sitin",
    "do_record_minutes",
    "do_report_sitin",
]


def _members_of(unit: OrgUnit, members: Sequence[Member], field: str) -> list[Member]:
    members = list(dict.fromkeys(members))
    if len(members) > MAX_PEOPLE:
        raise ChannelError(_("人数不能超过 %(n)d") % {"n": MAX_PEOPLE}, field=field)
    if rules.outside_unit(unit.path, [m.org_unit.path for m in members]):
        raise ChannelError(_("只能选择本单位的会员"), field=field)
    return members


@transaction.atomic
def do_plan_deliberation(
    *,
    actor,
    unit: OrgUnit,
    kind: str,
    title: str,
    held_on: dt.date | None,
    agenda: str,
    participants: Sequence[Member] = (),
) -> Deliberation:
    """The cadre plans a deliberation meeting or a consultation talk of `unit`."""
    _require(queries.can_manage(actor, unit), MANAGE_CHANNELS)
    if kind not in Deliberation.Kind.values:
        raise ChannelError(_("请选择会议类别"), field="kind")
    if held_on is None:
        raise ChannelError(_("请填写会议日期"), field="held_on")
    people = _members_of(unit, participants, "participants")
    meeting = Deliberation.objects.create(
        org_unit=unit,
        kind=kind,
        title=_text(title, "title", _("会议名称"), max_length=200),
        held_on=held_on,
        agenda=_text(agenda, "agenda", _("议题"), max_length=4000),
        created_by=actor,
    )
    meeting.participants.set(people)
    record(
        actor=actor,
        action="congress.plan_deliberation",
        target=meeting,
        unit=unit,
        data={"kind": kind, "held_on": held_on.isoformat(), "participants": len(people)},
    )
    return meeting


@transaction.atomic
def do_record_minutes(
    *,
    actor,
    meeting: Deliberation,
    minutes: str,
    decisions: Sequence[tuple[str, Department]] = (),
) -> Deliberation:
    """After the meeting the cadre records its minutes once; each decision needing action
    (title, responsible department) becomes a tracked item with its working-day deadline on
    the workflow congress.reception_item (one mechanism with the reception days')."""
    meeting = (
        Deliberation.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=meeting.pk)
    )
    _require(queries.can_manage(actor, meeting.org_unit), MANAGE_CHANNELS)
    refusal = rules.may_record_minutes(
        meeting.held_on, timezone.localdate(), meeting.minutes_at is not None
    )
    if refusal == rules.NOT_HELD:
        raise ChannelError(_("会议召开后才能记录纪要"), status=409)
    if refusal == rules.RECORDED:
        raise ChannelError(_("会议纪要已记录"), status=409)
    meeting.minutes = _text(minutes, "minutes", _("会议纪要"))
    meeting.minutes_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_at"])
    items = []
    for title, department in decisions:
        item = ReceptionItem.objects.create(
            deliberation=meeting,
            org_unit=meeting.org_unit,
            department=department,
            title=_text(title, "decisions", _("决定事项"), max_length=200),
        )
        start(RECEPTION_ITEM, item, actor=actor, data={"deliberation": meeting.pk})
        items.append(item)
        notify(
            recipients=holders(REPORT_FOLLOWUP, department=department),
            kind="congress.reception_item",
            title=_("%(kind)s决定事项：%(title)s")
            % {"kind": meeting.get_kind_display(), "title": item.title},
            body=_("“%(meeting)s”决定的事项“%(title)s”由贵部门办理。")
            % {"meeting": meeting.title, "title": item.title},
            url=item.get_absolute_url(),
            unit=meeting.org_unit,
        )
    record(
        actor=actor,
        action="congress.record_deliberation_minutes",
        target=meeting,
        unit=meeting.org_unit,
        data={"items": [i.pk for i in items]},
    )
    return meeting


@transaction.atomic
def do_plan_sitin(
    *,
    actor,
    unit: OrgUnit,
    title: str,
    held_on: dt.date | None,
    body: str,
    representatives: Sequence[Member],
) -> SitIn:
    """The congress office records which representatives sit in on a management meeting."""
    _require(queries.can_manage(actor, unit), MANAGE_CHANNELS)
    if held_on is None:
        raise ChannelError(_("请填写会议日期"), field="held_on")
    people = _members_of(unit, representatives, "representatives")
    if not people:
        raise ChannelError(_("请选择列席的职工代表"), field="representatives")
    if any(m.user_id is None or not _is_representative(m.user, unit) for m in people):
        raise ChannelError(_("列席人员须为本单位职工代表"), field="representatives")
    sitin = SitIn.objects.create(
        org_unit=unit,
        title=_text(title, "title", _("会议名称"), max_length=200),
        held_on=held_on,
        body=_text(body, "body", _("召集机构"), max_length=100),
        created_by=actor,
    )
    SitInSeat.objects.bulk_create([SitInSeat(sitin=sitin, member=m) for m in people])
    record(
        actor=actor,
        action="congress.plan_sitin",
        target=sitin,
        unit=unit,
        data={"held_on": held_on.isoformat(), "representatives": [m.pk for m in people]},
    )
    notify(
        recipients=[m.user for m in people],
        kind="congress.sitin_planned",
        title=_("请列席%(title)s") % {"title": sitin.title},
        body=_("%(date)s %(body)s，会后请提交列席报告。") % {"date": held_on, "body": sitin.body},
        url="",
        unit=unit,
    )
    return sitin


@transaction.atomic
def do_report_sitin(*, actor, seat: SitInSeat, report: str) -> SitInSeat:
    """The representative who sat in reports afterwards, once."""
    seat = (
        SitInSeat.objects.select_for_update(of=("self",))
        .select_related("sitin__org_unit", "member")
        .get(pk=seat.pk)
    )
    if seat.member.user_id != actor.pk:
        raise PermissionDenied
    if seat.sitin.held_on > timezone.localdate():
        raise ChannelError(_("会议召开后才能提交列席报告"), status=409)
    if seat.reported_at is not None:
        raise ChannelError(_("列席报告已提交"), status=409)
    seat.report = _text(report, "report", _("列席报告"), max_length=4000)
    seat.reported_at = timezone.now()
    seat.save(update_fields=["report", "reported_at"])
    record(
        actor=actor,
        action="congress.report_sitin",
        target=seat.sitin,
        unit=seat.sitin.org_unit,
        data={"seat": seat.pk},
    )
    return seat
