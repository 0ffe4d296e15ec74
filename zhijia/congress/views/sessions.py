"""Pages of the congress: terms, slate checks, representatives, sessions with check-in and
item votes, results and PDFs (cadres at the desk); my sessions, my QR code and hall check-in
(representatives on the phone); representative elections.

Thin: parse, call one query or action, render. Records outside the caller's scope are 404
(queries_sessions.access_*); the actions check the permission again over the record's unit.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhijia.congress import rules
from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.forms.sessions import (
    CheckinCodeForm,
    EndRepresentativeForm,
    ItemForm,
    RepresentativeEditForm,
    RepresentativeForm,
    ScrutineerForm,
    SessionForm,
    TermForm,
)
from zhijia.congress.queries import desk as desk_queries
from zhijia.congress.queries import sessions as q
from zhijia.core import pdf
from zhijia.core.forms import run_action
from zhijia.core.hooks import consultation_topics
from zhijia.core.permissions import require
from zhijia.core.views_workflow import NoInput, first_error, step_view
from zhijia.voting import queries as voting_queries

# The print pages' stylesheet (it names the CJK fonts): linked by the pages, given to the PDF.
PRINT_STYLESHEET = "congress/print.css"


def _status(form) -> int:
    """400 when the form carries errors (bad input or a refusal run_action put on it)."""
    return 400 if form is not None and form.errors else 200


def _session_page(request, session_id: int, bound, status: int):
    """The session's desk again with a refused step's message, answered with its status."""
    messages.error(request, first_error(bound) or _("操作未完成"))
    session = q.access_session(request.user, session_id)
    context = _detail_context(request, session, ItemForm())
    return render(request, "congress/session_detail.html", context, status=status)


# --- terms ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def term_list(request):
    require(request.user, q.VIEW)
    units = q.units_for_terms(request.user)
    can_create = units.exists()
    form = None
    if can_create:
        form = TermForm(request.POST or None, units=units)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            term, status = run_action(
                form,
                lambda: actions.do_create_term(
                    actor=request.user,
                    unit=data["unit"],
                    number=data.get("number"),
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    workforce_total=data.get("workforce_total"),
                    workforce_women=data.get("workforce_women"),
                    workforce_dispatched=data.get("workforce_dispatched"),
                ),
            )
            if term is not None:
                messages.success(request, _("已设立 %(term)s") % {"term": term})
                for warning in q.term_warnings(term):
                    messages.warning(request, warning)
                return redirect("congress:term-detail", term_id=term.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "congress/term_list.html",
        {"title": _("职工代表大会"), "terms": q.list_terms_for_user(request.user), "form": form},
        status=_status(form),
    )


def _term_context(request, term, **extra):
    user = request.user
    return {
        "term": term,
        "title": str(term),
        "can_manage": q.can(user, q.MANAGE, term),
        "can_run": q.can(user, q.RUN, term),
        **extra,
    }


@login_required
@require_GET
def term_detail(request, term_id: int):
    term = q.access_term(request.user, term_id)
    checks = q.composition(term)
    context = _term_context(
        request,
        term,
        sessions=q.sessions_of(term),
        years=q.term_years(term),
        overall=rules.overall(c.check for c in checks),
        failing=[c for c in checks if c.status != rules.OK],
        slate=q.slate(term),
        session_form=SessionForm(),
        warnings=q.term_warnings(term),
    )
    return render(request, "congress/term_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def term_edit(request, term_id: int):
    term = q.access_term(request.user, term_id, q.MANAGE)
    initial = {f: getattr(term, f) for f in actions.TERM_FIELDS}
    form = TermForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _done, status = run_action(
            form,
            lambda: actions.do_update_term(
                actor=request.user, term=term, changes=form.cleaned_data
            ),
        )
        if status == 200:
            messages.success(request, _("已保存"))
            term.refresh_from_db()
            for warning in q.term_warnings(term):
                messages.warning(request, warning)
            return redirect("congress:term-detail", term_id=term.pk)
    return render(
        request,
        "congress/term_edit.html",
        _term_context(request, term, form=form, warnings=q.term_warnings(term)),
        status=_status(form),
    )


@login_required
@require_GET
def term_slate(request, term_id: int):
    """Every composition check of the slate at a glance, with figures and legal basis."""
    term = q.access_term(request.user, term_id)
    checks = q.composition(term)
    context = _term_context(
        request,
        term,
        checks=checks,
        overall=rules.overall(c.check for c in checks),
        workforce=q.workforce(term),
        counted=q.workforce_is_counted(term),
        slate=q.slate(term),
        years=q.term_years(term),
        year_basis=term.ruleset.basis_for("sessions_per_year"),
    )
    return render(request, "congress/term_slate.html", context)


@login_required
@require_POST
def session_schedule(request, term_id: int):
    term = q.access_term(request.user, term_id, q.MANAGE)
    form = SessionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        session, status = run_action(
            form,
            lambda: actions.do_schedule_session(
                actor=request.user,
                term=term,
                date=data["date"],
                place=data["place"],
                title=data["title"],
                notify_representatives=data["notify_representatives"],
            ),
        )
        if session is not None:
            messages.success(request, _("已安排 %(s)s") % {"s": session})
            return redirect("congress:session-detail", session_id=session.pk)
    checks = q.composition(term)
    context = _term_context(
        request,
        term,
        sessions=q.sessions_of(term),
        years=q.term_years(term),
        overall=rules.overall(c.check for c in checks),
        failing=[c for c in checks if c.status != rules.OK],
        slate=q.slate(term),
        session_form=form,
    )
    return render(request, "congress/term_detail.html", context, status=_status(form))


# --- representatives ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rep_list(request, term_id: int):
    term = q.access_term(request.user, term_id)
    can_manage = q.can(request.user, q.MANAGE, term)
    form = RepresentativeForm(request.POST or None, units=q.electoral_units(term))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            member = q.member_by_employee_no(term.unit, data["employee_no"])
            if member is None:
                form.add_error("employee_no", _("本组织范围内没有这个工号的在册会员"))
            else:
                rep, _status_code = run_action(
                    form,
                    lambda: actions.do_add_representative(
                        actor=request.user,
                        term=term,
                        member=member,
                        unit=data["unit"],
                        kind=data["kind"],
                        is_manager=data["is_manager"],
                        is_frontline=data["is_frontline"],
                    ),
                )
                if rep is not None:
                    messages.success(request, _("已增加职工代表 %(name)s") % {"name": rep.member})
                    return redirect("congress:rep-list", term_id=term.pk)
    show_ended = request.GET.get("ended") == "1"
    reps = q.representatives_of(term, include_ended=show_ended)
    context = _term_context(
        request,
        term,
        reps=reps,
        form=form if can_manage else None,
        show_ended=show_ended,
        slate=q.slate(term),
    )
    return render(request, "congress/rep_list.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def rep_edit(request, rep_id: int):
    rep = q.access_representative(request.user, rep_id, q.MANAGE)
    initial = {"kind": rep.kind, "is_manager": rep.is_manager, "is_frontline": rep.is_frontline}
    form = RepresentativeEditForm(request.POST or None, initial=initial)
    end_form = EndRepresentativeForm()
    if request.method == "POST" and form.is_valid():
        _done, status = run_action(
            form,
            lambda: actions.do_update_representative(
                actor=request.user, rep=rep, **form.cleaned_data
            ),
        )
        if status == 200:
            messages.success(request, _("已保存"))
            return redirect("congress:rep-list", term_id=rep.term_id)
    context = _term_context(request, rep.term, rep=rep, form=form, end_form=end_form)
    return render(request, "congress/rep_edit.html", context)


@login_required
@require_POST
def rep_end(request, rep_id: int):
    rep = q.access_representative(request.user, rep_id, q.MANAGE)
    end_form = EndRepresentativeForm(request.POST)
    if end_form.is_valid():
        _done, status = run_action(
            end_form,
            lambda: actions.do_end_representative(
                actor=request.user, rep=rep, reason=end_form.cleaned_data["reason"]
            ),
        )
        if status == 200:
            messages.success(request, _("已终止 %(name)s 的代表资格") % {"name": rep.member.name})
            return redirect("congress:rep-list", term_id=rep.term_id)
    initial = {"kind": rep.kind, "is_manager": rep.is_manager, "is_frontline": rep.is_frontline}
    context = _term_context(
        request, rep.term, rep=rep, form=RepresentativeEditForm(initial=initial), end_form=end_form
    )
    return render(request, "congress/rep_edit.html", context, status=_status(end_form))


@login_required
@require_GET
def rep_badges(request, term_id: int):
    """Printable check-in cards with every representative's personal QR code."""
    term = q.access_term(request.user, term_id, q.RUN)
    cards = [
        {"rep": rep, "qr": pdf.qr_svg(q.checkin_code(rep), scale=4)}
        for rep in q.representatives_of(term)
    ]
    return render(request, "congress/rep_badges.html", _term_context(request, term, cards=cards))


# --- sessions (desk) ------------------------------------------------------------------------------


def _session_context(request, session, **extra):
    user = request.user
    term = session.term
    return {
        "session": session,
        "term": term,
        "title": str(session),
        "quorum": q.quorum_status(session),
        "can_run": q.can(user, q.RUN, term),
        "can_manage": q.can(user, q.MANAGE, term),
        **extra,
    }


def _scrutineer_form(session, data=None) -> ScrutineerForm:
    current = list(q.scrutineers_of(session))
    initial = {
        "chief_id": current[0].representative_id if current else None,
        "other_ids": [s.representative_id for s in current[1:]],
        "decrypt_quorum": session.decrypt_quorum,
    }
    return ScrutineerForm(data, initial=initial, choices=q.scrutineer_choices(session.term))


def _detail_context(request, session, item_form, scrutineer_form=None):
    """The session's page: its agenda, who of those present can vote online (asked before
    an online vote opens), the scrutineers and the key ceremony of each prepared encrypted
    vote, and the live count of the open votes."""
    items = list(q.items_of(session))
    can_run = q.can(request.user, q.RUN, session.term)
    scrutineers = list(q.scrutineers_of(session))
    return _session_context(
        request,
        session,
        items=items,
        rows=[(i, q.ceremony_of(i.poll)) for i in items],
        scrutineers=scrutineers,
        scrutineers_locked=q.scrutineers_locked(session),
        scrutineer_form=(scrutineer_form or _scrutineer_form(session)) if can_run else None,
        item_form=item_form,
        attending=q.attending_present(session),
        readiness=desk_queries.online_readiness(session),
        live=desk_queries.live_counts(session),
        # What members suggested in the pre-congress consultations (services, through core).
        consultation_topics=(
            consultation_topics(session.term.unit)
            if q.can(request.user, q.RUN, session.term)
            else []
        ),
    )


@login_required
@require_GET
def session_detail(request, session_id: int):
    session = q.access_session(request.user, session_id)
    context = _detail_context(request, session, ItemForm())
    return render(request, "congress/session_detail.html", context)


@login_required
@require_GET
def session_count(request, session_id: int):
    """The live count against the quorum (an htmx partial, polled every few seconds)."""
    session = q.access_session(request.user, session_id)
    response = render(
        request,
        "congress/_quorum.html",
        {"session": session, "quorum": q.quorum_status(session), "poll": True},
    )
    response["Cache-Control"] = "no-store"
    return response


_TRANSITIONS = {
    "start-checkin": (actions.do_start_checkin, _("已开始签到")),
    "open": (actions.do_open_session, _("会议已宣布开始")),
    "close": (actions.do_close_session, _("会议已闭会")),
}


@login_required
@require_POST
def session_transition(request, session_id: int, step: str):
    session = q.access_session(request.user, session_id, q.RUN)
    if step not in _TRANSITIONS:
        raise PermissionDenied
    action, done = _TRANSITIONS[step]
    return step_view(
        request,
        form=None,
        call=lambda data: action(actor=request.user, session=session),
        on_error=lambda bound, status: _session_page(request, session.pk, bound, status),
        success_url=reverse("congress:session-detail", args=[session.pk]),
        message=done,
    )


# The door's live list shows the latest check-ins, not all of them: the roll call page
# (checkin_rollcall) lists every representative with their check-in.
RECENT_CHECKINS = 10


@login_required
@require_http_methods(["GET", "POST"])
def checkin_desk(request, session_id: int):
    """The door: a USB or phone scanner types the representative's code into the field."""
    session = q.access_session(request.user, session_id, q.RUN)
    form = CheckinCodeForm(request.POST or None)
    outcome = None
    status = 200
    if request.method == "POST" and form.is_valid():
        result, status = run_action(
            form,
            lambda: actions.do_checkin_by_code(
                actor=request.user, session=session, code=form.cleaned_data["code"]
            ),
        )
        if result is None:
            outcome = {"ok": False, "message": first_error(form)}
        else:
            attendance, created = result
            rep = attendance.representative
            outcome = {
                "ok": True,
                "created": created,
                "rep": rep,
                "message": (
                    _("%(name)s（%(unit)s）签到成功") if created else _("%(name)s 已经签到过了")
                )
                % {"name": rep.member.name, "unit": rep.unit},
            }
        form = CheckinCodeForm()  # an empty field, ready for the next scan
    context = _session_context(
        request,
        session,
        form=form,
        outcome=outcome,
        recent=q.attendance_of(session)[:RECENT_CHECKINS],
    )
    if request.htmx:  # htmx swaps 2xx answers only: the refusal is in the partial
        return render(request, "congress/_checkin_result.html", context)
    return render(request, "congress/checkin_desk.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checkin_hall_code(request, session_id: int):
    """The hall's QR code, for the projector or a printed poster; POST makes a new one."""
    session = q.access_session(request.user, session_id, q.RUN)
    if request.method == "POST":
        session = actions.do_rotate_hall_code(actor=request.user, session=session)
        messages.success(request, _("已更换会场签到码，旧的二维码不再有效"))
        return redirect("congress:checkin-hall-code", session_id=session.pk)
    url = request.build_absolute_uri(
        reverse("congress:hall-checkin", args=[session.pk, session.hall_token])
    )
    context = _session_context(request, session, hall_url=url, qr=pdf.qr_svg(url, scale=10))
    return render(request, "congress/checkin_hall_code.html", context)


# --- agenda items and votes -----------------------------------------------------------------------


@login_required
@require_POST
def item_add(request, session_id: int):
    session = q.access_session(request.user, session_id, q.RUN)
    form = ItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _added, status = run_action(
            form,
            lambda: actions_agenda.do_add_item(
                actor=request.user,
                session=session,
                title=data["title"],
                kind=data["kind"],
                description=data["description"],
                candidates=form.candidate_list(),
                seats=data.get("seats") or 1,
                paper=data["is_paper"],
            ),
        )
        if status == 200:
            messages.success(request, _("已增加议程"))
            return redirect("congress:session-detail", session_id=session.pk)
    context = _detail_context(request, session, form)
    return render(request, "congress/session_detail.html", context, status=400)


@login_required
@require_POST
def session_scrutineers(request, session_id: int):
    """Record the chief scrutineer and the scrutineers the session passed."""
    session = q.access_session(request.user, session_id, q.RUN)
    form = _scrutineer_form(session, request.POST)

    def on_error(bound, status):
        context = _detail_context(request, session, ItemForm(), scrutineer_form=bound)
        return render(request, "congress/session_detail.html", context, status=status)

    return step_view(
        request,
        form=form,
        call=lambda data: actions_agenda.do_set_scrutineers(
            actor=request.user,
            session=session,
            chief=data["chief_id"],
            others=list(data["other_ids"]),
            quorum=data.get("decrypt_quorum"),
        ),
        on_error=on_error,
        success_url=reverse("congress:session-detail", args=[session.pk]),
        message=_("已登记总监票人和监票人"),
    )


@login_required
@require_POST
def item_action(request, item_id: int, step: str):
    item = q.access_item(request.user, item_id, q.RUN)
    if step not in ("prepare", "open", "close", "delete"):
        raise PermissionDenied

    def call(data):
        if step == "prepare":
            actions_agenda.do_prepare_item_vote(actor=request.user, item=item)
            messages.success(
                request,
                _("加密表决已准备：请各位监票人在手机上生成密钥并分发份额，完成后即可开始表决"),
            )
        elif step == "open":
            poll = actions_agenda.do_open_item_vote(actor=request.user, item=item)
            if poll.is_paper:
                messages.success(request, _("表决已开始：请在会场发放纸质选票，收回后录入票数"))
            else:
                messages.success(request, _("表决已开始：出席代表现在可以在手机上投票"))
        elif step == "close":
            poll = actions_agenda.do_close_item_vote(actor=request.user, item=item)
            if poll.encrypted and not poll.election_record:
                messages.success(
                    request,
                    _("表决已结束：请监票人在手机上解密票数，解密人数够了即公布结果"),
                )
            else:
                messages.success(request, _("表决已结束，结果已公布"))
        else:
            actions_agenda.do_delete_item(actor=request.user, item=item)
            messages.success(request, _("已删除议程"))
        return True

    return step_view(
        request,
        form=None,
        call=call,
        on_error=lambda bound, status: _session_page(request, item.session_id, bound, status),
        success_url=reverse("congress:session-detail", args=[item.session_id]),
    )


# --- results and documents ------------------------------------------------------------------------


def _results_context(request, session):
    return _session_context(
        request,
        session,
        results=q.session_results(session),
        attending=q.attending_present(session),
    )


@login_required
@require_GET
def session_results(request, session_id: int):
    session = q.access_session(request.user, session_id)
    return render(request, "congress/session_results.html", _results_context(request, session))


@login_required
@require_GET
def session_results_print(request, session_id: int):
    """The result sheet as a print page (the same document as the PDF)."""
    session = q.access_session(request.user, session_id)
    return render(
        request, "congress/session_results_sheet.html", _results_context(request, session)
    )


@login_required
@require_GET
def session_results_pdf(request, session_id: int):
    session = q.access_session(request.user, session_id)
    return pdf.pdf_response(
        "congress/session_results_sheet.html",
        _results_context(request, session),
        f"session-{session.pk}-results.pdf",
        request,
        stylesheet=PRINT_STYLESHEET,
    )


def _resolution_context(request, item):
    result = q.item_result(item)
    return {
        "item": item,
        "session": item.session,
        "term": item.session.term,
        "r": result,
        "title": item.title,
    }


@login_required
@require_GET
def item_resolution(request, item_id: int):
    item = q.access_item(request.user, item_id)
    if item.kind != item.Kind.MOTION:
        raise Http404
    context = _resolution_context(request, item)
    status = 200 if context["r"].result is not None else 409
    return render(request, "congress/session_resolution.html", context, status=status)


@login_required
@require_GET
def item_resolution_pdf(request, item_id: int):
    item = q.access_item(request.user, item_id)
    if item.kind != item.Kind.MOTION:
        raise Http404
    context = _resolution_context(request, item)
    if context["r"].result is None:
        return render(request, "congress/session_resolution.html", context, status=409)
    return pdf.pdf_response(
        "congress/session_resolution.html",
        context,
        f"resolution-{item.pk}.pdf",
        request,
        stylesheet=PRINT_STYLESHEET,
    )


# --- representatives on the phone -----------------------------------------------------------------


@login_required
@require_GET
def my_sessions(request):
    reps = list(q.my_representations(request.user))
    sessions = list(q.my_sessions(request.user))
    return render(
        request,
        "congress/session_mine.html",
        {"title": _("我的职代会"), "reps": reps, "sessions": sessions},
    )


@login_required
@require_GET
def my_session(request, session_id: int):
    session, rep = q.access_my_session(request.user, session_id)
    items = []
    for item in q.items_of(session):
        entry = voting_queries.roll_entry(item.poll, request.user) if item.poll else None
        items.append({"item": item, "entry": entry})
    context = {
        "title": str(session),
        "session": session,
        "rep": rep,
        "attendance": q.is_checked_in(session, rep),
        "items": items,
        # What the hall's QR code opens, up to its token: the phone's scanner follows only it.
        "hall_prefix": reverse("congress:hall-checkin", args=[session.pk, "x"])[:-2],
    }
    return render(request, "congress/session_my.html", context)


@never_cache
@login_required
@require_GET
def my_qr(request, rep_id: int):
    """The representative's personal check-in code, to show at the door."""
    rep = q.access_my_representation(request.user, rep_id)
    code = q.checkin_code(rep)
    context = {
        "title": _("我的签到码"),
        "rep": rep,
        "code": code,
        "qr": pdf.qr_svg(code, scale=8, title=_("个人签到二维码")),
    }
    return render(request, "congress/checkin_qr.html", context)


@login_required
@require_POST
def my_qr_reset(request, rep_id: int):
    rep = q.access_my_representation(request.user, rep_id)
    actions.do_reset_checkin_code(actor=request.user, rep=rep)
    messages.success(request, _("已生成新的签到码，旧的签到码不再有效"))
    return redirect("congress:my-qr", rep_id=rep.pk)


@login_required
@require_http_methods(["GET", "POST"])
def hall_checkin(request, session_id: int, token: str):
    """Self check-in: the representative scanned the hall's code and is signed in. Only the
    signed-in representative's own attendance is ever recorded here."""
    session = q.session_by_hall_token(session_id, token)
    if session is None:
        return render(
            request,
            "congress/checkin_self.html",
            {"title": _("会场签到"), "error": _("会场签到码无效或已更换，请重新扫描会场二维码")},
            status=404,
        )
    rep = q.my_representations(request.user).filter(term=session.term).first()
    context = {"title": _("会场签到"), "session": session, "rep": rep}
    if request.method == "POST":
        step = NoInput({})
        step.is_valid()
        result, status = run_action(
            step,
            lambda: actions.do_self_checkin(actor=request.user, session=session, hall_token=token),
        )
        if result is None:
            context["error"] = first_error(step)
            return render(request, "congress/checkin_self.html", context, status=status)
        _attendance, created = result
        context["done"] = True
        context["created"] = created
    elif rep is not None:
        context["attendance"] = q.is_checked_in(session, rep)
    return render(request, "congress/checkin_self.html", context)
