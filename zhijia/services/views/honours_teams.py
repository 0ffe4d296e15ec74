"""Pages of the "五型"班组 assessment (criteria and pass mark, the team's self-assessment, the
review) and of the 劳模/工匠创新工作室 (members, projects, results), for the cadres holding
services.manage_honours. Thin: parse, call one query or action, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import attachments, excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import NoInput, step_view
from zhijia.core.workflow import history_view
from zhijia.services.actions import honours as actions
from zhijia.services.actions import honours_teams as team_actions
from zhijia.services.actions.honours import HonourError
from zhijia.services.forms.honours import (
    AssessmentForm,
    CriterionForm,
    DocumentsForm,
    PassMarkForm,
    ProjectStatusForm,
    ReviewForm,
    SelfAssessmentForm,
    StudioForm,
    StudioMemberForm,
    StudioProjectForm,
    StudioResultForm,
)
from zhijia.services.models import HonourCriterion
from zhijia.services.queries import honours as queries
from zhijia.services.views.honours import chosen_unit, require_configurer, require_manager
from zhijia.services.workflows import HONOUR_ASSESSMENT

# --- assessments ----------------------------------------------------------------------------------


def _assessments(request):
    year = request.GET.get("year", "")
    qs = queries.managed_assessments(request.user)
    if year:
        qs = qs.filter(year=queries.year_of(year))
    unit = chosen_unit(request, queries.unit_choices(request.user))
    if unit is not None:
        qs = qs.filter(org_unit__path__startswith=unit.path)
    return qs


def _list_page(request, *, form=None, status=200):
    return render(
        request,
        "services/honours/assessments.html",
        {
            "title": _("“五型”班组考核"),
            "assessments": paginate(request, _assessments(request)),
            "form": form or AssessmentForm(units=queries.unit_choices(request.user)),
            "units": queries.unit_choices(request.user),
            "may_configure": queries.may_configure(request.user),
            "pass_percent": queries.pass_percent(),
            "query": request.GET.urlencode(),
        },
        status=status,
    )


@login_required
def assessments(request):
    require_manager(request)
    return _list_page(request)


@login_required
def assessments_export(request):
    require_manager(request)
    rows = (
        (
            a.year,
            a.team_name,
            a.org_unit.name,
            a.state_label,
            a.self_total,
            a.review_total,
            a.review_rate,
            a.pass_percent,
            a.review_note,
        )
        for a in _assessments(request).iterator()
    )
    sheet = excel.Sheet(
        _("五型班组考核"),
        [
            _("年度"),
            _("班组"),
            _("所属工会"),
            _("状态"),
            excel.Column(_("自评得分"), number_format="0.0"),
            excel.Column(_("评审得分"), number_format="0.0"),
            excel.Column(_("得分率（%）"), number_format="0.0"),
            excel.Column(_("达标线（%）"), number_format="0.0"),
            _("评审意见"),
        ],
        rows,
        heading=[[_("“五型”班组考核")]],
    )
    return excel.xlsx_response("five-type-teams.xlsx", sheet, stream=True)


@login_required
@require_POST
def assessment_new(request):
    require_manager(request)
    form = AssessmentForm(request.POST, units=queries.unit_choices(request.user))
    return step_view(
        request,
        form=form,
        call=lambda d: team_actions.do_create_honour_assessment(
            actor=request.user, team_name=d["team_name"], org_unit=d["org_unit"], year=d["year"]
        ),
        on_error=lambda form, status: _list_page(request, form=form, status=status),
        success_url=lambda a: reverse("services:honours-assessment", args=[a.pk]),
        message=_("考核已创建，请填写自评"),
    )


def _initial(rows, field: str, evidence: bool = False) -> dict:
    initial = {}
    for criterion, score in rows:
        if score is not None:
            initial[f"c{criterion.pk}"] = getattr(score, field)
            if evidence:
                initial[f"e{criterion.pk}"] = score.evidence
    return initial


def _assessment_page(
    request,
    assessment,
    *,
    self_form=None,
    review_form=None,
    step_form=None,
    documents_form=None,
    status=200,
):
    rows = queries.score_rows(assessment)
    scored = [c for c, s in rows if s is not None]
    draft = assessment.in_state(HONOUR_ASSESSMENT.states.draft)
    return render(
        request,
        "services/honours/assessment.html",
        {
            "title": assessment.team_name,
            "assessment": assessment,
            "rows": rows,
            "draft": draft,
            "submitted": assessment.in_state(HONOUR_ASSESSMENT.states.submitted),
            "self_form": self_form
            or SelfAssessmentForm(
                criteria=[c for c, _s in rows],
                initial={**_initial(rows, "self_points", True), "summary": assessment.summary},
            ),
            "review_form": review_form
            or ReviewForm(criteria=scored, initial=_initial(rows, "self_points")),
            "step_form": step_form or NoInput(),
            "documents_form": documents_form or DocumentsForm(),
            "documents": attachments.attachments_for(assessment),
            "pass_percent": assessment.pass_percent or queries.pass_percent(),
            "history": history_view(assessment, request.user),
        },
        status=status,
    )


@login_required
def assessment(request, assessment_id: int):
    require_manager(request)
    return _assessment_page(request, queries.access_assessment(request.user, assessment_id))


@login_required
@require_POST
def assessment_scores(request, assessment_id: int):
    require_manager(request)
    a = queries.access_assessment(request.user, assessment_id)
    form = SelfAssessmentForm(request.POST, criteria=list(queries.criteria()))
    return step_view(
        request,
        form=form,
        call=lambda d: team_actions.do_save_honour_self_assessment(
            actor=request.user,
            assessment=a,
            scores=form.scores(),
            evidence=form.evidence(),
            summary=d["summary"],
        ),
        on_error=lambda form, status: _assessment_page(request, a, self_form=form, status=status),
        success_url=reverse("services:honours-assessment", args=[a.pk]),
        message=_("自评已保存"),
    )


@login_required
@require_POST
def assessment_documents(request, assessment_id: int):
    require_manager(request)
    a = queries.access_assessment(request.user, assessment_id)
    return step_view(
        request,
        form=DocumentsForm(request.POST, request.FILES),
        call=lambda d: team_actions.do_add_honour_assessment_documents(
            actor=request.user, assessment=a, files=d["documents"]
        ),
        on_error=lambda form, status: _assessment_page(
            request, a, documents_form=form, status=status
        ),
        success_url=reverse("services:honours-assessment", args=[a.pk]),
        message=_("佐证材料已上传"),
    )


@login_required
@require_POST
def assessment_submit(request, assessment_id: int):
    require_manager(request)
    a = queries.access_assessment(request.user, assessment_id)
    return step_view(
        request,
        form=None,
        call=lambda d: team_actions.do_submit_honour_assessment(actor=request.user, assessment=a),
        on_error=lambda form, status: _assessment_page(request, a, step_form=form, status=status),
        success_url=reverse("services:honours-assessment", args=[a.pk]),
        message=_("自评已提交评审"),
    )


@login_required
@require_POST
def assessment_review(request, assessment_id: int):
    require_manager(request)
    a = queries.access_assessment(request.user, assessment_id)
    criteria = [c for c, s in queries.score_rows(a) if s is not None]
    form = ReviewForm(request.POST, criteria=criteria)
    return step_view(
        request,
        form=form,
        call=lambda d: team_actions.do_review_honour_assessment(
            actor=request.user,
            assessment=a,
            scores=form.scores(),
            note=d["note"],
            record_honour=d["record_honour"],
            awarding_body=d["awarding_body"],
        ),
        on_error=lambda form, status: _assessment_page(request, a, review_form=form, status=status),
        success_url=reverse("services:honours-assessment", args=[a.pk]),
        message=_("评审结果已记录"),
    )


@login_required
def criteria(request):
    require_configurer(request)
    form = CriterionForm(request.POST or None) if "title" in request.POST else CriterionForm()
    mark = PassMarkForm(request.POST or None) if "pass_percent" in request.POST else None
    status = 200
    if request.method == "POST":
        status = 400
        if mark is not None and mark.is_valid():
            _c, status = run_action(
                mark,
                lambda: team_actions.do_set_honour_pass_percent(
                    actor=request.user, pass_percent=mark.cleaned_data["pass_percent"]
                ),
            )
        elif mark is None and form.is_valid():
            d = form.cleaned_data
            _c, status = run_action(
                form,
                lambda: team_actions.do_add_honour_criterion(
                    actor=request.user,
                    team_type=d["team_type"],
                    title=d["title"],
                    max_points=d["max_points"],
                ),
            )
        if status == 200:
            messages.success(request, _("已保存"))
            return redirect("services:honours-criteria")
    return render(
        request,
        "services/honours/criteria.html",
        {
            "title": _("“五型”班组考核标准"),
            "criteria": queries.all_criteria(),
            "types": HonourCriterion.TeamType,
            "form": form,
            "mark_form": mark or PassMarkForm(initial={"pass_percent": queries.pass_percent()}),
        },
        status=status,
    )


@login_required
@require_POST
def criterion_active(request, criterion_id: int):
    """Retire a criterion, or use it again (the button sends active=0 or 1)."""
    require_configurer(request)
    criterion = queries.access_criterion(criterion_id)
    active = request.POST.get("active") == "1"
    try:
        team_actions.do_set_honour_criterion_active(
            actor=request.user, criterion=criterion, active=active
        )
    except HonourError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已启用") if active else _("已停用"))
    return redirect("services:honours-criteria")


# --- studios --------------------------------------------------------------------------------------


@login_required
def studios(request):
    require_manager(request)
    return render(
        request,
        "services/honours/studios.html",
        {
            "title": _("创新工作室"),
            "studios": paginate(request, queries.managed_studios(request.user)),
        },
    )


@login_required
def studios_export(request):
    require_manager(request)
    rows = (
        (
            s.name,
            s.get_kind_display(),
            s.lead.name,
            s.org_unit.name,
            s.founded_on,
            s.members.count(),
            s.projects.count(),
            s.results.count(),
        )
        for s in queries.managed_studios(request.user).iterator()
    )
    sheet = excel.Sheet(
        _("创新工作室"),
        [
            _("工作室"),
            _("类型"),
            _("领衔人"),
            _("所属工会"),
            excel.Column(_("命名日期"), date=True),
            _("成员数"),
            _("项目数"),
            _("成果数"),
        ],
        rows,
        heading=[[_("劳模和工匠人才创新工作室")]],
    )
    return excel.xlsx_response("studios.xlsx", sheet, stream=True)


@login_required
def studio_export(request, studio_id: int):
    """The studio's members, projects and results: three sheets of one workbook."""
    require_manager(request)
    s = queries.access_studio(request.user, studio_id)
    members = excel.Sheet(
        _("成员"),
        [
            excel.Column(_("工号"), text=True),
            _("姓名"),
            _("所属工会"),
            _("分工"),
            excel.Column(_("加入日期"), date=True),
        ],
        (
            (m.member.employee_no, m.member.name, m.member.org_unit.name, m.role, m.joined_on)
            for m in s.members.select_related("member", "member__org_unit")
        ),
        heading=[[s.name], [_("领衔人：%(name)s") % {"name": s.lead.name}]],
    )
    projects = excel.Sheet(
        _("项目"),
        [
            _("项目名称"),
            _("状态"),
            excel.Column(_("开始日期"), date=True),
            excel.Column(_("结束日期"), date=True),
            _("项目内容"),
        ],
        (
            (p.title, p.get_status_display(), p.started_on, p.ended_on, p.description)
            for p in s.projects.all()
        ),
    )
    results = excel.Sheet(
        _("成果"),
        [
            _("成果名称"),
            _("成果类型"),
            _("所属项目"),
            _("效益"),
            excel.Column(_("取得日期"), date=True),
        ],
        (
            (
                r.title,
                r.get_kind_display(),
                r.project.title if r.project else "",
                r.benefit,
                r.achieved_on,
            )
            for r in s.results.select_related("project")
        ),
    )
    return excel.xlsx_response(f"studio-{s.pk}.xlsx", members, projects, results)


@login_required
def studio_new(request):
    require_manager(request)
    form = StudioForm(request.POST or None, units=queries.unit_choices(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        lead = queries.member_in_scope(request.user, d["lead_employee_no"])
        if lead is None:
            form.add_error("lead_employee_no", _("本单位范围内没有该工号的在册会员"))
        else:
            studio, status = run_action(
                form,
                lambda: team_actions.do_create_honour_studio(
                    actor=request.user,
                    name=d["name"],
                    kind=d["kind"],
                    lead=lead,
                    org_unit=d["org_unit"],
                    founded_on=d["founded_on"],
                    description=d["description"],
                ),
            )
            if status == 200:
                messages.success(request, _("工作室已创建"))
                return redirect("services:honours-studio", studio.pk)
    return render(
        request,
        "services/honours/form.html",
        {"title": _("新建创新工作室"), "form": form, "back": reverse("services:honours-studios")},
        status=400 if request.method == "POST" else 200,
    )


def _studio_page(
    request,
    studio,
    *,
    member_form=None,
    project_form=None,
    result_form=None,
    status_form=None,
    status=200,
):
    projects = list(studio.projects.all())
    return render(
        request,
        "services/honours/studio.html",
        {
            "title": studio.name,
            "studio": studio,
            "members": studio.members.select_related("member", "member__org_unit"),
            "projects": projects,
            "results": studio.results.select_related("project"),
            "member_form": member_form or StudioMemberForm(),
            "project_form": project_form or StudioProjectForm(),
            "result_form": result_form or StudioResultForm(projects=projects),
            "status_form": status_form or ProjectStatusForm(),
            "statuses": ProjectStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
        },
        status=status,
    )


@login_required
def studio(request, studio_id: int):
    require_manager(request)
    return _studio_page(request, queries.access_studio(request.user, studio_id))


def _studio_member(request, studio, d):
    member = queries.member_in_scope(request.user, d["employee_no"])
    if member is None:
        raise actions.HonourError(_("本单位范围内没有该工号的在册会员"), field="employee_no")
    return team_actions.do_add_honour_studio_member(
        actor=request.user, studio=studio, member=member, role=d["role"]
    )


@login_required
@require_POST
def studio_member_add(request, studio_id: int):
    require_manager(request)
    s = queries.access_studio(request.user, studio_id)
    return step_view(
        request,
        form=StudioMemberForm(request.POST),
        call=lambda d: _studio_member(request, s, d),
        on_error=lambda form, status: _studio_page(request, s, member_form=form, status=status),
        success_url=reverse("services:honours-studio", args=[s.pk]),
        message=_("成员已加入"),
    )


@login_required
@require_POST
def studio_project_add(request, studio_id: int):
    require_manager(request)
    s = queries.access_studio(request.user, studio_id)
    return step_view(
        request,
        form=StudioProjectForm(request.POST),
        call=lambda d: team_actions.do_add_honour_studio_project(actor=request.user, studio=s, **d),
        on_error=lambda form, status: _studio_page(request, s, project_form=form, status=status),
        success_url=reverse("services:honours-studio", args=[s.pk]),
        message=_("项目已添加"),
    )


@login_required
@require_POST
def studio_project_status(request, project_id: int):
    require_manager(request)
    project = queries.access_studio_project(request.user, project_id)
    return step_view(
        request,
        form=ProjectStatusForm(request.POST),
        call=lambda d: team_actions.do_set_honour_studio_project_status(
            actor=request.user, project=project, status=d["status"], ended_on=d["ended_on"]
        ),
        on_error=lambda form, status: _studio_page(
            request, project.studio, status_form=form, status=status
        ),
        success_url=reverse("services:honours-studio", args=[project.studio_id]),
        message=_("项目状态已更新"),
    )


@login_required
@require_POST
def studio_result_add(request, studio_id: int):
    require_manager(request)
    s = queries.access_studio(request.user, studio_id)
    projects = list(s.projects.all())
    form = StudioResultForm(request.POST, projects=projects)
    return step_view(
        request,
        form=form,
        call=lambda d: team_actions.do_add_honour_studio_result(
            actor=request.user,
            studio=s,
            title=d["title"],
            kind=d["kind"],
            achieved_on=d["achieved_on"],
            benefit=d["benefit"],
            project=next((p for p in projects if p.pk == d["project_id"]), None),
        ),
        on_error=lambda form, status: _studio_page(request, s, result_form=form, status=status),
        success_url=reverse("services:honours-studio", args=[s.pk]),
        message=_("成果已登记"),
    )
