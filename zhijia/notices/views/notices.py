"""Pages of notices: the worker's list and notice (390 px), the cadres' list, editor, read
statistics, non-readers and reminders. Thin: parse, call one query or action, render.
Notices outside the caller's sight are 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.core import attachments, excel
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.core.viewmodels import Row
from zhijia.core.views_workflow import first_error, step_view
from zhijia.core.workflow import available_transitions, history_view
from zhijia.notices import exports, rules
from zhijia.notices.actions import notices as actions
from zhijia.notices.forms.notices import ListFilterForm, ManageFilterForm, NoticeForm, WithdrawForm
from zhijia.notices.models import Notice
from zhijia.notices.permissions import MANAGE_NOTICE
from zhijia.notices.queries import notices as queries
from zhijia.notices.workflows import NOTICE


@dataclass(eq=False)
class NoticeRow(Row[Notice]):
    state_label: str = ""


# --- the worker ---------------------------------------------------------------------------------


@login_required
def notice_list(request):
    user = request.user
    form = ListFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    page = paginate(request, queries.notices_for_member(user, kind=kind), queries.PAGE_SIZE)
    return render(
        request,
        "notices/list.html",
        {
            "title": _("通知公告"),
            "page": page,
            "notices": page.items,
            "kind": kind,
            "kinds": Notice.Kind.choices,
            "member": queries.own_member(user),
            "can_manage": has_perm(user, MANAGE_NOTICE),
        },
    )


def _detail(request, notice, *, status=200, withdraw_form=None, error=None):
    user = request.user
    can = [t.name for t in available_transitions(NOTICE, notice, user)]
    manage = queries.can_manage(user, notice)
    return render(
        request,
        "notices/detail.html",
        {
            "title": notice.title,
            "notice": notice,
            "state_label": NOTICE.state_label(notice.state),
            "files": attachments.attachments_for(notice),
            "audience": queries.audience_units(notice),
            "can": can,
            "can_manage": manage,
            "can_edit": manage and notice.in_state("draft", "published"),
            "can_see_reads": queries.may_see_reads(user, notice),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "events": history_view(notice, user, workflow=NOTICE) if manage else [],
            "error": error,
        },
        status=status,
    )


@login_required
def notice_detail(request, notice_id: int):
    user = request.user
    notice = queries.access_notice(user, notice_id)
    actions.do_read_notice(actor=user, notice=notice)
    return _detail(request, notice)


# --- the cadres -----------------------------------------------------------------------------------


def _manage_filters(request) -> tuple[ManageFilterForm, queries.ManageFilters]:
    form = ManageFilterForm(request.GET or None, states=NOTICE.state_choices)
    if form.is_valid():
        data = form.cleaned_data
        return form, queries.ManageFilters(state=data["state"], kind=data["kind"], q=data["q"])
    return form, queries.ManageFilters()


@login_required
def manage(request):
    user = request.user
    form, filters = _manage_filters(request)
    page = paginate(request, queries.notices_in_scope(user, filters), queries.PAGE_SIZE)
    return render(
        request,
        "notices/manage.html",
        {
            "title": _("通知管理"),
            "form": form,
            "page": page,
            "notices": [NoticeRow(n, NOTICE.state_label(n.state)) for n in page.items],
            "export_query": request.GET.urlencode(),
        },
    )


@login_required
def manage_export(request):
    _form, filters = _manage_filters(request)
    notices = queries.notices_in_scope(request.user, filters)
    return excel.xlsx_response(_("通知公告.xlsx"), exports.notices_sheet(notices), stamp=True)


def _form(request, *, notice=None):
    user = request.user
    units = queries.units_to_publish(user)
    if notice is not None:
        initial = {
            "org_unit": notice.org_unit_id,
            "kind": notice.kind,
            "title": notice.title,
            "body": notice.body,
            "audience_units": [u.pk for u in queries.audience_units(notice)],
            "pinned": notice.pinned,
            "must_read": notice.must_read,
        }
        audience = [u for u in units if u.path.startswith(notice.org_unit.path)]
    else:
        initial = {"org_unit": units[0].pk if units else None}
        audience = units
    return NoticeForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        audience=audience,
        editing=notice is not None,
        initial=initial,
    )


def _render_form(request, form, *, notice=None, status=200):
    return render(
        request,
        "notices/form.html",
        {
            "title": _("修改通知") if notice else _("撰写通知"),
            "form": form,
            "notice": notice,
        },
        status=status,
    )


@login_required
def notice_create(request):
    user = request.user
    if not has_perm(user, MANAGE_NOTICE):
        raise PermissionDenied
    form = _form(request)
    if request.method != "POST":
        return _render_form(request, form)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    data = form.cleaned_data
    unit = queries.get_unit(data["org_unit"])
    if unit is None:  # a choice of the form, so only if it was closed meanwhile
        form.add_error("org_unit", _("请选择发布单位"))
        return _render_form(request, form, status=400)
    notice, status = run_action(
        form,
        lambda: actions.do_create_notice(
            actor=user,
            org_unit=unit,
            title=data["title"],
            body=data["body"],
            kind=data["kind"],
            audience_units=[u for pk in data["audience_units"] if (u := queries.get_unit(pk))],
            pinned=data["pinned"],
            must_read=data["must_read"],
            uploads=data.get("uploads") or [],
        ),
    )
    if notice is None:
        return _render_form(request, form, status=status)
    messages.success(request, _("草稿已保存，确认无误后请发布"))
    return redirect(notice.get_absolute_url())


@login_required
def notice_edit(request, notice_id: int):
    user = request.user
    notice = queries.access_notice(user, notice_id)
    if not queries.can_manage(user, notice):
        raise PermissionDenied
    form = _form(request, notice=notice)
    if request.method != "POST":
        return _render_form(request, form, notice=notice)
    if not form.is_valid():
        return _render_form(request, form, notice=notice, status=400)
    data = form.cleaned_data
    done, status = run_action(
        form,
        lambda: actions.do_edit_notice(
            actor=user,
            notice=notice,
            title=data["title"],
            body=data["body"],
            kind=data["kind"],
            audience_units=[u for pk in data["audience_units"] if (u := queries.get_unit(pk))],
            pinned=data["pinned"],
            must_read=data["must_read"],
            uploads=data.get("uploads") or [],
        ),
    )
    if done is None:
        return _render_form(request, form, notice=notice, status=status)
    messages.success(request, _("已保存"))
    return redirect(notice.get_absolute_url())


@login_required
@require_POST
def notice_publish(request, notice_id: int):
    user = request.user
    notice = queries.access_notice(user, notice_id)

    def on_error(bound, status):
        notice.refresh_from_db()
        return _detail(request, notice, status=status, error=first_error(bound))

    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_publish_notice(actor=user, notice=notice),
        on_error=on_error,
        success_url=notice.get_absolute_url(),
        message=_("已发布"),
    )


@login_required
@require_POST
def notice_withdraw(request, notice_id: int):
    user = request.user
    notice = queries.access_notice(user, notice_id)

    def on_error(bound, status):
        notice.refresh_from_db()
        return _detail(request, notice, status=status, withdraw_form=bound)

    return step_view(
        request,
        form=WithdrawForm(request.POST),
        call=lambda data: actions.do_withdraw_notice(
            actor=user, notice=notice, reason=data["reason"]
        ),
        on_error=on_error,
        success_url=notice.get_absolute_url(),
        message=_("已撤回"),
    )


# --- reads ---------------------------------------------------------------------------------------


def _reads_page(request, notice, *, status=200, error=None):
    user = request.user
    last = queries.last_reminder(notice)
    page = paginate(request, queries.non_readers(user, notice), 50)
    return render(
        request,
        "notices/reads.html",
        {
            "title": _("阅读统计"),
            "notice": notice,
            "stats": queries.read_stats(user, notice),
            "page": page,
            "members": page.items,
            "last_reminder": last,
            "next_reminder_at": rules.next_reminder_at(last.sent_at if last else None),
            "can_remind": notice.must_read and notice.in_state("published"),
            "error": error,
        },
        status=status,
    )


@login_required
def notice_reads(request, notice_id: int):
    notice = queries.access_notice_reads(request.user, notice_id)
    return _reads_page(request, notice)


@login_required
def notice_reads_export(request, notice_id: int):
    user = request.user
    notice = queries.access_notice_reads(user, notice_id)
    return excel.xlsx_response(
        _("未读人员.xlsx"),
        exports.non_readers_sheet(notice, queries.non_readers(user, notice)),
        stamp=True,
        stream=True,
    )


@login_required
@require_POST
def notice_remind(request, notice_id: int):
    user = request.user
    notice = queries.access_notice_reads(user, notice_id)

    def on_error(bound, status):
        return _reads_page(request, notice, status=status, error=first_error(bound))

    def done(reminder):
        return reverse("notices:notice-reads", args=[notice.pk])

    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_remind_non_readers(actor=user, notice=notice),
        on_error=on_error,
        success_url=done,
        message=_("已提醒未读人员"),
    )
