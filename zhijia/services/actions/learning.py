"""Writes of learning (培训): courses, sessions, material, enrolment, attendance, completion
(hours credited once), certificates, plans and ratings; each in one transaction with its audit
event, notifications through the outbox (zhijia.core.notify). The question bank and the
tests are in actions/learning_tests.py.

Completion is written once: `complete_enrolment` locks the enrolment's row and returns at once
when it is already completed, so a member who finishes the material, attends a session and
passes the test is credited the course's hours one time only, to the year of the first.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs, urlsplit

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import attachments, satisfaction_index, search
from zhijia.core.audit import record
from zhijia.core.errors import ActionRefused
from zhijia.core.notify import notify
from zhijia.core.permissions import require
from zhijia.core.satisfaction import is_rating
from zhijia.core.workflow import do_transition, start
from zhijia.services.actions.common import text_field
from zhijia.services.models import (
    LearningAttendance,
    LearningCertificate,
    LearningCourse,
    LearningEnrolment,
    LearningPlan,
    LearningSession,
)
from zhijia.services.permissions import MANAGE_LEARNING
from zhijia.services.queries import learning as queries
from zhijia.services.workflows import LEARNING_COURSE

SATISFACTION_SERVICE = "services.learning"
TOKEN_SALT = "services.learning-checkin"  # noqa: S105 (a signing salt, not a secret)
MAX_HOURS = Decimal("200")
MAX_CAPACITY = 1000
MAX_SESSION_HOURS = 12
# A course's files: PDF and text up to 50 MB, MP4 video up to 500 MB (checked by content).
MATERIAL_KINDS = {"pdf", "text", "video"}
MATERIAL_MAX_BYTES = 50 * 1024 * 1024
VIDEO_MAX_BYTES = 500 * 1024 * 1024
CHECKIN_BEFORE = dt.timedelta(hours=1)
CHECKIN_AFTER = dt.timedelta(hours=2)

__all__ = [
    "LearningError",
    "checkin_token",
    "complete_enrolment",
    "do_add_learning_material",
    "do_add_learning_session",
    "do_assign_learning",
    "do_check_in_learning",
    "do_check_in_learning_token",
    "do_close_learning_course",
    "do_create_learning_course",
    "do_create_learning_plan",
    "do_enrol_learning",
    "do_finish_learning_material",
    "do_publish_learning_course",
    "do_rate_learning_course",
    "do_revoke_learning_certificate",
]


class LearningError(ActionRefused):
    """A refused write (zhijia.core.errors.ActionRefused): message, field, status."""


def _text(value: str, field: str, label: str, max_length: int, *, required: bool = True) -> str:
    return text_field(value, field, label, max_length, required=required, error=LearningError)


def _decimal(value, field: str, label: str, maximum: Decimal) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        raise LearningError(_("请填写%(label)s") % {"label": label}, field=field) from None
    if not Decimal("0") < number <= maximum:
        raise LearningError(
            _("%(label)s应大于 0 且不超过 %(n)s") % {"label": label, "n": maximum}, field=field
        )
    return number


def _require_manager(actor, course: LearningCourse) -> None:
    require(actor, MANAGE_LEARNING, unit=course.org_unit)


def _course_url(course: LearningCourse) -> str:
    return reverse("services:learning-course", args=[course.pk])


def _lock_course(course: LearningCourse) -> LearningCourse:
    return LearningCourse.objects.select_for_update().select_related("org_unit").get(pk=course.pk)


# --- courses -------------------------------------------------------------------------------------


@transaction.atomic
def do_create_learning_course(
    *,
    actor,
    title: str,
    org_unit,
    kind: str,
    hours,
    description: str = "",
    material: str = "",
    test_questions: int = 0,
    test_minutes: int = 30,
    test_attempts: int = 3,
    pass_mark: int = 60,
) -> LearningCourse:
    """A cadre drafts a course of their unit (open to its subtree once published)."""
    require(actor, MANAGE_LEARNING, unit=org_unit)
    if kind not in LearningCourse.Kind.values:
        raise LearningError(_("请选择课程形式"), field="kind")
    if not 0 <= (test_questions or 0) <= 100:
        raise LearningError(_("每次抽题数应在 0 到 100 之间"), field="test_questions")
    if not 1 <= (test_minutes or 0) <= 300:
        raise LearningError(_("答题时限应在 1 到 300 分钟之间"), field="test_minutes")
    if not 1 <= (test_attempts or 0) <= 20:
        raise LearningError(_("允许次数应在 1 到 20 次之间"), field="test_attempts")
    if not 1 <= (pass_mark or 0) <= 100:
        raise LearningError(_("及格分应在 1 到 100 之间"), field="pass_mark")
    course = LearningCourse.objects.create(
        title=_text(title, "title", _("课程名称"), 100),
        description=_text(description, "description", _("课程简介"), 5000, required=False),
        material=_text(material, "material", _("学习资料"), 50000, required=False),
        kind=kind,
        org_unit=org_unit,
        hours=_decimal(hours, "hours", _("学时"), MAX_HOURS),
        test_questions=test_questions or 0,
        test_minutes=test_minutes,
        test_attempts=test_attempts,
        pass_mark=pass_mark,
        created_by=actor,
    )
    start(LEARNING_COURSE, course, actor=actor)
    record(
        actor=actor,
        action="services.create_learning_course",
        target=course,
        unit=org_unit,
        data={"kind": kind, "hours": str(course.hours), "test": course.test_questions},
    )
    return course


def index_course(course: LearningCourse) -> None:
    """A published course in the global search (members below its unit find it)."""
    search.index(
        queries.SEARCH_TYPE,
        course.pk,
        title=course.title,
        text=course.description,
        unit_path=course.org_unit.path,
    )


@transaction.atomic
def do_publish_learning_course(*, actor, course: LearningCourse) -> LearningCourse:
    do_transition(LEARNING_COURSE, course, "publish", actor=actor)
    index_course(course)
    return course


@transaction.atomic
def do_close_learning_course(*, actor, course: LearningCourse) -> LearningCourse:
    do_transition(LEARNING_COURSE, course, "close", actor=actor)
    return course


@transaction.atomic
def do_add_learning_session(
    *,
    actor,
    course: LearningCourse,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    capacity: int | None,
) -> LearningSession:
    """A classroom session of a draft or published classroom course."""
    _require_manager(actor, course)
    course = _lock_course(course)
    if course.kind != LearningCourse.Kind.CLASSROOM:
        raise LearningError(_("线上课程没有课堂"), status=409)
    if not course.in_state("draft", "published"):
        raise LearningError(_("课程已结束，不能再添加课堂"), status=409)
    if starts_at is None:
        raise LearningError(_("请填写开始时间"), field="starts_at")
    if ends_at is None:
        raise LearningError(_("请填写结束时间"), field="ends_at")
    if ends_at <= starts_at:
        raise LearningError(_("结束时间必须晚于开始时间"), field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=MAX_SESSION_HOURS):
        raise LearningError(
            _("一个课堂不能超过 %(n)d 小时") % {"n": MAX_SESSION_HOURS}, field="ends_at"
        )
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise LearningError(
            _("容纳人数应在 1 到 %(n)d 人之间") % {"n": MAX_CAPACITY}, field="capacity"
        )
    session = LearningSession.objects.create(
        course=course,
        starts_at=starts_at,
        ends_at=ends_at,
        place=_text(place, "place", _("地点"), 200),
        capacity=capacity,
    )
    record(
        actor=actor,
        action="services.add_learning_session",
        target=session,
        unit=course.org_unit,
        data={"course": course.pk, "starts_at": starts_at.isoformat(), "capacity": capacity},
    )
    return session


@transaction.atomic
def do_add_learning_material(*, actor, course: LearningCourse, upload):
    """A PDF, text or MP4 video file for the course's online material (type by content and
    size checked by core.attachments); readable by whoever may open the course."""
    _require_manager(actor, course)
    course = _lock_course(course)
    if course.in_state("closed"):
        raise LearningError(_("课程已结束，不能再添加资料"), status=409)
    found = attachments.check_upload(upload, allowed=MATERIAL_KINDS, max_bytes=VIDEO_MAX_BYTES)
    if found.kind != "video" and upload.size > MATERIAL_MAX_BYTES:
        raise LearningError(
            _("PDF 和文本文件最大 %(n)d MB") % {"n": MATERIAL_MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    attachment = attachments.save_upload(
        upload,
        actor=actor,
        allowed=MATERIAL_KINDS,
        max_bytes=VIDEO_MAX_BYTES if found.kind == "video" else MATERIAL_MAX_BYTES,
        owner=course,
        unit_path=course.org_unit.path,
    )
    record(
        actor=actor,
        action="services.add_learning_material",
        target=course,
        unit=course.org_unit,
        data={"attachment": str(attachment.pk), "name": attachment.original_name},
    )
    return attachment


# --- enrolment -----------------------------------------------------------------------------------


def _enrol(course, worker, *, source, session=None, assigned_by=None) -> LearningEnrolment:
    return LearningEnrolment.objects.create(
        course=course,
        worker=worker,
        session=session,
        source=source,
        assigned_by=assigned_by,
        enrolled_at=timezone.now(),
    )


@transaction.atomic
def do_enrol_learning(*, actor, course: LearningCourse, session=None) -> LearningEnrolment:
    """A member of the course's audience enrols herself; a classroom course needs a coming
    session with a seat left (its row locked while the seats are counted)."""
    if not queries.is_member(actor):
        raise PermissionDenied
    course = _lock_course(course)
    if not queries.in_audience(actor, course):
        raise LearningError(_("本课程不面向您所在的单位"), status=403)
    if not course.in_state("published"):
        raise LearningError(_("该课程不在报名学习中"), status=409)
    if queries.enrolment_of(actor, course) is not None:
        raise LearningError(_("您已报名该课程"), status=409)
    if course.kind == LearningCourse.Kind.CLASSROOM:
        if session is None:
            raise LearningError(_("请选择课堂"), field="session")
        session = LearningSession.objects.select_for_update().get(pk=session.pk)
        if session.course_id != course.pk:
            raise LearningError(_("请选择本课程的课堂"), field="session", status=404)
        if session.starts_at <= timezone.now():
            raise LearningError(_("该课堂已开始，不能再报名"), field="session", status=409)
        if session.enrolments.count() >= session.capacity:
            raise LearningError(_("该课堂已报满，请选择其他课堂"), field="session", status=409)
    else:
        session = None
    enrolment = _enrol(course, actor, source=LearningEnrolment.Source.SELF, session=session)
    record(
        actor=actor,
        action="services.enrol_learning",
        target=enrolment,
        unit=course.org_unit,
        data={"course": course.pk, "session": getattr(session, "pk", None)},
    )
    return enrolment


@transaction.atomic
def do_assign_learning(*, actor, course: LearningCourse, workers) -> list[LearningEnrolment]:
    """A cadre assigns the course to members (a unit's subtree or a list): each one not yet
    enrolled is enrolled and told; those already enrolled are left as they are."""
    _require_manager(actor, course)
    course = _lock_course(course)
    if not course.in_state("published"):
        raise LearningError(_("课程发布后才能指派"), status=409)
    workers = [w for w in workers if queries.in_audience(w, course)]
    if not workers:
        raise LearningError(_("没有可以指派的在册会员（须属于本课程的单位范围）"), field="members")
    enrolled = set(
        LearningEnrolment.objects.filter(course=course, worker__in=workers).values_list(
            "worker_id", flat=True
        )
    )
    created = [
        _enrol(course, w, source=LearningEnrolment.Source.ASSIGNED, assigned_by=actor)
        for w in workers
        if w.pk not in enrolled
    ]
    if created:
        notify(
            recipients=[e.worker for e in created],
            kind="services.learning_assigned",
            title=_("您有一门培训课程待学习"),
            body=_("“%(title)s”（%(hours)s 学时）")
            % {"title": course.title, "hours": course.hours},
            url=_course_url(course),
            unit=course.org_unit,
        )
    record(
        actor=actor,
        action="services.assign_learning",
        target=course,
        unit=course.org_unit,
        data={"assigned": [e.worker_id for e in created], "already": sorted(enrolled)},
    )
    return created


# --- completion, hours, certificate --------------------------------------------------------------


def _certificate_number(course: LearningCourse, enrolment: LearningEnrolment) -> str:
    return f"PX{timezone.localdate().year}-{course.pk:04d}-{enrolment.pk:06d}"


def complete_enrolment(enrolment: LearningEnrolment, how: str, *, actor) -> bool:
    """Complete the enrolment once (inside the caller's transaction): the course's hours are
    credited to this year and the certificate issued. False when it was completed already."""
    locked = LearningEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.completed_at is not None:
        return False
    course = locked.course
    now = timezone.now()
    locked.completed_at = now
    locked.completed_how = how
    locked.hours_credited = course.hours
    locked.credit_year = timezone.localtime(now).year
    locked.save(update_fields=["completed_at", "completed_how", "hours_credited", "credit_year"])
    certificate = LearningCertificate.objects.create(
        enrolment=locked,
        number=_certificate_number(course, locked),
        token=secrets.token_urlsafe(24),
        issued_on=timezone.localdate(),
    )
    record(
        actor=actor,
        action="services.complete_learning",
        target=locked,
        unit=course.org_unit,
        data={"how": how, "hours": str(course.hours), "certificate": certificate.number},
    )
    for field in ("completed_at", "completed_how", "hours_credited", "credit_year"):
        setattr(enrolment, field, getattr(locked, field))
    return True


@transaction.atomic
def do_finish_learning_material(*, actor, enrolment: LearningEnrolment) -> LearningEnrolment:
    """The member has studied an online course's material (a course without a test: with a
    test, passing it completes the course)."""
    if enrolment.worker_id != actor.pk:
        raise PermissionDenied
    course = enrolment.course
    if course.kind != LearningCourse.Kind.ONLINE:
        raise LearningError(_("课堂培训以签到计学时"), status=409)
    if course.has_test:
        raise LearningError(_("本课程需通过测试才算完成"), status=409)
    if not course.in_state("published"):
        raise LearningError(_("该课程不在报名学习中"), status=409)
    if not complete_enrolment(enrolment, LearningEnrolment.How.MATERIAL, actor=actor):
        raise LearningError(_("您已完成该课程"), status=409)
    return enrolment


# --- attendance ----------------------------------------------------------------------------------


def checkin_token(enrolment: LearningEnrolment) -> str:
    """The signed token in the member's QR code: (session, enrolment)."""
    return signing.dumps(
        {"s": enrolment.session_id, "e": enrolment.pk}, salt=TOKEN_SALT, compress=True
    )


def _check_in(actor, session: LearningSession, enrolment: LearningEnrolment, method: str):
    now = timezone.now()
    if now < session.starts_at - CHECKIN_BEFORE:
        raise LearningError(_("课堂开始前 1 小时才能签到"), status=409)
    if now > session.ends_at + CHECKIN_AFTER:
        raise LearningError(_("课堂已结束，不能再签到"), status=409)
    if enrolment.attendances.filter(session=session).exists():
        return enrolment, False  # the same scan sent again: one attendance
    try:
        with transaction.atomic():
            LearningAttendance.objects.create(
                session=session,
                enrolment=enrolment,
                method=method,
                checked_in_at=now,
                recorded_by=actor,
            )
    except IntegrityError:
        return enrolment, False
    record(
        actor=actor,
        action="services.check_in_learning",
        target=enrolment,
        unit=session.course.org_unit,
        data={"session": session.pk, "method": method},
    )
    complete_enrolment(enrolment, LearningEnrolment.How.ATTENDED, actor=actor)
    return enrolment, True


@transaction.atomic
def do_check_in_learning(*, actor, session: LearningSession, enrolment_id: int):
    """Roll call: the cadre ticks an enrolled member present (a second tick adds nothing)."""
    _require_manager(actor, session.course)
    session = (
        LearningSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    )
    enrolment = (
        LearningEnrolment.objects.select_for_update()
        .filter(course=session.course, pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise LearningError(_("没有这条报名记录"), field="enrolment_id", status=404)
    return _check_in(actor, session, enrolment, LearningAttendance.Method.ROLL_CALL)


@transaction.atomic
def do_check_in_learning_token(*, actor, session: LearningSession, token: str):
    """Check in by the token of a member's QR code (idempotent)."""
    _require_manager(actor, session.course)
    session = (
        LearningSession.objects.select_for_update().select_related("course").get(pk=session.pk)
    )
    text = (token or "").strip()
    if "token=" in text:  # the QR code's whole link, pasted or scanned by a reader
        text = parse_qs(urlsplit(text).query).get("token", [""])[0]
    try:
        payload = signing.loads(text, salt=TOKEN_SALT)
        session_id, enrolment_id = int(payload["s"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LearningError(_("二维码无效，请让职工刷新课程页面后重试"), field="token") from None
    if session_id != session.pk:
        raise LearningError(_("这是其他课堂的二维码"), field="token", status=409)
    enrolment = (
        LearningEnrolment.objects.select_for_update()
        .filter(course=session.course, pk=enrolment_id)
        .first()
    )
    if enrolment is None:
        raise LearningError(_("二维码无效，请让职工刷新课程页面后重试"), field="token")
    return _check_in(actor, session, enrolment, LearningAttendance.Method.QR)


# --- rating --------------------------------------------------------------------------------------


@transaction.atomic
def do_rate_learning_course(*, actor, enrolment: LearningEnrolment, rating: str):
    """The learner rates a course she completed, once, on the shared scale."""
    enrolment = (
        LearningEnrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    )
    if enrolment.worker_id != actor.pk:
        raise PermissionDenied
    if not is_rating(rating):
        raise LearningError(_("请选择满意度"), field="rating")
    if enrolment.completed_at is None:
        raise LearningError(_("完成课程后才能评价"), status=409)
    if enrolment.rating:
        raise LearningError(_("您已评价过该课程"), status=409)
    enrolment.rating = rating
    enrolment.rated_at = timezone.now()
    enrolment.save(update_fields=["rating", "rated_at"])
    course = enrolment.course
    satisfaction_index.record_rating(
        service=SATISFACTION_SERVICE,
        rating=rating,
        unit=course.org_unit,
        record_id=enrolment.pk,
        label=course.title,
        url=reverse("services:learning-desk-course", args=[course.pk]),
    )
    record(
        actor=actor,
        action="services.rate_learning_course",
        target=enrolment,
        unit=course.org_unit,
        data={"course": course.pk, "rating": rating},
    )
    return enrolment


# --- certificates --------------------------------------------------------------------------------


@transaction.atomic
def do_revoke_learning_certificate(
    *, actor, certificate: LearningCertificate, reason: str
) -> LearningCertificate:
    """A cadre of the course's unit revokes a certificate, with a reason; the public page then
    says 已撤销. The hours stay credited (the learning took place)."""
    course = certificate.enrolment.course
    _require_manager(actor, course)
    certificate = LearningCertificate.objects.select_for_update().get(pk=certificate.pk)
    reason = _text(reason, "reason", _("撤销原因"), 200)
    if certificate.revoked_at is not None:
        raise LearningError(_("该证书已撤销"), status=409)
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revoke_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    record(
        actor=actor,
        action="services.revoke_learning_certificate",
        target=certificate,
        unit=course.org_unit,
        data={"number": certificate.number, "reason": reason},
    )
    notify(
        recipients=[certificate.enrolment.worker],
        kind="services.learning_certificate_revoked",
        title=_("您的培训证书已被撤销"),
        body=_("“%(title)s”证书 %(number)s 已撤销：%(reason)s")
        % {"title": course.title, "number": certificate.number, "reason": reason},
        url=reverse("services:learning-record"),
        unit=course.org_unit,
    )
    return certificate


# --- plans ---------------------------------------------------------------------------------------


@transaction.atomic
def do_create_learning_plan(
    *, actor, org_unit, year: int, title: str, audience: str, hours_target
) -> LearningPlan:
    """A unit's plan of a year for an audience (one per unit, year and audience)."""
    require(actor, MANAGE_LEARNING, unit=org_unit)
    if audience not in LearningPlan.Audience.values:
        raise LearningError(_("请选择培训对象"), field="audience")
    if not 2000 <= (year or 0) <= 2100:
        raise LearningError(_("年度应在 2000 到 2100 之间"), field="year")
    if LearningPlan.objects.filter(org_unit=org_unit, year=year, audience=audience).exists():
        raise LearningError(_("该单位本年度已有面向该对象的培训计划"), status=409)
    plan = LearningPlan.objects.create(
        org_unit=org_unit,
        year=year,
        title=_text(title, "title", _("计划名称"), 100),
        audience=audience,
        hours_target=_decimal(hours_target, "hours_target", _("每人目标学时"), Decimal("1000")),
        created_by=actor,
    )
    record(
        actor=actor,
        action="services.create_learning_plan",
        target=plan,
        unit=org_unit,
        data={"year": year, "audience": audience, "target": str(plan.hours_target)},
    )
    return plan
