"""Pages of learning for the member (phone) and the public certificate verification page.
Thin: parse, call one query or action, render. Roles without access get 403; records outside
the caller's audience get 404. The cadres' pages are in views/learning_desk.py."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhijia.core import attachments, throttle
from zhijia.core.forms import SatisfactionForm, run_action
from zhijia.core.pagination import paginate
from zhijia.core.pdf import pdf_response, qr_svg
from zhijia.core.satisfaction import label as rating_label
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.services import learning_rules as rules
from zhijia.services.actions import learning as actions
from zhijia.services.actions import learning_tests as test_actions
from zhijia.services.forms.learning import EnrolForm
from zhijia.services.models import LearningAttempt, LearningEnrolment, LearningQuestion
from zhijia.services.queries import learning as queries
from zhijia.services.workflows import LEARNING_COURSE

# The public verification page: at most this many unknown tokens per client and window.
VERIFY_FAILURES = 20
VERIFY_WINDOW_SECONDS = 900


@dataclass(eq=False)
class QuestionRow(Row[LearningQuestion]):
    number: int = 0
    given: str = ""
    right: bool | None = None
    letters: tuple = ()


def _require_member(request) -> None:
    if not queries.is_member(request.user):
        raise PermissionDenied


def _require_reader(request) -> None:
    if not queries.may_read(request.user):
        raise PermissionDenied


@login_required
def home(request):
    _require_member(request)
    user = request.user
    enrolled = queries.my_enrolments(user).values("course_id")
    return render(
        request,
        "services/learning/home.html",
        {
            "title": _("学习培训"),
            "mine": paginate(request, queries.my_enrolments(user), param="mpage"),
            "courses": paginate(request, queries.courses_for_worker(user).exclude(pk__in=enrolled)),
            "year": timezone.localdate().year,
            "hours": queries.yearly_hours(user, timezone.localdate().year),
        },
    )


@login_required
def record(request):
    _require_member(request)
    user = request.user
    year = timezone.localdate().year
    plans = queries.plans_for(user, year)
    hours = queries.yearly_hours(user, year)
    target = rules.target_for(p.hours_target for p in plans)
    return render(
        request,
        "services/learning/record.html",
        {
            "title": _("我的学习档案"),
            "year": year,
            "hours": hours,
            "plans": plans,
            "target": target,
            "met": target is not None and hours >= target,
            "enrolments": paginate(request, queries.my_enrolments(user)),
            "certificates": list(queries.my_certificates(user)),
        },
    )


def _course_page(request, course, *, form=None, status=200):
    user = request.user
    enrolment = queries.enrolment_of(user, course)
    attempts = list(queries.attempts_of(enrolment)) if enrolment else []
    sessions = list(queries.sessions_of(course))
    now = timezone.now()
    open_sessions = [
        s for s in sessions if s.starts_at > now and getattr(s, "taken", 0) < s.capacity
    ]
    qr = link = ""
    if enrolment is not None and enrolment.session_id and not enrolment.completed:
        session = enrolment.session
        if session is not None and queries.checkin_open(session, now):
            link = request.build_absolute_uri(
                reverse("services:learning-desk-session", args=[session.pk])
                + "?"
                + urlencode({"token": actions.checkin_token(enrolment)})
            )
            qr = qr_svg(link, scale=5, title=_("签到二维码"))
    published = course.in_state("published")
    certificate = queries.certificate_of(enrolment) if enrolment is not None else None
    verify_link = (
        request.build_absolute_uri(reverse("services:learning-verify", args=[certificate.token]))
        if certificate is not None
        else ""
    )
    response = render(
        request,
        "services/learning/course.html",
        {
            "title": course.title,
            "course": course,
            "state_label": LEARNING_COURSE.state_label(course.state),
            "enrolment": enrolment,
            "attempts": attempts,
            "running": next((a for a in attempts if a.status == LearningAttempt.Status.OPEN), None),
            "attempts_left": rules.attempts_left(course.test_attempts, len(attempts)),
            "has_passed": any(a.passed for a in attempts),
            "sessions": sessions,
            "materials": attachments.attachments_for(course),
            "may_enrol": published
            and enrolment is None
            and queries.is_member(user)
            and (course.kind == "online" or bool(open_sessions)),
            "enrol_form": EnrolForm(
                sessions=course.sessions.filter(pk__in=[s.pk for s in open_sessions])
            ),
            "published": published,
            "qr": qr,
            "qr_link": link,
            "certificate": certificate,
            "verify_link": verify_link,
            "verify_qr": qr_svg(verify_link, scale=3, title=_("证书验证")) if verify_link else "",
            "form": form or NoInput(),
            "rate_form": SatisfactionForm(),
            "rating_label": rating_label(enrolment.rating)
            if enrolment and enrolment.rating
            else "",
            "can_manage": queries.manages(user, course),
        },
        status=status,
    )
    if qr:
        response["Cache-Control"] = "no-store, private"
    return response


@login_required
def course_detail(request, course_id: int):
    _require_reader(request)
    course = queries.access_course(request.user, course_id)
    return _course_page(request, course)


def _own_enrolment(request, course) -> LearningEnrolment:
    enrolment = queries.enrolment_of(request.user, course)
    if enrolment is None:
        raise Http404
    return enrolment


@login_required
@require_POST
def course_enrol(request, course_id: int):
    _require_member(request)
    course = queries.access_course(request.user, course_id)
    form = EnrolForm(request.POST, sessions=course.sessions.all())
    return step_view(
        request,
        form=form,
        call=lambda d: actions.do_enrol_learning(
            actor=request.user, course=course, session=d.get("session")
        ),
        on_error=lambda form, status: _course_page(request, course, form=form, status=status),
        success_url=reverse("services:learning-course", args=[course.pk]),
        message=_("报名成功"),
    )


@login_required
@require_POST
def material_done(request, course_id: int):
    _require_member(request)
    course = queries.access_course(request.user, course_id)
    enrolment = _own_enrolment(request, course)
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_finish_learning_material(actor=request.user, enrolment=enrolment),
        on_error=lambda form, status: _course_page(request, course, form=form, status=status),
        success_url=reverse("services:learning-course", args=[course.pk]),
        message=_("已完成学习，学时已计入"),
    )


@login_required
@require_POST
def test_start(request, course_id: int):
    _require_member(request)
    course = queries.access_course(request.user, course_id)
    enrolment = _own_enrolment(request, course)
    return step_view(
        request,
        form=None,
        call=lambda d: test_actions.do_start_learning_attempt(
            actor=request.user, enrolment=enrolment
        ),
        on_error=lambda form, status: _course_page(request, course, form=form, status=status),
        success_url=lambda attempt: reverse("services:learning-attempt", args=[attempt.pk]),
    )


@login_required
@require_POST
def course_rate(request, course_id: int):
    _require_member(request)
    course = queries.access_course(request.user, course_id)
    enrolment = _own_enrolment(request, course)
    return step_view(
        request,
        form=SatisfactionForm(request.POST),
        call=lambda d: actions.do_rate_learning_course(
            actor=request.user, enrolment=enrolment, rating=d["rating"]
        ),
        on_error=lambda form, status: _course_page(request, course, form=form, status=status),
        success_url=reverse("services:learning-course", args=[course.pk]),
        message=_("感谢您的评价"),
    )


def _attempt_page(request, attempt, *, form=None, status=200):
    submitted = attempt.status == LearningAttempt.Status.SUBMITTED
    answers = attempt.answers or {}
    rows = []
    for number, q in enumerate(queries.attempt_questions(attempt), start=1):
        given = answers.get(str(q.pk), "")
        rows.append(
            QuestionRow(
                q,
                number=number,
                given=given,
                right=rules.is_correct(q.kind, q.answer, given) if submitted else None,
                letters=tuple(zip(rules.LETTERS, q.options, strict=False)),
            )
        )
    return render(
        request,
        "services/learning/attempt.html",
        {
            "title": _("在线测试"),
            "attempt": attempt,
            "course": attempt.enrolment.course,
            "questions": rows,
            "wrong": [r for r in rows if r.right is False],
            "submitted": submitted,
            "form": form or NoInput(),
            "certificate": getattr(attempt.enrolment, "certificate", None)
            if attempt.passed
            else None,
        },
        status=status,
    )


@login_required
@never_cache
def attempt_detail(request, attempt_id: int):
    _require_member(request)
    attempt = queries.access_own_attempt(request.user, attempt_id)
    return _attempt_page(request, attempt)


@login_required
@require_POST
def attempt_submit(request, attempt_id: int):
    _require_member(request)
    attempt = queries.access_own_attempt(request.user, attempt_id)
    answers = {}
    for qid in attempt.question_ids:
        values = request.POST.getlist(f"q{qid}")
        answers[str(qid)] = "".join(v.strip() for v in values)[: test_actions.MAX_ANSWER]
    form = NoInput(request.POST)
    form.is_valid()
    result, status = run_action(
        form,
        lambda: test_actions.do_submit_learning_attempt(
            actor=request.user, attempt=attempt, answers=answers
        ),
    )
    if status != 200:
        attempt.refresh_from_db()
        return _attempt_page(request, attempt, form=form, status=status)
    messages.success(
        request,
        _("已交卷：%(score)d 分，%(result)s")
        % {"score": result.score, "result": _("通过") if result.passed else _("未通过")},
    )
    return redirect("services:learning-attempt", attempt.pk)


@login_required
def certificate_pdf(request, certificate_id: int):
    _require_member(request)
    certificate = queries.access_own_certificate(request.user, certificate_id)
    link = request.build_absolute_uri(reverse("services:learning-verify", args=[certificate.token]))
    return pdf_response(
        "services/learning/certificate.html",
        {
            "certificate": certificate,
            "course": certificate.enrolment.course,
            "name": queries.holder_name(certificate),
            "qr": qr_svg(link, scale=3, title=_("证书验证")),
            "link": link,
        },
        f"培训证书-{certificate.number}.pdf",
        request,
        stylesheet="services/learning/print.css",
    )


# --- the public verification page ----------------------------------------------------------------


@never_cache
def verify(request, token: str):
    """Anyone with the certificate's link (its QR code): the masked name, the course, the date
    and whether it is valid. Unknown tokens count against the client (core.throttle)."""
    key = throttle.client_key(request, "services.learning-verify")
    wait = throttle.blocked(key, limit=VERIFY_FAILURES, seconds=VERIFY_WINDOW_SECONDS)
    if wait is not None:
        response = render(
            request,
            "services/learning/verify.html",
            {"title": _("证书验证"), "throttled": True},
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    certificate = queries.certificate_by_token(token)
    if certificate is None:
        throttle.hit(key, seconds=VERIFY_WINDOW_SECONDS)
    context = {
        "title": _("证书验证"),
        "certificate": certificate,
        "link": request.build_absolute_uri(request.path),
    }
    if certificate is not None:
        context |= {
            "name": rules.mask_name(queries.holder_name(certificate)),
            "course": certificate.enrolment.course,
        }
    response = render(
        request,
        "services/learning/verify.html",
        context,
        status=200 if certificate is not None else 404,
    )
    response["X-Robots-Tag"] = "noindex"
    return response
