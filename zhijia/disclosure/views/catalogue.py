"""Pages of the disclosure catalogue: the list, the defaults, creating and editing entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhijia.core.errors import ActionRefused
from zhijia.disclosure.actions import catalogue as actions_catalogue
from zhijia.disclosure.forms.catalogue import (
    CatalogueEntryForm,
)
from zhijia.disclosure.queries import catalogue as queries_catalogue
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.views.items import _add_errors


@login_required
@require_GET
def catalogue(request):
    entries = list(queries_catalogue.list_entries())
    context = {
        "title": _("公开目录"),
        "entries": entries,
        "can_manage": queries_catalogue.may_manage_catalogue(request.user),
        "defaults_missing": queries_catalogue.missing_default_entries(),
    }
    return render(request, "disclosure/catalogue.html", context)


@login_required
@require_POST
def catalogue_defaults(request):
    """Load the default catalogue's missing entries (a fresh installation starts empty)."""
    created = actions_catalogue.do_load_default_catalogue(actor=request.user)
    messages.success(request, _("已载入 %(n)d 个默认目录事项") % {"n": created})
    return redirect(reverse("disclosure:catalogue"))


def _entry_form_page(request, entry=None):
    status = 200
    if request.method == "POST":
        form = CatalogueEntryForm(request.POST)
        if form.is_valid():
            try:
                saved = actions_catalogue.do_save_catalogue_entry(
                    actor=request.user, entry=entry, **form.cleaned_data
                )
            except (ValidationError, ActionRefused) as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("已保存：%(title)s") % {"title": saved.title})
                return redirect(reverse("disclosure:catalogue"))
        status = 400
    elif entry is not None:
        form = CatalogueEntryForm(
            initial={name: getattr(entry, name) for name in actions_catalogue.ENTRY_FIELDS}
        )
    else:
        form = CatalogueEntryForm(initial={"effective_from": queries.today()})
    context = {
        "title": _("修改目录事项") if entry else _("新增目录事项"),
        "form": form,
        "entry": entry,
    }
    return render(request, "disclosure/catalogue_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_create(request):
    queries_catalogue.require_manage_catalogue(request.user)
    return _entry_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def catalogue_edit(request, entry_id: int):
    entry = queries_catalogue.access_entry_for_edit(request.user, entry_id)
    if entry is None:
        raise Http404
    return _entry_form_page(request, entry)
