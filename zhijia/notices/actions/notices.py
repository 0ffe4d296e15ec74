"""Writes of notices: write, edit, publish, withdraw, read, remind.

Every action is keyword-only and atomic, checks its permission again over the notice's unit
(pages and API endpoints answer out-of-scope notices with 404 first), writes the audit event
(through the workflow for publish and withdraw) and notifies through the outbox (sent by the
worker after commit).

Reads are the one write not audited: a read records an opening, changes no record, and one
per member per notice would flood the audit chain; the NoticeRead table is their record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import attachments, audit, search
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.core.workflow import do_transition, start
from zhijia.notices import rules
from zhijia.notices.models import Notice, NoticeAudience, NoticeRead, NoticeReminder
from zhijia.notices.permissions import MANAGE_NOTICE
from zhijia.notices.queries import notices as queries
from zhijia.notices.workflows import EDITABLE_STATES, NOTICE
from zhijia.org.models import OrgUnit

TITLE_MAX = 200
BODY_MAX = 50_000
MAX_AUDIENCE = 50
MAX_ATTACHMENTS = 10
ATTACHMENT_KINDS = {"image", "pdf", "office", "text"}


class NoticeRefused(ActionRefused):
    """A refused write of module notices (see zhijia.core.errors.ActionRefused)."""


def _clean(*, title: str, kind: str, body: str) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    # NUL characters (PostgreSQL's text refuses them) are dropped, like the forms refuse them.
    title = " ".join((title or "").replace("\x00", "").split())
    body = (body or "").replace("\x00", "")
    if not title:
        errors["title"] = [_("请填写标题")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [_("标题不能超过 %(n)d 个字") % {"n": TITLE_MAX}]
    if kind not in Notice.Kind.values:
        errors["kind"] = [_("请选择类别")]
    if len(body or "") > BODY_MAX:
        errors["body"] = [_("正文不能超过 %(n)d 个字符") % {"n": BODY_MAX}]
    clean = rules.clean_html(body or "")
    if not errors and not rules.plain_text(clean).strip():
        errors["body"] = [_("请填写正文")]
    if errors:
        raise NoticeRefused.for_fields(errors)
    return title, kind, clean


def _audience(org_unit: OrgUnit, units: Iterable[OrgUnit] | None) -> list[OrgUnit]:
    chosen = list({u.pk: u for u in (units or [])}.values()) or [org_unit]
    if len(chosen) > MAX_AUDIENCE:
        raise NoticeRefused(
            _("发送范围最多 %(n)d 个单位") % {"n": MAX_AUDIENCE}, field="audience_units"
        )
    if any(not u.path.startswith(org_unit.path) for u in chosen):
        raise NoticeRefused(_("发送范围须为发布单位或其下级单位"), field="audience_units")
    # A unit inside another chosen unit adds nobody: keep the outer one.
    return [u for u in chosen if not any(o is not u and u.path.startswith(o.path) for o in chosen)]


def _set_audience(notice: Notice, units: list[OrgUnit]) -> None:
    NoticeAudience.objects.filter(notice=notice).exclude(unit__in=units).delete()
    have = set(NoticeAudience.objects.filter(notice=notice).values_list("unit_id", flat=True))
    NoticeAudience.objects.bulk_create(
        [NoticeAudience(notice=notice, unit=u) for u in units if u.pk not in have]
    )


def _save_uploads(notice: Notice, uploads: Sequence[Any], actor) -> int:
    already = attachments.attachments_for(notice).count()
    if len(uploads) + already > MAX_ATTACHMENTS:
        raise NoticeRefused(_("附件最多 %(n)d 个") % {"n": MAX_ATTACHMENTS}, field="uploads")
    for upload in uploads:
        try:
            attachments.save_upload(
                upload,
                actor=actor,
                allowed=ATTACHMENT_KINDS,
                owner=notice,
                unit_path=notice.org_unit.path,
            )
        except ValidationError as exc:
            raise NoticeRefused(
                f"{attachments.clean_name(upload.name)}：{'；'.join(exc.messages)}",
                field="uploads",
            ) from exc
    return len(uploads)


@transaction.atomic
def do_create_notice(
    *,
    actor,
    org_unit: OrgUnit,
    title: str,
    body: str,
    kind: str = Notice.Kind.NOTICE,
    audience_units: Iterable[OrgUnit] | None = None,
    pinned: bool = False,
    must_read: bool = False,
    uploads: Sequence[Any] = (),
) -> Notice:
    """A draft notice of `org_unit` to `audience_units` (default: the unit's whole subtree)."""
    require(actor, MANAGE_NOTICE, unit=org_unit)
    title, kind, clean = _clean(title=title, kind=kind, body=body)
    units = _audience(org_unit, audience_units)
    now = timezone.now()
    notice = Notice.objects.create(
        org_unit=org_unit,
        kind=kind,
        title=title,
        body=clean,
        pinned=bool(pinned),
        must_read=bool(must_read),
        author=actor,
        created_at=now,
        updated_at=now,
    )
    _set_audience(notice, units)
    files = _save_uploads(notice, list(uploads), actor)
    audit.record(
        actor=actor,
        action="notices.create_notice",
        target=notice,
        unit=org_unit,
        data={"kind": kind, "audience": [u.pk for u in units], "files": files},
    )
    start(NOTICE, notice, actor=actor)
    return notice


def _lock(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().select_related("org_unit").get(pk=notice.pk)


@transaction.atomic
def do_edit_notice(
    *,
    actor,
    notice: Notice,
    title: str,
    body: str,
    kind: str,
    audience_units: Iterable[OrgUnit] | None = None,
    pinned: bool = False,
    must_read: bool = False,
    uploads: Sequence[Any] = (),
) -> Notice:
    """Change a draft or a published notice (a withdrawn one is closed: 409). The audience
    of a published notice may widen or narrow; reads already recorded stay."""
    require(actor, MANAGE_NOTICE, unit=notice.org_unit)
    notice = _lock(notice)
    if not notice.in_state(*EDITABLE_STATES):
        raise NoticeRefused(_("已撤回的通知不能修改"), status=409)
    title, kind, clean = _clean(title=title, kind=kind, body=body)
    units = _audience(notice.org_unit, audience_units)
    notice.title, notice.kind, notice.body = title, kind, clean
    notice.pinned, notice.must_read = bool(pinned), bool(must_read)
    notice.updated_at = timezone.now()
    notice.save(update_fields=["title", "kind", "body", "pinned", "must_read", "updated_at"])
    _set_audience(notice, units)
    files = _save_uploads(notice, list(uploads), actor)
    audit.record(
        actor=actor,
        action="notices.edit_notice",
        target=notice,
        unit=notice.org_unit,
        data={"kind": kind, "audience": [u.pk for u in units], "files": files},
    )
    return notice


@transaction.atomic
def do_attach_notice_files(*, actor, notice: Notice, uploads: Sequence[Any]) -> Notice:
    """Add files to a draft or published notice (at most MAX_ATTACHMENTS in all)."""
    require(actor, MANAGE_NOTICE, unit=notice.org_unit)
    notice = _lock(notice)
    if not notice.in_state(*EDITABLE_STATES):
        raise NoticeRefused(_("已撤回的通知不能修改"), status=409)
    if not uploads:
        raise NoticeRefused(_("请选择附件"), field="files")
    files = _save_uploads(notice, list(uploads), actor)
    notice.updated_at = timezone.now()
    notice.save(update_fields=["updated_at"])
    audit.record(
        actor=actor,
        action="notices.attach_files",
        target=notice,
        unit=notice.org_unit,
        data={"files": files},
    )
    return notice


def index_notice(notice: Notice) -> None:
    """A published notice in the global search (its audience decides who finds it)."""
    search.index(
        queries.SEARCH_TYPE,
        notice.pk,
        title=notice.title,
        text=notice.body,
        unit_path=notice.org_unit.path,
    )


@transaction.atomic
def do_publish_notice(*, actor, notice: Notice) -> Notice:
    """Publish a draft: from now on the audience sees it (must-read ones on their home)."""
    do_transition(NOTICE, notice, "publish", actor=actor)
    notice.published_at = notice.updated_at = notice.state_changed_at or timezone.now()
    notice.save(update_fields=["published_at", "updated_at"])
    index_notice(notice)
    return notice


@transaction.atomic
def do_withdraw_notice(*, actor, notice: Notice, reason: str) -> Notice:
    """Withdraw a published notice: members no longer see it; its reads stay for the record."""
    reason = " ".join((reason or "").split())[:200]
    do_transition(NOTICE, notice, "withdraw", actor=actor, note=reason)
    notice.withdrawn_at = notice.state_changed_at or timezone.now()
    notice.save(update_fields=["withdrawn_at"])
    search.remove(queries.SEARCH_TYPE, notice.pk)
    return notice


def do_read_notice(*, actor, notice: Notice) -> bool:
    """Record that the member opened the notice: once per member (idempotent, one cheap
    INSERT that ignores the duplicate). Only addressees are recorded; True when recorded now
    or before."""
    member = queries.own_member(actor)
    if member is None or not queries.is_audience(actor, notice):
        return False
    if NoticeRead.objects.filter(notice=notice, member=member).exists():
        return True
    NoticeRead.objects.bulk_create(
        [NoticeRead(notice=notice, member=member, read_at=timezone.now())],
        ignore_conflicts=True,
    )
    return True


@transaction.atomic
def do_remind_non_readers(*, actor, notice: Notice) -> NoticeReminder:
    """Remind the non-readers of a must-read notice, in the actor's scope only, through the
    outbox. One reminder per notice per hour (rules.REMIND_INTERVAL): a second press answers
    409 with the time the next one may go."""
    if not queries.may_see_reads(actor, notice):
        raise PermissionDenied(MANAGE_NOTICE)
    notice = _lock(notice)
    if not notice.must_read or not notice.in_state(NOTICE.states.published):
        raise NoticeRefused(_("只有已发布的必读通知可以提醒未读人员"), status=409)
    now = timezone.now()
    last = queries.last_reminder(notice)
    if not rules.may_remind(last.sent_at if last else None, now):
        next_at = rules.next_reminder_at(last.sent_at if last else None)
        raise NoticeRefused(
            _("一小时内已提醒过，请于 %(at)s 之后再提醒")
            % {"at": timezone.localtime(next_at).strftime("%H:%M")},
            status=409,
        )
    user_model = get_user_model()
    recipients = user_model.objects.filter(
        is_active=True,
        member_record__in=queries.non_readers(actor, notice).values("pk"),
    ).order_by("pk")
    sent = notify(
        recipients=recipients,
        kind="notices.reminder",
        title=_("请阅读必读通知：%(title)s") % {"title": notice.title},
        body=_("%(unit)s 发布的必读通知您尚未阅读，请及时查看。") % {"unit": notice.org_unit.name},
        url=notice.get_absolute_url(),
        unit=notice.org_unit,
    )
    reminder = NoticeReminder.objects.create(
        notice=notice, sent_by=actor, sent_at=now, recipients=len(sent)
    )
    audit.record(
        actor=actor,
        action="notices.remind_non_readers",
        target=notice,
        unit=notice.org_unit,
        data={"recipients": len(sent)},
    )
    return reminder
