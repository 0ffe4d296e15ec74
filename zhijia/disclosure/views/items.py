"""Pages of module disclosure. Thin: parse, call a query or an action, render.

Worker side (phone): the board of items addressed to me with unread markers, the item page
with its questions. Cadre side: the catalogue board (due / overdue per unit), the items
published in scope with read counts, publish and revise forms, the questions queue, the
catalogue. Records outside the user's scope are 404 (queries.access_*); a role without the
permission anywhere gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhijia.core import dateranges
from zhijia.core.errors import ActionRefused
from zhijia.core.forms import put_errors
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm, require
from zhijia.disclosure import rules
from zhijia.disclosure.actions import items as actions
from zhijia.disclosure.actions import questions as actions_questions
from zhijia.disclosure.forms.items import (
    BoardFilterForm,
    ItemFilterForm,
    PublishForm,
    ReviseForm,
    UnitFilterForm,
    WithdrawForm,
)
from zhijia.disclosure.forms.questions import (
    QuestionForm,
)
from zhijia.disclosure.models import Item, period_label
from zhijia.disclosure.permissions import PUBLISH_ITEM, VIEW_BOARD, VIEW_ITEM
from zhijia.disclosure.queries import catalogue as queries_catalogue
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.queries import questions as queries_questions
from zhijia.disclosure.workflows import QUESTION


def _add_errors(form, exc: ValidationError | ActionRefused) -> None:
    """Put an action's refusal next to the matching fields of the form."""
    if isinstance(exc, ActionRefused):
        put_errors(form, exc)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _querystring(request, drop=("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()


def _pick_unit(units, unit_id):
    """The unit of that id among `units` (the user's scope), or None."""
    return next((u for u in units if u.pk == unit_id), None)


# --- worker side -----------------------------------------------------------------------------


@login_required
@require_GET
def board(request):
    form = BoardFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = queries.BoardFilters(
        past=bool(data.get("past")),
        unread=bool(data.get("unread")),
        level=data.get("level") or "",
        q=(data.get("q") or "").strip(),
    )
    page = paginate(request, queries.board_items_for(request.user, filters), 20)
    for item in page.items:
        item.read_state = queries.read_state(item)
    member = queries.own_member(request.user)
    context = {
        "title": _("公开栏"),
        "form": form,
        "filters": filters,
        "page": page,
        "items": page.items,
        "member": member,
        "querystring": _querystring(request),
        "my_questions": paginate(
            request, queries_questions.my_questions(request.user), 5, param="mq"
        ),
        "can_manage": has_perm(request.user, VIEW_BOARD),
    }
    return render(request, "disclosure/board.html", context)


def _item_context(request, item: Item, **extra) -> dict:
    user = request.user
    stats = None
    if has_perm(user, VIEW_ITEM, unit=item.org_unit):
        stats = queries.receipt_stats(item)
    questions = queries_questions.questions_for_item(user, item)
    for q in questions:
        q.state_label = QUESTION.state_label(q.state)  # type: ignore[attr-defined]
    latest = item.revisions.order_by("-number").first()
    audience = queries.is_audience(user, item)
    context = {
        "title": item.title,
        "item": item,
        "table": item.table_rows,
        "files": queries.current_attachments(item),
        "latest": latest,
        "questions": questions,
        "may_answer": queries_questions.may_answer(user, item),
        "is_audience": audience,
        "can_ask": audience and item.status == Item.Status.PUBLISHED,
        "question_form": QuestionForm(),
        "can_publish": has_perm(user, PUBLISH_ITEM, unit=item.org_unit)
        and item.status == Item.Status.PUBLISHED,
        "withdraw_form": WithdrawForm(),
        "stats": stats,
        "stats_total": stats[0] if stats else None,
    }
    context.update(extra)
    return context


@login_required
@require_GET
def item_detail(request, item_id: int):
    item = queries.access_item(request.user, item_id)
    actions.do_mark_read(user=request.user, item=item)
    return render(request, "disclosure/item_detail.html", _item_context(request, item))


@login_required
@require_POST
def item_ask(request, item_id: int):
    item = queries.access_item(request.user, item_id)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question = actions_questions.do_ask_question(
                actor=request.user, item=item, text=form.cleaned_data["text"]
            )
        except (ValidationError, ActionRefused) as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("问题已提交，工会将在期限内答复"))
            return redirect(f"{item.get_absolute_url()}#q{question.pk}")
    context = _item_context(request, item, question_form=form)
    return render(request, "disclosure/item_detail.html", context, status=400)


@login_required
@require_GET
def item_revisions(request, item_id: int):
    item = queries.access_item(request.user, item_id)
    context = {
        "title": _("修订记录"),
        "item": item,
        "versions": queries.revision_history(item),
        "files": queries.all_attachments(item),
    }
    return render(request, "disclosure/item_revisions.html", context)


@login_required
@require_GET
def item_revision(request, item_id: int, number: int):
    item = queries.access_item(request.user, item_id)
    revision = queries.get_revision(item, number)
    files = queries.all_attachments(item)
    context = {
        "title": _("第 %(n)d 版") % {"n": revision.number},
        "item": item,
        "revision": revision,
        "table": revision.table_rows,
        "files": [files[i] for i in revision.attachment_ids if i in files],
    }
    return render(request, "disclosure/item_revision.html", context)


# --- publishing ------------------------------------------------------------------------------


def _publish_form(request, data=None, files=None):
    units = queries.publishable_units(request.user)
    initial = {}
    if data is None:
        unit = _pick_unit(units, queries.parse_id(request.GET.get("unit")))
        if unit is not None:
            initial["unit"] = unit.pk
        period = (request.GET.get("period") or "")[:16]
        if period:
            initial["period_key"] = period
        entry = queries_catalogue.get_entry(request.GET.get("entry"))
        if entry is not None and entry.active:
            initial["entry"] = entry.pk
            # "第一分工会2026年10月车间奖金分配", the title a cadre would write
            initial["title"] = "".join(
                [unit.name if unit else "", period_label(period) if period else "", entry.title]
            )
    levels = {level for u in units if (level := rules.level_of_kind(u.kind))}
    form = PublishForm(
        data,
        files,
        initial=initial,
        units=units,
        entries=list(queries_catalogue.list_entries(active_only=True, levels=levels)),
        audiences=units,
    )
    return form, units


@login_required
@require_http_methods(["GET", "POST"])
def item_publish(request):
    require(request.user, PUBLISH_ITEM)
    if request.method == "POST":
        form, units = _publish_form(request, request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            unit = _pick_unit(units, d["unit"])
            audience = _pick_unit(units, d.get("audience_unit")) if d.get("audience_unit") else None
            entry = queries_catalogue.get_entry(d["entry"]) if d.get("entry") else None
            try:
                item = actions.do_publish_item(
                    actor=request.user,
                    unit=unit,
                    audience_unit=audience,
                    entry=entry,
                    period_key=d.get("period_key") or "",
                    title=d["title"],
                    body=d.get("body") or "",
                    table_text=d.get("table_text") or "",
                    valid_from=d.get("valid_from"),
                    valid_until=d.get("valid_until"),
                    uploads=d.get("uploads") or [],
                )
            except (ValidationError, ActionRefused) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已公开：%(title)s") % {"title": item.title})
                return redirect(item.get_absolute_url())
        status = 400
    else:
        form, units = _publish_form(request)
        status = 200
    context = {"title": _("发布公开事项"), "form": form}
    return render(request, "disclosure/item_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def item_revise(request, item_id: int):
    item = queries.access_item(request.user, item_id)
    require(request.user, PUBLISH_ITEM, unit=item.org_unit)
    if item.status != Item.Status.PUBLISHED:
        messages.error(request, _("已撤回的事项不能修订"))
        return redirect(item.get_absolute_url())
    current = queries.current_attachments(item)
    status = 200
    if request.method == "POST":
        form = ReviseForm(request.POST, request.FILES, current_files=current)
        if form.is_valid():
            d = form.cleaned_data
            try:
                revision = actions.do_revise_item(
                    actor=request.user,
                    item=item,
                    title=d["title"],
                    body=d.get("body") or "",
                    table_text=d.get("table_text") or "",
                    valid_from=d.get("valid_from"),
                    valid_until=d.get("valid_until"),
                    reason=d["reason"],
                    uploads=d.get("uploads") or [],
                    remove_attachment_ids=d.get("remove") or [],
                )
            except (ValidationError, ActionRefused) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已发布第 %(n)d 版") % {"n": revision.number})
                return redirect(item.get_absolute_url())
        status = 400
    else:
        form = ReviseForm(
            initial={
                "title": item.title,
                "body": item.body,
                "table_text": item.table_text,
                "valid_from": item.valid_from,
                "valid_until": item.valid_until,
            },
            current_files=current,
        )
    context = {"title": _("修订公开事项"), "form": form, "item": item}
    return render(request, "disclosure/item_form.html", context, status=status)


@login_required
@require_POST
def item_withdraw(request, item_id: int):
    item = queries.access_item(request.user, item_id)
    require(request.user, PUBLISH_ITEM, unit=item.org_unit)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            actions.do_withdraw_item(
                actor=request.user, item=item, reason=form.cleaned_data["reason"]
            )
        except ActionRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已撤回"))
    else:
        messages.error(request, _("请填写撤回原因"))
    return redirect(item.get_absolute_url())


# --- cadre side --------------------------------------------------------------------------------


@login_required
@require_GET
def manage_board(request):
    require(request.user, VIEW_BOARD)
    units = queries.units_in_scope(request.user, VIEW_BOARD)
    form = UnitFilterForm(request.GET or None, units=units)
    unit = None
    if form.is_valid() and form.cleaned_data.get("unit"):
        unit = _pick_unit(units, form.cleaned_data["unit"])
    rows = queries_catalogue.board_for(request.user, unit=unit)
    context = {
        "title": _("公开进度"),
        "form": form,
        "rows": rows,
        "today": queries.today(),
        "overdue": sum(r.overdue for r in rows),
        "due_soon": sum(r.due_soon for r in rows),
        "can_publish": has_perm(request.user, PUBLISH_ITEM),
    }
    return render(request, "disclosure/manage_board.html", context)


@login_required
@require_GET
def manage_items(request):
    require(request.user, VIEW_ITEM)
    units = queries.units_in_scope(request.user, VIEW_ITEM)
    form = ItemFilterForm(request.GET or None, units=units)
    data = form.cleaned_data if form.is_valid() else {}
    filters = queries.ItemFilters(
        unit=_pick_unit(units, data.get("unit")) if data.get("unit") else None,
        status=data.get("status") or "",
        q=(data.get("q") or "").strip(),
        published=dateranges.from_form(form),
    )
    page = paginate(request, queries.items_in_scope(request.user, filters))
    context = {
        "title": _("已发布事项"),
        "form": form,
        "page": page,
        "items": page.items,
        "querystring": _querystring(request),
        "can_publish": has_perm(request.user, PUBLISH_ITEM),
    }
    return render(request, "disclosure/manage_items.html", context)


# --- questions ---------------------------------------------------------------------------------


# --- the catalogue ------------------------------------------------------------------------------
