"""Pages of module voting. Thin: parse, call one query or action, render.

The tracker is rendered once, in the answer to the casting POST (never cached, never stored
in the session: a server-side session row would link the voter to the tracker).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhijia.core.csvfile import csv_response
from zhijia.core.forms import put_errors
from zhijia.core.pagination import paginate
from zhijia.core.views_workflow import first_error, step_view
from zhijia.voting import actions, queries, trustee_actions
from zhijia.voting.errors import BadInput, ResultsNotPublished, VotingError
from zhijia.voting.forms import (
    OpenForm,
    PaperResultForm,
    PollForm,
    TrusteesForm,
    TrusteeUploadForm,
)


@login_required
def my_polls(request):
    polls = list(queries.my_polls(request.user))
    return render(
        request,
        "voting/my_polls.html",
        {
            "open_polls": [p for p in polls if p.is_open],
            "closed_polls": [p for p in polls if p.is_closed],
            "title": _("我的表决"),
        },
    )


def _vote_context(request, poll, **extra):
    entry = queries.roll_entry(poll, request.user)
    return {
        "poll": poll,
        "options": queries.options_of(poll),
        "entry": entry,
        "can_vote": entry is not None and not entry.voted and poll.is_open and not poll.is_paper,
        "can_manage": queries.can_manage(request.user, poll),
        "ballot_context": queries.ballot_context(poll),
        "title": poll.title,
        **extra,
    }


@login_required
def poll_detail(request, poll_id: int):
    """The vote page: the question, its options and one button."""
    poll = queries.access_poll(request.user, poll_id)
    return render(request, "voting/poll_detail.html", _vote_context(request, poll))


@never_cache
@login_required
@require_POST
def cast(request, poll_id: int):
    poll = queries.access_poll(request.user, poll_id)
    try:
        if poll.encrypted:
            tracker = actions.do_cast_encrypted_ballot(
                voter=request.user, poll=poll, ballot=_json_or_none(request.POST.get("ballot"))
            )
        else:
            tracker = actions.do_cast_ballot(
                voter=request.user, poll=poll, choice=request.POST.getlist("choice")
            )
    except VotingError as exc:
        context = _vote_context(request, poll, error=exc.message)
        return render(request, "voting/poll_detail.html", context, status=exc.status)
    return render(
        request, "voting/tracker.html", {"poll": poll, "tracker": tracker, "title": poll.title}
    )


def _json_or_none(text: str | None):
    try:
        return json.loads(text or "")
    except ValueError:
        return None


@login_required
def results(request, poll_id: int):
    poll = queries.access_poll(request.user, poll_id)
    context = {
        "poll": poll,
        "title": poll.title,
        "can_manage": queries.can_manage(request.user, poll),
    }
    try:
        context["result"] = queries.results_for(poll)
        if not poll.is_paper:
            context["trackers"] = queries.published_trackers(poll)
    except ResultsNotPublished as exc:
        context["refused"] = exc.message
        return render(request, "voting/results.html", context, status=exc.status)
    if request.method == "POST":
        code = request.POST.get("tracker", "")
        context["checked"] = code
        context["present"] = queries.tracker_is_published(poll, code)
    return render(request, "voting/results.html", context)


@login_required
def choices_csv(request, poll_id: int):
    """The published choice list (sorted, no trackers) for anyone to recount."""
    poll = queries.access_poll(request.user, poll_id)
    try:
        published = queries.published_choices(poll)
    except ResultsNotPublished as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    rows = [(c, queries.choice_labels(poll, c)) for c in published]
    return csv_response(f"poll-{poll.pk}-choices.csv", [_("选择代码"), _("选择")], rows)


@login_required
def trackers_csv(request, poll_id: int):
    poll = queries.access_poll(request.user, poll_id)
    try:
        codes = queries.published_trackers(poll)
    except ResultsNotPublished as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    return csv_response(f"poll-{poll.pk}-trackers.csv", [_("验证码")], [(c,) for c in codes])


# --- managers -------------------------------------------------------------------------------------


def _require_manager(request) -> None:
    if not queries.units_managed_by(request.user).exists():
        raise PermissionDenied


@login_required
def manage(request):
    _require_manager(request)
    units = queries.units_managed_by(request.user)
    form = PollForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            poll = actions.do_create_poll(
                actor=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                kind=form.cleaned_data["kind"],
                unit=form.cleaned_data["unit"],
                candidates=form.candidate_list(),
                seats=form.cleaned_data["seats"],
                rule=form.cleaned_data["rule"],
                paper=form.cleaned_data["is_paper"],
                encrypted=form.cleaned_data["encrypted"] and not form.cleaned_data["is_paper"],
            )
        except BadInput as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("表决已创建（草稿）。确认无误后请开始表决。"))
            return redirect("voting:manage-poll", poll_id=poll.pk)
    return render(
        request,
        "voting/manage.html",
        {
            "polls": paginate(request, queries.managed_polls(request.user)),
            "form": form,
            "title": _("表决管理"),
        },
    )


def _manage_context(request, poll, **extra):
    return {
        "trustees": queries.trustees_of(poll) if poll.encrypted else [],
        "trustees_form": TrusteesForm(),
        "poll": poll,
        "options": queries.options_of(poll),
        "turnout": queries.turnout(poll),
        "open_form": OpenForm(),
        # A poll made by another module for one of its records: that module opens it.
        "origin_module": queries.origin_module(poll.origin),
        "ceremony_complete": poll.encrypted and queries.ceremony_complete(poll),
        "ceremony_started": poll.encrypted
        and any(t.public is not None for t in queries.trustees_of(poll)),
        "complaints": queries.ceremony_complaints(poll) if poll.encrypted else [],
        "paper_form": PaperResultForm(options=queries.options_of(poll)),
        "title": poll.title,
        **extra,
    }


@login_required
def manage_poll(request, poll_id: int):
    poll = queries.access_managed_poll(request.user, poll_id)
    return render(request, "voting/manage_poll.html", _manage_context(request, poll))


@login_required
@require_POST
def open_poll(request, poll_id: int):
    poll = queries.access_managed_poll(request.user, poll_id)
    form = OpenForm(request.POST)
    if not form.is_valid():
        context = _manage_context(request, poll, open_form=form)
        return render(request, "voting/manage_poll.html", context, status=400)
    if queries.origin_module(poll.origin):
        # Its module opens it, with its own roll and checks (congress: the quorum).
        messages.error(request, _("这项表决由其他业务模块管理，请在该模块的页面上开始表决。"))
        return redirect("voting:manage-poll", poll_id=poll.pk)
    if form.cleaned_data["source"] == "representatives":
        voters = queries.representatives_of_unit(poll.unit)
    else:
        voters = queries.eligible_members_of_unit(poll.unit)
    try:
        actions.do_open_poll(
            actor=request.user,
            poll=poll,
            voters=voters,
            majority_base=form.cleaned_data["majority_base"],
        )
    except VotingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("表决已开始，投票人名单已固定。"))
    return redirect("voting:manage-poll", poll_id=poll.pk)


@login_required
@require_POST
def close_poll(request, poll_id: int):
    poll = queries.access_managed_poll(request.user, poll_id)
    try:
        actions.do_close_poll(actor=request.user, poll=poll)
    except VotingError as exc:
        messages.error(request, exc.message)
        return redirect("voting:manage-poll", poll_id=poll.pk)
    messages.success(request, _("表决已结束，结果已公布。"))
    if poll.storage_compacted is False:
        messages.error(
            request,
            _(
                "注意：数据库的预写日志（WAL）未能清空，其中可能仍保留投票过程中的数据页。"
                "请联系系统管理员检查长时间打开的数据库连接后重试，并在清空前不要复制数据库文件。"
            ),
        )
    return redirect("voting:results", poll_id=poll.pk)


@login_required
@require_POST
def paper_result(request, poll_id: int):
    poll = queries.access_managed_poll(request.user, poll_id)
    form = PaperResultForm(request.POST, options=queries.options_of(poll))
    if form.is_valid():
        try:
            actions.do_enter_paper_result(
                actor=request.user,
                poll=poll,
                counts=form.counts(),
                valid_ballots=form.cleaned_data["valid_ballots"],
                invalid_ballots=form.cleaned_data["invalid_ballots"],
            )
        except VotingError as exc:
            put_errors(form, exc)
        else:
            messages.success(request, _("现场表决票数已录入。"))
            return redirect("voting:results", poll_id=poll.pk)
    context = _manage_context(request, poll, paper_form=form)
    return render(request, "voting/manage_poll.html", context, status=400)


# --- encrypted polls: trustees and the published record -----------------------------------------


@login_required
@require_POST
def name_trustees(request, poll_id: int):
    poll = queries.access_managed_poll(request.user, poll_id)
    form = TrusteesForm(request.POST)
    if form.is_valid():
        names = form.username_list()
        members = queries.eligible_members_of_unit(poll.unit).filter(username__in=names)
        found = {u.username: u for u in members}
        missing = [n for n in names if n not in found]
        if missing:
            form.add_error(
                "usernames",
                _("不是本组织及下级的会员：%(names)s") % {"names": "、".join(missing)},
            )
        else:
            try:
                trustee_actions.do_name_trustees(
                    actor=request.user,
                    poll=poll,
                    users=[found[n] for n in names],
                    quorum=form.cleaned_data["quorum"],
                )
            except VotingError as exc:
                put_errors(form, exc)
            else:
                messages.success(request, _("监票人已指定。请通知他们在“监票人”页面完成密钥仪式。"))
                return redirect("voting:manage-poll", poll_id=poll.pk)
    context = _manage_context(request, poll, trustees_form=form)
    return render(request, "voting/manage_poll.html", context, status=400)


@login_required
@require_POST
def restart_ceremony(request, poll_id: int):
    """Start the key ceremony again (after a complaint about a share, or a lost key file)."""
    poll = queries.access_managed_poll(request.user, poll_id)

    def refused(bound, status: int):
        messages.error(request, first_error(bound) or _("操作未完成"))
        context = _manage_context(request, poll)
        return render(request, "voting/manage_poll.html", context, status=status)

    return step_view(
        request,
        form=None,
        call=lambda data: trustee_actions.do_restart_ceremony(actor=request.user, poll=poll),
        on_error=refused,
        success_url=reverse("voting:manage-poll", args=[poll.pk]),
        message=_("密钥仪式已重新开始：请通知监票人重新生成密钥（必要时先更换监票人）。"),
    )


# A decryption document holds, per option, one partial decryption and n - 1 compensating
# shares of about 1.2 kB each: 200 options and 5 trustees make some 1.2 MB.
MAX_TRUSTEE_DOCUMENT = 4_000_000


def _browser_step(poll, me, trustees) -> str:
    """The step the trustee can do now in the browser (trustee-ceremony.js), or ""."""
    if poll.state == poll.State.DRAFT and not poll.joint_key:
        if me.public is None:
            return "keygen"
        if me.shares is None and all(t.public is not None for t in trustees):
            return "shares"
    if poll.state == poll.State.DRAFT and poll.joint_key and me.complaints is None:
        return "check"
    tallied = bool(poll.is_closed and (poll.encrypted_tally or {}).get("ballots"))
    if tallied and not poll.election_record and me.decryption is None:
        return "decrypt"
    return ""


def _trustee_context(poll, me, **extra):
    trustees = queries.trustees_of(poll)
    return {
        "browser_step": _browser_step(poll, me, trustees),
        "poll": poll,
        "me": me,
        "trustees": trustees,
        "form": TrusteeUploadForm(),
        "all_public": all(t.public is not None for t in trustees),
        "complaints": [(t.index, t.complaints) for t in trustees if t.complaints],
        "title": _("监票人：%(title)s") % {"title": poll.title},
        **extra,
    }


@never_cache
@login_required
def trustee_page(request, poll_id: int):
    """The trustee's page: where the ceremony and the decryption stand, poll.json to download
    for verifier/zhijia_trustee.py, and the upload of what the tool wrote."""
    poll, me = queries.access_trustee_poll(request.user, poll_id)
    if request.method != "POST":
        return render(request, "voting/trustee.html", _trustee_context(poll, me))
    form = TrusteeUploadForm(request.POST, request.FILES)
    if form.is_valid():
        document = _json_or_none(
            form.cleaned_data["document"].read(MAX_TRUSTEE_DOCUMENT).decode("utf-8", "replace")
        )
        try:
            trustee_actions.do_post_trustee_document(
                actor=request.user, poll=poll, document=document
            )
        except VotingError as exc:
            form.add_error("document", exc.message)
        else:
            messages.success(request, _("文件已上传并通过验证。"))
            return redirect("voting:trustee", poll_id=poll.pk)
    context = _trustee_context(poll, me, form=form)
    return render(request, "voting/trustee.html", context, status=400)


@never_cache
@login_required
def trustee_document(request, poll_id: int):
    poll, me = queries.access_trustee_poll(request.user, poll_id)
    response = JsonResponse(
        queries.trustee_document(poll, me), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}.json"'
    return response


@login_required
def record_json(request, poll_id: int):
    """The published election record, for verifier/zhijia_verify.py."""
    poll = queries.access_poll(request.user, poll_id)
    try:
        text = queries.published_record(poll)
    except ResultsNotPublished as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-record.json"'
    return response
