"""The cadres' pages of learning (培训管理): courses, sessions and attendance, material, the
question bank, assignment, certificates, plans and the completion report with its Excel.
Thin: parse, call one query or action, render. 403 without services.manage_learning; 404 for
a record outside the cadre's subtree."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import attachments, dateranges, excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.core.workflow import available_transitions, history_view
from zhijia.services import learning_rules as rules
from zhijia.services.actions import learning as actions
from zhijia.services.actions import learning_tests as test_actions
from zhijia.services.forms.learning import (
    AssignForm,
    CourseForm,
    MaterialForm,
    PlanForm,
    QuestionImportForm,
    RevokeForm,
    SessionForm,
    TokenForm,
    default_session_start,
)
from zhijia.services.queries import learning as queries
from zhijia.services.workflows import LEARNING_COURSE


def _require_manager(request) -> None:
    if not queries.may_manage(request.user):
        raise PermissionDenied


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _unit(request, units):
    try:
        wanted = int(request.GET.get("unit", ""))
    except ValueError:
        return None
    return next((u for u in units if u.pk == wanted), None)


# --- courses -------------------------------------------------------------------------------------


def _desk_filters(request) -> dict:
    """The desk's filters: the unit's subtree and ?from=&to= over the completions (the
    dashboard's training hours drill into them)."""
    return {
        "unit": _unit(request, queries.scope_units(request.user)),
        "completed": dateranges.parse(request.GET),
    }


@login_required
def desk(request):
    _require_manager(request)
    filters = _desk_filters(request)
    return render(
        request,
        "services/learning/desk.html",
        {
            "title": _("培训管理"),
            "courses": paginate(
                request, queries.managed_courses_with_counts(request.user, **filters)
            ),
            "hours_done": queries.hours_done(request.user, **filters),
            "units": queries.scope_units(request.user),
            "unit": filters["unit"],
            "daterange": filters["completed"],
            "states": LEARNING_COURSE,
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def desk_export(request):
    _require_manager(request)
    filters = _desk_filters(request)
    rows = (
        (
            c.title,
            c.get_kind_display(),
            c.org_unit.name,
            c.hours,
            LEARNING_COURSE.state_label(c.state),
            getattr(c, "enrolled", 0),
            getattr(c, "done", 0),
            getattr(c, "hours_done", None) or 0,
        )
        for c in queries.managed_courses_with_counts(request.user, **filters)
    )
    sheet = excel.Sheet(
        _("培训课程"),
        [
            _("课程名称"),
            _("形式"),
            _("主办单位"),
            _("学时"),
            _("状态"),
            _("报名人数"),
            _("完成人数"),
            _("完成学时"),
        ],
        rows,
    )
    return excel.xlsx_response(_("培训课程.xlsx"), sheet, stamp=True)


@login_required
def desk_course_new(request):
    _require_manager(request)
    form = CourseForm(request.POST or None, units=queries.scope_units(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        course, status = run_action(
            form,
            lambda: actions.do_create_learning_course(
                actor=request.user,
                title=d["title"],
                org_unit=d["org_unit"],
                kind=d["kind"],
                hours=d["hours"],
                description=d["description"],
                material=d["material"],
                test_questions=d["test_questions"],
                test_minutes=d["test_minutes"],
                test_attempts=d["test_attempts"],
                pass_mark=d["pass_mark"],
            ),
        )
        if status == 200:
            messages.success(request, _("课程已创建，请补充课堂或题库后发布"))
            return redirect("services:learning-desk-course", course.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "services/learning/form.html",
        {"title": _("新建培训课程"), "form": form},
        status=status,
    )


def _course_page(request, course, *, forms=None, status=200):
    forms = forms or {}
    units = queries.scope_units(request.user)
    start = default_session_start()
    return render(
        request,
        "services/learning/desk_course.html",
        {
            "title": course.title,
            "course": course,
            "state_label": LEARNING_COURSE.state_label(course.state),
            "steps": available_transitions(LEARNING_COURSE, course, request.user),
            "step_form": forms.get("step") or NoInput(),
            "sessions": list(queries.sessions_of(course)),
            "session_form": forms.get("session")
            or SessionForm(initial={"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}),
            "material_form": forms.get("material") or MaterialForm(),
            "materials": attachments.attachments_for(course),
            "import_form": forms.get("import") or QuestionImportForm(),
            "question_count": queries.questions_of(course).count(),
            "questions": paginate(request, queries.questions_of(course), param="qpage"),
            "assign_form": forms.get("assign") or AssignForm(units=units),
            "revoke_form": forms.get("revoke") or RevokeForm(),
            "enrolments": paginate(request, queries.enrolments_of(course)),
            "history": history_view(course, request.user),
            "open": not course.in_state("closed"),
        },
        status=status,
    )


@login_required
def desk_course(request, course_id: int):
    _require_manager(request)
    course = queries.access_managed_course(request.user, course_id)
    return _course_page(request, course)


_STEPS = {
    "publish": actions.do_publish_learning_course,
    "close": actions.do_close_learning_course,
}


@login_required
@require_POST
def desk_course_step(request, course_id: int, step: str):
    _require_manager(request)
    if step not in _STEPS:
        raise Http404
    course = queries.access_managed_course(request.user, course_id)
    return step_view(
        request,
        form=None,
        call=lambda d: _STEPS[step](actor=request.user, course=course),
        on_error=lambda form, status: _course_page(
            request, course, forms={"step": form}, status=status
        ),
        success_url=reverse("services:learning-desk-course", args=[course.pk]),
        message=_("已办理：%(action)s") % {"action": LEARNING_COURSE.transition_label(step)},
    )


def _course_step(request, course_id, key, form, call, message):
    _require_manager(request)
    course = queries.access_managed_course(request.user, course_id)
    return step_view(
        request,
        form=form,
        call=lambda d: call(course, d),
        on_error=lambda form, status: _course_page(
            request, course, forms={key: form}, status=status
        ),
        success_url=reverse("services:learning-desk-course", args=[course.pk]),
        message=message,
    )


@login_required
@require_POST
def desk_session_new(request, course_id: int):
    return _course_step(
        request,
        course_id,
        "session",
        SessionForm(request.POST),
        lambda course, d: actions.do_add_learning_session(actor=request.user, course=course, **d),
        _("课堂已添加"),
    )


@login_required
@require_POST
def desk_material(request, course_id: int):
    return _course_step(
        request,
        course_id,
        "material",
        MaterialForm(request.POST, request.FILES),
        lambda course, d: actions.do_add_learning_material(
            actor=request.user, course=course, upload=d["file"]
        ),
        _("资料已上传"),
    )


@login_required
@require_POST
def desk_questions_import(request, course_id: int):
    def call(course, d):
        rows = test_actions.read_question_rows(d["file"])
        return test_actions.do_import_learning_questions(
            actor=request.user, course=course, rows=rows
        )

    return _course_step(
        request,
        course_id,
        "import",
        QuestionImportForm(request.POST, request.FILES),
        call,
        _("题目已导入"),
    )


@login_required
def desk_questions_template(request):
    _require_manager(request)
    examples = [
        [
            "单选",
            "工会会员的权利不包括以下哪一项？",
            "选举权",
            "被选举权",
            "表决权",
            "拒缴会费",
            "",
            "",
            "D",
            "",
        ],
        [
            "多选",
            "职工代表大会的职权包括哪些？",
            "审议建议",
            "审议通过",
            "审议决定",
            "评议监督",
            "",
            "",
            "ABCD",
            "",
        ],
        ["判断", "集体合同签订后应报送劳动行政部门。", "", "", "", "", "", "", "对", ""],
        [
            "填空",
            "我国工会的最高领导机关是中华全国总工会全国代表大会及其____。",
            "",
            "",
            "",
            "",
            "",
            "",
            "执行委员会|执委会",
            "",
        ],
    ]
    sheet = excel.Sheet(_("题库"), rules.TEMPLATE_HEADERS, examples)
    return excel.xlsx_response(_("题库导入模板.xlsx"), sheet)


@login_required
@require_POST
def desk_assign(request, course_id: int):
    def call(course, d):
        if d.get("org_unit") is not None:
            workers = queries.member_users(request.user, unit=d["org_unit"])
        else:
            workers = queries.member_users(request.user, employee_nos=d["employee_no_list"])
        return actions.do_assign_learning(actor=request.user, course=course, workers=workers)

    return _course_step(
        request,
        course_id,
        "assign",
        AssignForm(request.POST, units=queries.scope_units(request.user)),
        call,
        _("已指派，相关会员会收到通知"),
    )


@login_required
def desk_enrolments_export(request, course_id: int):
    _require_manager(request)
    course = queries.access_managed_course(request.user, course_id)
    rows = (
        (
            getattr(e.worker.member_record, "employee_no", ""),
            getattr(e.worker.member_record, "name", str(e.worker)),
            e.get_source_display(),
            timezone.localtime(e.enrolled_at).strftime("%Y-%m-%d"),
            timezone.localtime(e.completed_at).strftime("%Y-%m-%d") if e.completed_at else "",
            e.get_completed_how_display() if e.completed_how else "",
            e.hours_credited or "",
        )
        for e in queries.enrolments_of(course)
    )
    sheet = excel.Sheet(
        course.title[:30],
        [
            excel.Column(_("工号"), text=True),
            _("姓名"),
            _("报名方式"),
            _("报名日期"),
            _("完成日期"),
            _("完成方式"),
            _("学时"),
        ],
        rows,
    )
    return excel.xlsx_response(_("培训报名名单.xlsx"), sheet, stamp=True)


# --- sessions: QR check-in and roll call ----------------------------------------------------------


def _session_page(request, session, *, form=None, status=200):
    scanned = request.GET.get("token", "")[:500] if request.method == "GET" else ""
    attended = set(session.attendances.values_list("enrolment_id", flat=True))
    return render(
        request,
        "services/learning/desk_session.html",
        {
            "title": _("课堂签到"),
            "session": session,
            "course": session.course,
            "enrolments": list(queries.enrolments_of(session.course)),
            "attended": attended,
            "form": form or TokenForm(initial={"token": scanned}),
        },
        status=status,
    )


@login_required
def desk_session(request, session_id: int):
    _require_manager(request)
    session = queries.access_managed_session(request.user, session_id)
    return _session_page(request, session)


@login_required
@require_POST
def desk_checkin(request, session_id: int):
    _require_manager(request)
    session = queries.access_managed_session(request.user, session_id)
    return step_view(
        request,
        form=TokenForm(request.POST),
        call=lambda d: actions.do_check_in_learning_token(
            actor=request.user, session=session, token=d["token"]
        ),
        on_error=lambda form, status: _session_page(request, session, form=form, status=status),
        success_url=reverse("services:learning-desk-session", args=[session.pk]),
        message=_("签到成功，学时已计入"),
    )


@login_required
@require_POST
def desk_attend(request, session_id: int, enrolment_id: int):
    _require_manager(request)
    session = queries.access_managed_session(request.user, session_id)
    return step_view(
        request,
        form=None,
        call=lambda d: actions.do_check_in_learning(
            actor=request.user, session=session, enrolment_id=enrolment_id
        ),
        on_error=lambda form, status: _session_page(request, session, form=form, status=status),
        success_url=reverse("services:learning-desk-session", args=[session.pk]),
        message=_("已点名签到"),
    )


# --- certificates --------------------------------------------------------------------------------


@login_required
@require_POST
def desk_revoke(request, certificate_id: int):
    _require_manager(request)
    certificate = queries.access_managed_certificate(request.user, certificate_id)
    course = certificate.enrolment.course
    return step_view(
        request,
        form=RevokeForm(request.POST),
        call=lambda d: actions.do_revoke_learning_certificate(
            actor=request.user, certificate=certificate, reason=d["reason"]
        ),
        on_error=lambda form, status: _course_page(
            request, course, forms={"revoke": form}, status=status
        ),
        success_url=reverse("services:learning-desk-course", args=[course.pk]),
        message=_("证书已撤销"),
    )


# --- plans and the completion report -------------------------------------------------------------


@login_required
def desk_plans(request):
    _require_manager(request)
    units = queries.scope_units(request.user)
    form = PlanForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            _plan, status = run_action(
                form,
                lambda: actions.do_create_learning_plan(actor=request.user, **form.cleaned_data),
            )
            if status == 200:
                messages.success(request, _("培训计划已保存"))
                return redirect("services:learning-desk-plans")
    return render(
        request,
        "services/learning/desk_plans.html",
        {
            "title": _("培训计划"),
            "plans": paginate(request, queries.managed_plans(request.user)),
            "form": form,
        },
        status=status,
    )


@login_required
def desk_plans_export(request):
    _require_manager(request)
    rows = (
        (p.year, p.org_unit.name, p.title, p.get_audience_display(), p.hours_target)
        for p in queries.managed_plans(request.user)
    )
    sheet = excel.Sheet(
        _("培训计划"), [_("年度"), _("单位"), _("计划名称"), _("培训对象"), _("每人目标学时")], rows
    )
    return excel.xlsx_response(_("培训计划.xlsx"), sheet, stamp=True)


def _report_columns() -> list:
    return [
        excel.Column(_("工号"), text=True),
        _("姓名"),
        _("所属工会"),
        _("报名课程"),
        _("完成课程"),
        _("学时"),
        _("目标学时"),
        _("是否达标"),
    ]


@login_required
def desk_report(request):
    _require_manager(request)
    year = _year(request)
    units = queries.scope_units(request.user)
    unit = _unit(request, units)
    members = paginate(request, queries.report_members(request.user, unit, year))
    return render(
        request,
        "services/learning/desk_report.html",
        {
            "title": _("培训完成情况"),
            "year": year,
            "units": units,
            "unit": unit,
            "members": members,
            "rows": queries.report_rows(list(members), year),
        },
    )


@login_required
def desk_report_export(request):
    _require_manager(request)
    year = _year(request)
    unit = _unit(request, queries.scope_units(request.user))
    rows = (
        (
            r.employee_no,
            r.name,
            r.unit,
            r.enrolled,
            r.completed,
            r.hours,
            r.target if r.target is not None else "",
            "" if r.met is None else (_("是") if r.met else _("否")),
        )
        for r in queries.report_rows(queries.report_members(request.user, unit, year), year)
    )
    sheet = excel.Sheet(
        _("培训完成情况"),
        _report_columns(),
        rows,
        heading=[[_("%(year)d 年培训完成情况") % {"year": year}]],
    )
    return excel.xlsx_response(_("培训完成情况.xlsx"), sheet, stamp=True, stream=True)
