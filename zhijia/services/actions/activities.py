"""Writes of activities, each in one transaction with its audit event; notifications through
the outbox (zhijia.core.notify), delivered by the worker after commit.

Capacity: every write that may take or free a place locks the activity row first
(`_lock_activity`: SELECT … FOR UPDATE on PostgreSQL; on SQLite the immediate transaction
already serialises writers), then counts the places held (registered + offered). A member has
one registration per activity (unique constraint); registering again after a cancellation
reuses it, at the end of the waiting list.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import attachments, satisfaction_index, search
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import has_perm
from zhijia.core.satisfaction import is_rating
from zhijia.core.workflow import do_transition, precheck, start
from zhijia.services import rules
from zhijia.services.actions.common import text_field, when_label
from zhijia.services.models import Activity, ActivityRegistration
from zhijia.services.permissions import MANAGE_ACTIVITIES
from zhijia.services.queries import activities as queries
from zhijia.services.workflows import ACTIVITY, RUNNING

S = ACTIVITY.states
R = ActivityRegistration.Status

MAX_CAPACITY = 100_000
MAX_OFFER_HOURS = 24 * 14
# A cadre may check people in from this long before the start until this long after the end.
CHECKIN_BEFORE = dt.timedelta(hours=3)
CHECKIN_AFTER = dt.timedelta(hours=12)
PHOTO_KINDS = {"image"}
PHOTO_MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS_PER_UPLOAD = 20
# The activities' line in the union's satisfaction index (registered in ServicesConfig.ready).
SATISFACTION_SERVICE = "services.activities"
TOKEN_SALT = "services.activity-checkin"  # noqa: S105 (a signing salt, not a secret)

__all__ = [
    "ActivityError",
    "checkin_token",
    "do_cancel_activity",
    "do_cancel_activity_registration",
    "do_check_in_activity",
    "do_add_activity_photos",
    "do_check_in_activity_token",
    "do_close_activity_registration",
    "do_confirm_activity_offer",
    "do_create_activity",
    "do_decline_activity_offer",
    "do_draw_activity",
    "do_edit_activity",
    "do_finish_activity",
    "do_publish_activity",
    "do_rate_activity",
    "do_register_activity",
    "sweep_activities",
]


class ActivityError(ActionRefused):
    """A refused write (see zhijia.core.errors.ActionRefused)."""


_when = when_label


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=ActivityError)


def _lock_activity(activity: Activity) -> Activity:
    # of=("self",): the activity's row only, not its unit's (PostgreSQL locks joined rows too).
    return (
        Activity.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=activity.pk)
    )


def _lock_registration(reg: ActivityRegistration) -> ActivityRegistration:
    return (
        ActivityRegistration.objects.select_for_update(of=("self",))
        .select_related("user", "member__org_unit")
        .get(pk=reg.pk)
    )


def _require_manager(actor, activity: Activity) -> None:
    if not queries.may_manage_activity(actor, activity):
        raise PermissionDenied(MANAGE_ACTIVITIES)


def _url(activity: Activity) -> str:
    return reverse("services:activities-detail", args=[activity.pk])


# --- the activity ---------------------------------------------------------------------------------


def _clean(
    *,
    actor,
    title: str,
    description: str,
    kind: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    org_unit,
    audience_units,
    club,
    capacity: int | None,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    fee: str,
    draw: bool,
    offer_hours: int | None,
) -> dict:
    if org_unit is None:
        raise ActivityError(_("请选择主办单位"), field="org_unit")
    if not has_perm(actor, MANAGE_ACTIVITIES, unit=org_unit):
        raise PermissionDenied(MANAGE_ACTIVITIES)
    for unit in audience_units:
        if not unit.path.startswith(org_unit.path):
            raise ActivityError(_("参加范围只能是主办单位及其下级单位"), field="audience_units")
    if club is not None and not has_perm(actor, MANAGE_ACTIVITIES, unit=club.org_unit):
        raise ActivityError(_("您不能为该兴趣小组发布活动"), field="club")
    if kind not in Activity.Kind.values:
        raise ActivityError(_("请选择活动类型"), field="kind")
    for value, field, label in (
        (starts_at, "starts_at", _("开始时间")),
        (ends_at, "ends_at", _("结束时间")),
        (opens_at, "opens_at", _("报名开始时间")),
        (closes_at, "closes_at", _("报名截止时间")),
    ):
        if value is None:
            raise ActivityError(_("请填写%(label)s") % {"label": label}, field=field)
    assert starts_at and ends_at and opens_at and closes_at  # noqa: S101 (narrowing for mypy)
    if ends_at <= starts_at:
        raise ActivityError(_("结束时间必须晚于开始时间"), field="ends_at")
    if closes_at <= opens_at:
        raise ActivityError(_("报名截止时间必须晚于报名开始时间"), field="closes_at")
    if closes_at > starts_at:
        raise ActivityError(_("报名须在活动开始前截止"), field="closes_at")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise ActivityError(_("名额应在 1 到 %(n)d 之间") % {"n": MAX_CAPACITY}, field="capacity")
    if offer_hours is None:
        offer_hours = 24
    if not 1 <= offer_hours <= MAX_OFFER_HOURS:
        raise ActivityError(
            _("候补确认时限应在 1 到 %(n)d 小时之间") % {"n": MAX_OFFER_HOURS},
            field="offer_hours",
        )
    return {
        "title": _text(title, "title", _("活动名称"), 100),
        "description": _text(description, "description", _("活动介绍"), 5000, required=False),
        "kind": kind,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": _text(place, "place", _("地点"), 200),
        "org_unit": org_unit,
        "club": club,
        "capacity": capacity,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "fee": _text(fee, "fee", _("费用"), 100, required=False),
        "draw": bool(draw),
        "offer_hours": offer_hours,
    }


@transaction.atomic
def do_create_activity(*, actor, audience_units=(), **fields) -> Activity:
    """A cadre drafts an activity of a unit in their scope (published later)."""
    audience = list(audience_units)
    values = _clean(actor=actor, audience_units=audience, **fields)
    activity = Activity.objects.create(created_by=actor, **values)
    activity.audience_units.set(audience)
    start(ACTIVITY, activity, actor=actor)
    record(
        actor=actor,
        action="services.create_activity",
        target=activity,
        unit=activity.org_unit,
        data={"title": activity.title, "capacity": activity.capacity},
    )
    return activity


@transaction.atomic
def do_edit_activity(*, actor, activity: Activity, audience_units=(), **fields) -> Activity:
    """Edit a draft, or a published activity (its capacity never below the places held)."""
    activity = _lock_activity(activity)
    _require_manager(actor, activity)
    if not activity.in_state(S.draft, *RUNNING):
        raise ActivityError(_("活动已结束或已取消，不能修改"), status=409)
    audience = list(audience_units)
    values = _clean(actor=actor, audience_units=audience, **fields)
    if not activity.in_state(S.draft):
        if values["capacity"] < queries.places_taken(activity):
            raise ActivityError(_("名额不能少于已报名人数"), field="capacity")
        if values["draw"] != activity.draw:
            raise ActivityError(_("活动发布后不能更改是否抽签"), field="draw")
    for key, value in values.items():
        setattr(activity, key, value)
    activity.save()
    activity.audience_units.set(audience)
    record(actor=actor, action="services.edit_activity", target=activity, unit=activity.org_unit)
    if activity.in_state(S.published) and not activity.draw:
        _offer_free_places(activity, timezone.now())
    return activity


def index_activity(activity: Activity) -> None:
    """A published activity in the global search (its audience decides who finds it)."""
    search.index(
        queries.SEARCH_TYPE,
        activity.pk,
        title=activity.title,
        text=f"{activity.description}\n{activity.place}",
        unit_path=activity.org_unit.path,
    )


@transaction.atomic
def do_publish_activity(*, actor, activity: Activity) -> Activity:
    """Publish a draft: members of the audience see it; a draw activity gets its seed now,
    shown on its page until the draw."""
    activity = _lock_activity(activity)
    checked = precheck(ACTIVITY, activity, "publish", actor)  # 403, then 409 (not a draft)
    if activity.closes_at <= timezone.now():
        raise ActivityError(_("报名截止时间已过，请先修改报名时间"), field="closes_at", status=409)
    activity.published_at = timezone.now()
    if activity.draw:
        activity.draw_seed = rules.new_seed()
    activity.save(update_fields=["published_at", "draw_seed"])
    do_transition(
        ACTIVITY,
        activity,
        "publish",
        actor=actor,
        prechecked=checked,
        data={"draw_seed": activity.draw_seed},
    )
    index_activity(activity)
    return activity


@transaction.atomic
def do_close_activity_registration(*, actor, activity: Activity) -> Activity:
    activity = _lock_activity(activity)
    do_transition(ACTIVITY, activity, "close", actor=actor)
    return activity


@transaction.atomic
def do_cancel_activity(*, actor, activity: Activity, reason: str) -> Activity:
    """Cancel an activity; everyone registered, waiting or offered is told."""
    activity = _lock_activity(activity)
    checked = precheck(ACTIVITY, activity, "cancel", actor)
    reason = _text(reason, "reason", _("取消原因"), 200)
    now = timezone.now()
    activity.cancel_reason = reason
    activity.save(update_fields=["cancel_reason"])
    affected = list(
        ActivityRegistration.objects.select_for_update(of=("self",))
        .filter(activity=activity, status__in=ActivityRegistration.ACTIVE)
        .select_related("user")
    )
    ActivityRegistration.objects.filter(pk__in=[r.pk for r in affected]).update(
        status=R.CANCELLED, cancelled_at=now, offer_expires_at=None
    )
    do_transition(
        ACTIVITY,
        activity,
        "cancel",
        actor=actor,
        note=reason,
        prechecked=checked,
        data={"registrations_cancelled": len(affected)},
    )
    if affected:
        notify(
            recipients=[r.user for r in affected],
            kind="services.activity_cancelled",
            title=_("您报名的活动已取消"),
            body=_("“%(title)s”（%(when)s）已取消：%(reason)s。")
            % {"title": activity.title, "when": _when(activity.starts_at), "reason": reason},
            url=_url(activity),
        )
    return activity


@transaction.atomic
def do_finish_activity(*, actor, activity: Activity) -> Activity:
    """Mark an activity over once it has ended (the sweep does it for those left open):
    attendees may then rate it, and photos are added to it."""
    activity = _lock_activity(activity)
    system = actor is None  # the sweep
    checked = None if system else precheck(ACTIVITY, activity, "finish", actor)
    now = timezone.now()
    if activity.ends_at > now:
        raise ActivityError(_("活动尚未结束"), status=409)
    ActivityRegistration.objects.filter(
        activity=activity, status__in=(R.WAITING, R.OFFERED, R.APPLIED)
    ).update(status=R.LAPSED, offer_expires_at=None)
    do_transition(ACTIVITY, activity, "finish", actor=actor, system=system, prechecked=checked)
    return activity


@transaction.atomic
def do_add_activity_photos(*, actor, activity: Activity, photos: list) -> list:
    """Photos of an activity that has taken place (core.attachments: images only, checked by
    their content), shown on its page to its audience."""
    activity = _lock_activity(activity)
    _require_manager(actor, activity)
    if activity.in_state(S.cancelled) or activity.starts_at > timezone.now():
        raise ActivityError(_("活动开始后才能上传照片"), status=409)
    if not photos:
        raise ActivityError(_("请选择照片"), field="photos")
    if len(photos) > MAX_PHOTOS_PER_UPLOAD:
        raise ActivityError(
            _("一次最多上传 %(n)d 张照片") % {"n": MAX_PHOTOS_PER_UPLOAD}, field="photos"
        )
    saved = []
    for photo in photos:
        try:
            saved.append(
                attachments.save_upload(
                    photo,
                    actor=actor,
                    allowed=PHOTO_KINDS,
                    max_bytes=PHOTO_MAX_BYTES,
                    owner=activity,
                    unit_path=activity.org_unit.path,
                )
            )
        except ValidationError as exc:
            raise ActivityError(exc.messages[0], field="photos") from exc
    record(
        actor=actor,
        action="services.add_activity_photos",
        target=activity,
        unit=activity.org_unit,
        data={"photos": len(saved)},
    )
    return saved


# --- registration ---------------------------------------------------------------------------------


def _next_position(activity: Activity) -> int:
    top = activity.registrations.aggregate(m=Max("position"))["m"]
    return (top or 0) + 1


@transaction.atomic
def do_register_activity(*, actor, activity: Activity) -> ActivityRegistration:
    """A member of the audience registers: a place while there is one and nobody waits, else
    the waiting list in order; during a draw activity's window, an application."""
    member = queries.member_of(actor)
    if member is None:
        raise PermissionDenied
    # The audience is read before the lock (it holds the other registrations back).
    if not queries.in_audience(activity, member):
        raise ActivityError(
            _("本活动面向%(audience)s，您不在参加范围内")
            % {"audience": queries.audience_label(activity)},
            status=403,
        )
    activity = _lock_activity(activity)  # serialises registrations: never over capacity
    now = timezone.now()
    if not activity.in_state(S.published):
        raise ActivityError(_("该活动不在报名中"), status=409)
    if now < activity.opens_at:
        raise ActivityError(
            _("报名将于 %(when)s 开始") % {"when": _when(activity.opens_at)}, status=409
        )
    if now >= activity.closes_at:
        raise ActivityError(_("报名已截止"), status=409)
    existing = (
        ActivityRegistration.objects.select_for_update(of=("self",))
        .filter(activity=activity, member=member)
        .first()
    )
    if existing is not None and existing.status in ActivityRegistration.ACTIVE:
        raise ActivityError(_("您已报名该活动"), status=409)
    if activity.draw:
        status, position = R.APPLIED, None
    else:
        # One query under the lock: places held, people waiting, the last place in line.
        held = activity.registrations.aggregate(
            taken=Count("pk", filter=Q(status__in=ActivityRegistration.HOLDING)),
            waiting=Count("pk", filter=Q(status=R.WAITING)),
            last=Max("position"),
        )
        if held["taken"] < activity.capacity and not held["waiting"]:
            status, position = R.REGISTERED, None
        else:
            status, position = R.WAITING, (held["last"] or 0) + 1
    reg = existing or ActivityRegistration(activity=activity, member=member)
    reg.user = actor
    reg.status = status
    reg.position = position
    reg.registered_at = now
    reg.cancelled_at = None
    reg.offer_expires_at = None
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError:
        raise ActivityError(_("您已报名该活动"), status=409) from None
    record(
        actor=actor,
        action="services.register_activity",
        target=reg,
        unit=member.org_unit,
        data={"activity": activity.pk, "status": status},
    )
    return reg


def _offer(reg: ActivityRegistration, activity: Activity, now: dt.datetime) -> None:
    reg.status = R.OFFERED
    reg.offer_expires_at = now + dt.timedelta(hours=activity.offer_hours)
    reg.save(update_fields=["status", "offer_expires_at"])
    record(
        actor=None,
        action="services.offer_activity_place",
        target=reg,
        data={"activity": activity.pk, "expires": reg.offer_expires_at.isoformat()},
    )
    notify(
        recipients=[reg.user],
        kind="services.activity_offer",
        title=_("候补到位：有一个活动名额待您确认"),
        body=_("“%(title)s”（%(when)s）有名额空出，请在 %(deadline)s 前确认，逾期将顺延给下一位。")
        % {
            "title": activity.title,
            "when": _when(activity.starts_at),
            "deadline": _when(reg.offer_expires_at),
        },
        url=_url(activity),
    )


def _offer_free_places(activity: Activity, now: dt.datetime) -> list[ActivityRegistration]:
    """Offer every free place to the next in line (the activity row is locked)."""
    if not activity.in_state(*RUNNING) or activity.starts_at <= now:
        return []
    if activity.draw and activity.drawn_at is None:
        return []
    free = activity.capacity - queries.places_taken(activity)
    offered: list[ActivityRegistration] = []
    if free <= 0:
        return offered
    for reg in (
        ActivityRegistration.objects.select_for_update(of=("self",))
        .filter(activity=activity, status=R.WAITING)
        .select_related("user")
        .order_by("position", "id")[:free]
    ):
        _offer(reg, activity, now)
        offered.append(reg)
    return offered


@transaction.atomic
def do_cancel_activity_registration(
    *, actor, registration: ActivityRegistration
) -> ActivityRegistration:
    """The member withdraws (registered, waiting, applied or offered) before the start; a
    freed place is offered to the first in line."""
    activity = _lock_activity(registration.activity)
    reg = _lock_registration(registration)
    if reg.user_id != actor.pk:
        raise PermissionDenied
    if reg.status not in ActivityRegistration.ACTIVE:
        raise ActivityError(_("该报名已取消或已结束"), status=409)
    now = timezone.now()
    if activity.starts_at <= now:
        raise ActivityError(_("活动已开始，不能取消报名"), status=409)
    was = reg.status
    reg.status = R.DECLINED if was == R.OFFERED else R.CANCELLED
    reg.cancelled_at = now
    reg.offer_expires_at = None
    reg.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
    record(
        actor=actor,
        action="services.cancel_activity_registration",
        target=reg,
        data={"activity": activity.pk, "was": was},
    )
    if was in ActivityRegistration.HOLDING:
        _offer_free_places(activity, now)
    return reg


@transaction.atomic
def do_confirm_activity_offer(*, actor, registration: ActivityRegistration) -> ActivityRegistration:
    activity = _lock_activity(registration.activity)
    reg = _lock_registration(registration)
    if reg.user_id != actor.pk:
        raise PermissionDenied
    now = timezone.now()
    if reg.status != R.OFFERED or reg.offer_expires_at is None or reg.offer_expires_at <= now:
        raise ActivityError(_("没有待确认的名额，或确认时间已过"), status=409)
    reg.status = R.REGISTERED
    reg.offer_expires_at = None
    reg.position = None
    reg.save(update_fields=["status", "offer_expires_at", "position"])
    record(
        actor=actor,
        action="services.confirm_activity_offer",
        target=reg,
        data={"activity": activity.pk},
    )
    return reg


@transaction.atomic
def do_decline_activity_offer(*, actor, registration: ActivityRegistration) -> ActivityRegistration:
    if registration.status != R.OFFERED:
        raise ActivityError(_("没有待确认的名额"), status=409)
    return do_cancel_activity_registration(actor=actor, registration=registration)


def _lapse_offers_of(activity: Activity, now: dt.datetime) -> int:
    lapsed = list(
        ActivityRegistration.objects.select_for_update(of=("self",)).filter(
            activity=activity, status=R.OFFERED, offer_expires_at__lte=now
        )
    )
    for reg in lapsed:
        reg.status = R.LAPSED
        reg.offer_expires_at = None
        reg.save(update_fields=["status", "offer_expires_at"])
        record(
            actor=None,
            action="services.lapse_activity_offer",
            target=reg,
            data={"activity": activity.pk},
        )
    if lapsed:
        _offer_free_places(activity, now)
    return len(lapsed)


def sweep_activities(now: dt.datetime | None = None) -> dict[str, int]:
    """Lapsed offers pass to the next in line; registration closes when its window has;
    ended activities are finished."""
    now = now or timezone.now()
    counts = {"lapsed": 0, "closed": 0, "finished": 0}
    activity_ids = set(
        ActivityRegistration.objects.filter(status=R.OFFERED, offer_expires_at__lte=now)
        .values_list("activity_id", flat=True)
        .distinct()
    )
    for pk in sorted(activity_ids):
        with transaction.atomic():
            activity = Activity.objects.select_for_update(of=("self",)).get(pk=pk)
            counts["lapsed"] += _lapse_offers_of(activity, now)
    for pk in Activity.objects.filter(
        state=S.published, closes_at__lte=now, ends_at__gt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            activity = Activity.objects.select_for_update(of=("self",)).get(pk=pk)
            if not activity.in_state(S.published) or activity.closes_at > now:
                continue
            do_transition(
                ACTIVITY, activity, "close", actor=None, system=True, data={"window": "closed"}
            )
            counts["closed"] += 1
    for activity in Activity.objects.filter(state__in=RUNNING, ends_at__lte=now):
        try:
            do_finish_activity(actor=None, activity=activity)
            counts["finished"] += 1
        except ActivityError:
            continue
    return counts


# --- the draw -------------------------------------------------------------------------------------


@transaction.atomic
def do_draw_activity(*, actor, activity: Activity) -> rules.DrawResult:
    """After the window, draw the places among the applicants from the published seed: the
    winners are registered, the others wait in the drawn order."""
    activity = _lock_activity(activity)
    _require_manager(actor, activity)
    now = timezone.now()
    if not activity.draw:
        raise ActivityError(_("该活动不抽签"), status=409)
    if activity.drawn_at is not None:
        raise ActivityError(_("已经抽过签"), status=409)
    if not activity.in_state(*RUNNING):
        raise ActivityError(_("活动已结束或已取消"), status=409)
    if now < activity.closes_at:
        raise ActivityError(_("报名截止后才能抽签"), status=409)
    applicants = {
        r.member_id: r
        for r in ActivityRegistration.objects.select_for_update(of=("self",)).filter(
            activity=activity, status=R.APPLIED
        )
    }
    result = rules.draw(activity.draw_seed, applicants.keys(), activity.capacity)
    for member_id in result.winners:
        reg = applicants[member_id]
        reg.status = R.REGISTERED
        reg.save(update_fields=["status"])
    for position, member_id in enumerate(result.waiting, start=1):
        reg = applicants[member_id]
        reg.status = R.WAITING
        reg.position = position
        reg.save(update_fields=["status", "position"])
    activity.drawn_at = now
    activity.save(update_fields=["drawn_at"])
    if activity.in_state(S.published):
        do_transition(ACTIVITY, activity, "close", actor=actor, data={"draw": True})
    record(
        actor=actor,
        action="services.draw_activity",
        target=activity,
        unit=activity.org_unit,
        data={
            "seed": activity.draw_seed,
            "applicants": len(applicants),
            "winners": list(result.winners),
            "waiting": list(result.waiting),
        },
    )
    users = {r.member_id: r.user_id for r in applicants.values()}
    user_model = get_user_model()
    winners = user_model.objects.filter(pk__in=[users[m] for m in result.winners])
    losers = user_model.objects.filter(pk__in=[users[m] for m in result.waiting])
    if result.winners:
        notify(
            recipients=winners,
            kind="services.activity_drawn",
            title=_("抽签结果：您已获得活动名额"),
            body=_("“%(title)s”（%(when)s）抽签完成，您已中签，请按时参加。")
            % {"title": activity.title, "when": _when(activity.starts_at)},
            url=_url(activity),
        )
    if result.waiting:
        notify(
            recipients=losers,
            kind="services.activity_drawn",
            title=_("抽签结果：您在候补名单中"),
            body=_("“%(title)s”抽签完成，您未中签，已按抽签顺序列入候补，有名额空出时会通知您。")
            % {"title": activity.title},
            url=_url(activity),
        )
    return result


# --- check-in and rating --------------------------------------------------------------------------


def checkin_token(reg: ActivityRegistration) -> str:
    """The signed token in the member's QR code: (activity, registration)."""
    return signing.dumps({"a": reg.activity_id, "r": reg.pk}, salt=TOKEN_SALT, compress=True)


def _check_in(
    actor, activity: Activity, reg: ActivityRegistration
) -> tuple[ActivityRegistration, bool]:
    now = timezone.now()
    if not activity.in_state(*RUNNING, S.finished):
        raise ActivityError(_("活动已取消或尚未发布"), status=409)
    if now < activity.starts_at - CHECKIN_BEFORE:
        raise ActivityError(_("活动开始前 3 小时才能签到"), status=409)
    if now > activity.ends_at + CHECKIN_AFTER:
        raise ActivityError(_("活动已结束，不能再签到"), status=409)
    if reg.checked_in_at is not None:
        return reg, False  # the same scan sent again: one attendance
    if reg.status != R.REGISTERED:
        raise ActivityError(
            _("%(name)s 的报名状态为“%(status)s”，不能签到")
            % {"name": reg.member.name, "status": reg.get_status_display()},
            status=409,
        )
    reg.checked_in_at = now
    reg.checked_in_by = actor
    reg.save(update_fields=["checked_in_at", "checked_in_by"])
    record(
        actor=actor,
        action="services.check_in_activity",
        target=reg,
        data={"activity": activity.pk},
    )
    return reg, True


@transaction.atomic
def do_check_in_activity(
    *, actor, activity: Activity, registration_id: int
) -> tuple[ActivityRegistration, bool]:
    """Tick a registered member on the check-in list. Returns (registration, newly checked in);
    a second tick records nothing more."""
    activity = _lock_activity(activity)
    _require_manager(actor, activity)
    reg = (
        ActivityRegistration.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(activity=activity, pk=registration_id)
        .first()
    )
    if reg is None:
        raise ActivityError(_("没有这条报名记录"), field="registration_id", status=404)
    return _check_in(actor, activity, reg)


@transaction.atomic
def do_check_in_activity_token(
    *, actor, activity: Activity, token: str
) -> tuple[ActivityRegistration, bool]:
    """Check in by the token of a member's QR code (idempotent: a retried scan records one
    attendance)."""
    activity = _lock_activity(activity)
    _require_manager(actor, activity)
    try:
        payload = signing.loads((token or "").strip(), salt=TOKEN_SALT)
        activity_id, reg_id = int(payload["a"]), int(payload["r"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ActivityError(_("二维码无效，请让职工刷新报名页面后重试"), field="token") from None
    if activity_id != activity.pk:
        raise ActivityError(_("这是其他活动的二维码"), field="token", status=409)
    reg = (
        ActivityRegistration.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(activity=activity, pk=reg_id)
        .first()
    )
    if reg is None:
        raise ActivityError(_("二维码无效，请让职工刷新报名页面后重试"), field="token")
    return _check_in(actor, activity, reg)


@transaction.atomic
def do_rate_activity(
    *, actor, registration: ActivityRegistration, rating: str
) -> ActivityRegistration:
    """An attendee rates a finished activity, once, on the shared scale."""
    reg = _lock_registration(registration)
    if reg.user_id != actor.pk:
        raise PermissionDenied
    if not is_rating(rating):
        raise ActivityError(_("请选择满意度"), field="rating")
    activity = reg.activity
    if not activity.in_state(S.finished):
        raise ActivityError(_("活动结束后才能评价"), status=409)
    if reg.checked_in_at is None:
        raise ActivityError(_("只有签到参加的职工可以评价"), status=409)
    if reg.rating:
        raise ActivityError(_("您已评价过该活动"), status=409)
    reg.rating = rating
    reg.rated_at = timezone.now()
    reg.save(update_fields=["rating", "rated_at"])
    # Counted for the attendee's union unit; a 不满意 opens a follow-up for its cadres.
    satisfaction_index.record_rating(
        service=SATISFACTION_SERVICE,
        rating=rating,
        unit=reg.member.org_unit,
        record_id=reg.pk,
        label=activity.title,
        url=reverse("services:activities-manage-detail", args=[activity.pk]),
    )
    record(
        actor=actor,
        action="services.rate_activity",
        target=reg,
        data={"activity": activity.pk, "rating": rating},
    )
    return reg
