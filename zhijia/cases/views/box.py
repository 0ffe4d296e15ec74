"""The anonymous box's pages: submit, receive the receipt code once, follow up with it.

These views never read `request.user` or `request.session` and render without the context
processors (which would read the signed-in user to draw the navigation): whoever is signed in
in the same browser, the box sees only what is typed into it. The receipt code travels in POST
bodies only (never in a URL, so no access log holds it). Nothing is logged about these
requests beyond the web server's line (time, method, path, status, size).

Wrong receipt codes are rate-limited per client address (zhijia.core.receipts: the address is
kept only as a keyed digest in the cache, and only for failures) and in total, so guessing
stops being worth it long before 80 bits run out; a right code writes nothing.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zhijia.cases.actions import box as actions_box
from zhijia.cases.forms import box as forms_box
from zhijia.cases.queries import box as queries_box
from zhijia.cases.queries import grievances as queries
from zhijia.cases.workflows import GRIEVANCE
from zhijia.core import receipts
from zhijia.core.forms import run_action
from zhijia.org.queries import members as org_queries


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    # No RequestContext: no context processor runs, so nothing here touches the session user.
    body = get_template(template).render({**context, "csrf_token": get_token(request)})
    response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    # Not "no-referrer": with it browsers send `Origin: null` on the form's POST and Django's
    # CSRF check refuses it. "same-origin" still sends nothing to other sites.
    response["Referrer-Policy"] = "same-origin"
    return response


def _units():
    return list(queries.anonymous_unit_choices())


# --- submitting ------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def box(request):
    status = 200
    if request.method == "POST":
        form = forms_box.BoxForm(request.POST, units=_units())
        if form.is_valid():
            d = form.cleaned_data
            result, status = run_action(
                form,
                lambda: actions_box.do_put_in_box(
                    kind=d["kind"],
                    category=d["category"],
                    org_unit=org_queries.unit_by_id(d["org_unit"]),
                    text=d["text"],
                ),
            )
            if result is not None:
                item, code = result
                return _render(
                    request,
                    "cases/box_receipt.html",
                    {"title": _("已投入匿名信箱"), "code": code, "item": item},
                )
        else:
            status = 400
    else:
        form = forms_box.BoxForm(units=_units())
    return _render(
        request, "cases/box_form.html", {"title": _("匿名信箱"), "form": form}, status=status
    )


# --- following up -------------------------------------------------------------------------


class _Refused(Exception):  # noqa: N818 - carries the refusing response
    def __init__(self, response):
        self.response = response


def _limited(request, form, template, context, retry_after: int):
    form.add_error(
        None,
        receipts.RateLimited(retry_after).message,
    )
    response = _render(request, template, {**context, "form": form}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _lookup(request, form, template="cases/box_follow.html", context=None):
    """The grievance (or sealed item) of the form's code; or a response refusing it."""
    context = context or {"title": _("查询匿名诉求")}
    try:
        receipts.check_rate_limit(request, queries_box.RECEIPT_SCOPE, form.cleaned_data["code"])
    except receipts.RateLimited as exc:
        raise _Refused(_limited(request, form, template, context, exc.retry_after)) from None
    found = queries_box.find_by_receipt(form.cleaned_data["code"])
    if found is None:
        receipts.register_failure(request, queries_box.RECEIPT_SCOPE, form.cleaned_data["code"])
        # One message for a malformed and an unknown code: a wrong code gives nothing away.
        form.add_error("code", _("收据码不正确，请核对后重新输入"))
        raise _Refused(_render(request, template, {**context, "form": form}, status=400))
    return found


def _status_page(request, found, code: str, status=200, saved=False, **bound):
    g = found.grievance
    context = {
        "title": _("我的匿名诉求"),
        "saved": saved,
        "code": receipts.format_receipt(code),
        "sealed": found.sealed,
        "g": g,
    }
    if g is not None:
        context.update(
            {
                "state_label": GRIEVANCE.state_label(g.state),
                "timeline": queries.timeline(g, for_worker=True),
                "pending": list(queries_box.pending_box_items(g)),
                "message_form": bound.get("message_form")
                or (
                    forms_box.BoxMessageForm(initial={"code": code})
                    if g.in_state("submitted", "assigned", "answered")
                    else None
                ),
                "rate_form": bound.get("rate_form")
                or (
                    forms_box.BoxRateForm(initial={"code": code})
                    if g.in_state("answered")
                    else None
                ),
            }
        )
    return _render(request, "cases/box_status.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def follow(request):
    if request.method != "POST":
        return _render(
            request,
            "cases/box_follow.html",
            {"title": _("查询匿名诉求"), "form": forms_box.ReceiptForm()},
        )
    form = forms_box.ReceiptForm(request.POST)
    if not form.is_valid():
        return _render(
            request, "cases/box_follow.html", {"title": _("查询匿名诉求"), "form": form}, 400
        )
    try:
        found = _lookup(request, form)
    except _Refused as refused:
        return refused.response
    return _status_page(request, found, form.cleaned_data["code"])


def _follow_up(request, form_class, form_name, call):
    form = form_class(request.POST)
    if not form.is_valid() and "code" in form.errors:
        return _render(
            request, "cases/box_follow.html", {"title": _("查询匿名诉求"), "form": form}, 400
        )
    code_form = forms_box.ReceiptForm({"code": request.POST.get("code", "")})
    code_form.is_valid()
    try:
        found = _lookup(request, code_form)
    except _Refused as refused:
        return refused.response
    code = code_form.cleaned_data["code"]
    if found.grievance is None:
        return _status_page(request, found, code)
    if form.is_valid():
        result, status = run_action(form, lambda: call(found.grievance, form.cleaned_data))
        if status == 200:
            return _status_page(request, queries_box.find_by_receipt(code), code, saved=True)
    else:
        status = 400
    return _status_page(request, found, code, status=status, **{form_name: form})


@never_cache
@require_POST
def message(request):
    return _follow_up(
        request,
        forms_box.BoxMessageForm,
        "message_form",
        lambda g, d: actions_box.do_box_message(grievance=g, text=d["text"]),
    )


@never_cache
@require_POST
def rate(request):
    return _follow_up(
        request,
        forms_box.BoxRateForm,
        "rate_form",
        lambda g, d: actions_box.do_box_rating(
            grievance=g, rating=d["rating"], comment=d["comment"]
        ),
    )
