"""Pages of the congress desk on session day (cadres): the roll call with its search and
"all present except", the vote's switch to a hall (paper) vote, and the live count of ballots
cast against the representatives present (an htmx fragment, never a result).

Thin: parse, call one query or action, render. Sessions outside the caller's scope are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhijia.congress.actions import desk as actions
from zhijia.congress.actions import sessions as actions_sessions
from zhijia.congress.forms.desk import AllPresentExceptForm
from zhijia.congress.queries import desk as dq
from zhijia.congress.queries import sessions as q
from zhijia.congress.views.sessions import _session_context, _session_page
from zhijia.core.forms import run_action
from zhijia.core.views_workflow import NoInput, first_error, step_view


@login_required
@require_GET
def rollcall(request, session_id: int):
    """Every representative with a 到 / 已到 button; `q` narrows the list by name, 工号 or
    pinyin (typed: htmx swaps the table's body; without script: the search button)."""
    session = q.access_session(request.user, session_id, q.RUN)
    text = dq.search_text(request.GET.get("q"))
    reps = dq.roll_call(session, text)
    context = _session_context(request, session, reps=reps, search=text)
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "congress/_rollcall_rows.html", context)
    return render(request, "congress/checkin_rollcall.html", context)


@login_required
@require_POST
def rollcall_mark(request, session_id: int, rep_id: int):
    session = q.access_session(request.user, session_id, q.RUN)
    rep = q.access_representative(request.user, rep_id, q.RUN)
    present = request.POST.get("present") == "1"
    marked = NoInput({})
    marked.is_valid()
    _done, status = run_action(
        marked,
        lambda: actions_sessions.do_roll_call(
            actor=request.user, session=session, rep=rep, present=present
        ),
    )
    error = first_error(marked) if status != 200 else ""
    if request.htmx:
        row = q.roll_call_list(session).get(pk=rep.pk)
        return render(
            request,
            "congress/_rollcall_row.html",
            {"session": session, "rep": row, "error": error},
        )
    if error:
        messages.error(request, error)
    return redirect("congress:checkin-rollcall", session_id=session.pk)


@login_required
@require_http_methods(["GET", "POST"])
def all_present_except(request, session_id: int):
    """Tick the absent ones; every other representative not checked in yet is marked present."""
    session = q.access_session(request.user, session_id, q.RUN)
    data = request.POST if request.method == "POST" else None  # nobody ticked: still bound
    form = AllPresentExceptForm(data, reps=q.representatives_of(session.term))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            marked, status = run_action(
                form,
                lambda: actions.do_mark_all_present_except(
                    actor=request.user, session=session, except_ids=form.cleaned_data["absent"]
                ),
            )
            if marked is not None:
                messages.success(
                    request,
                    ngettext(
                        "已为 %(n)s 名代表签到",
                        "已为 %(n)s 名代表签到",
                        len(marked),
                    )
                    % {"n": len(marked)},
                )
                return redirect("congress:checkin-rollcall", session_id=session.pk)
        else:
            status = 400
    ticked = {str(v) for v in form["absent"].value() or ()}
    absent = list(dq.absent(session))
    context = _session_context(
        request,
        session,
        form=form,
        absent=absent,
        ticked=ticked,
        title=_("其余全部到会"),
    )
    return render(request, "congress/checkin_all_present.html", context, status=status)


@login_required
@require_GET
def live_count(request, session_id: int):
    """Ballots cast against the representatives present, per open vote: an htmx fragment
    polled every few seconds on the session's page. Never a choice's tally."""
    session = q.access_session(request.user, session_id, q.RUN)
    response = render(
        request,
        "congress/_live_count.html",
        {"session": session, "live": dq.live_counts(session)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def item_open_paper(request, item_id: int):
    """Open the item's vote as a hall (paper) vote, switching it from an online one."""
    item = q.access_item(request.user, item_id, q.RUN)
    return step_view(
        request,
        form=None,
        call=lambda data: actions.do_open_item_vote_on_paper(actor=request.user, item=item),
        on_error=lambda bound, status: _session_page(request, item.session_id, bound, status),
        success_url=reverse("congress:session-detail", args=[item.session_id]),
        message=_("已改为纸质表决并开始：请在会场发放纸质选票，收回后录入票数"),
    )
