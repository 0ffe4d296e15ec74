"""Pages of online joining. Thin: parse, call a query or an action, render.

Public (no sign-in): the application form, its receipt, the status lookup. Cadres: the review
queue and one application, where they approve (工号) or refuse (reason).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zhijia.core import receipts
from zhijia.core.forms import run_action
from zhijia.core.views_workflow import transition_step
from zhijia.core.workflow import available_transitions, history_view
from zhijia.org.actions import joining as actions
from zhijia.org.forms.joining import ApproveForm, JoinForm, QueueFilterForm, RefuseForm, StatusForm
from zhijia.org.queries import joining as queries
from zhijia.org.workflows import JOIN, review_workdays


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


# --- public --------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def join_apply(request):
    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():

        def submit():
            actions.count_submission(request)
            return actions.do_submit_join_application(actor=None, **form.action_fields())

        receipt, status = run_action(form, submit)
        if receipt is not None:
            # Shown once, in this response only: nothing keeps the code but its digest.
            context = {
                "title": _("入会申请已提交"),
                "application": receipt.application,
                "code": receipt.code,
            }
            return _no_store(render(request, "org/join_receipt.html", context))
    elif request.method == "POST":
        status = 400
    context = {"title": _("申请入会"), "form": form, "review_workdays": review_workdays()}
    return render(request, "org/join_apply.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def join_status(request):
    """The code travels in a POST body, never in the URL (no access log keeps it)."""
    form = StatusForm(request.POST or None)
    application = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            receipts.check_rate_limit(request, queries.RECEIPT_SCOPE, form.cleaned_data["code"])
        except receipts.RateLimited as exc:
            form.add_error(None, exc.message)
            response = render(
                request,
                "org/join_status.html",
                {"title": _("入会申请进度"), "form": form},
                status=429,
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        application = queries.find_by_receipt(
            form.cleaned_data["code"], form.cleaned_data["phone_last4"]
        )
        if application is None:
            receipts.register_failure(request, queries.RECEIPT_SCOPE, form.cleaned_data["code"])
            form.add_error("code", _("回执码或手机号后4位不正确，请核对后重新输入"))
            status = 404
    elif request.method == "POST":
        status = 400
    context = {
        "title": _("入会申请进度"),
        "form": form,
        "application": application,
        "state_label": JOIN.state_label(application.state) if application else "",
        "activate_url": _url("accounts:activate"),
        "login_url": _url("accounts:login"),
    }
    return _no_store(render(request, "org/join_status.html", context, status=status))


# --- cadres --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def join_review_queue(request):
    if not queries.may_review(request.user):
        raise PermissionDenied
    filters = QueueFilterForm(request.GET or None)
    state = filters.state_value()
    page = queries.page_applications(request.user, state, request.GET.get("page"))
    pending, overdue = queries.count_pending(request.user)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "title": _("入会审核"),
        "filters": filters,
        "state": state,
        "page": page,
        "pending": pending,
        "overdue": overdue,
        "querystring": params.urlencode(),
        "review_workdays": review_workdays(),
    }
    return render(request, "org/join_review_queue.html", context)


def _detail(request, application, *, approve_form=None, refuse_form=None, status=200):
    moves = {t.name for t in available_transitions(JOIN, application, request.user)}
    context = {
        "title": _("入会申请"),
        "application": application,
        "state_label": JOIN.state_label(application.state),
        "events": history_view(application, request.user, workflow=JOIN),
        "may_approve": "approve" in moves,
        "may_refuse": "refuse" in moves,
        "approve_form": approve_form or ApproveForm(),
        "refuse_form": refuse_form or RefuseForm(),
    }
    return render(request, "org/join_review_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def join_review_detail(request, application_id: int):
    application = queries.access_join_application(request.user, application_id)
    if request.method == "GET":
        return _detail(request, application)
    decision = request.POST.get("decision")
    if decision == "approve":

        def approved(member) -> str:
            messages.success(
                request,
                _("已批准入会，会员档案和账号已建立（工号 %(no)s），激活验证码已发送到申请人手机。")
                % {"no": member.employee_no},
            )
            return reverse("org:join-review-detail", kwargs={"application_id": application.pk})

        return transition_step(
            request,
            JOIN,
            "approve",
            record=application,
            record_arg="application",
            on_error=lambda form, status: _detail(
                request, application, approve_form=form, status=status
            ),
            success_url=approved,  # the message names the 工号 the action gave the member
            message="",
        )
    if decision == "refuse":
        return transition_step(
            request,
            JOIN,
            "refuse",
            record=application,
            record_arg="application",
            on_error=lambda form, status: _detail(
                request, application, refuse_form=form, status=status
            ),
            success_url=reverse(
                "org:join-review-detail", kwargs={"application_id": application.pk}
            ),
            message=_("已答复不予批准，申请人查询进度时可以看到理由。"),
        )
    return _detail(request, application, status=400)
