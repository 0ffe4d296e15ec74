"""Pages of the legal consultation knowledge base: search and read (every signed-in user),
keep (cadres), and the suggestions shown while a worker types a grievance (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.cases.actions import knowledge as actions
from zhijia.cases.forms import knowledge as forms_knowledge
from zhijia.cases.permissions import MANAGE_KNOWLEDGE
from zhijia.cases.queries import knowledge as queries_knowledge
from zhijia.core.forms import run_action
from zhijia.core.pagination import paginate
from zhijia.core.permissions import has_perm
from zhijia.org.queries import members as org_queries


@login_required
def knowledge_list(request):
    q = (request.GET.get("q") or "").strip()[:100]
    rows = (
        queries_knowledge.search_knowledge(q, limit=queries_knowledge.KNOWLEDGE_SEARCH_LIMIT)
        if q
        else queries_knowledge.published_knowledge()
    )
    page = paginate(request, rows)
    return render(
        request,
        "cases/knowledge_list.html",
        {
            "title": _("法律咨询"),
            "q": q,
            "entries": page.items,
            "page": page,
            "search_limit": queries_knowledge.KNOWLEDGE_SEARCH_LIMIT,
        },
    )


@login_required
def knowledge_detail(request, entry_id):
    entry = queries_knowledge.access_knowledge(request.user, entry_id)
    return render(
        request,
        "cases/knowledge_detail.html",
        {
            "title": entry.question,
            "entry": entry,
            "may_edit": has_perm(request.user, MANAGE_KNOWLEDGE, unit=entry.org_unit),
        },
    )


@require_POST
def knowledge_suggest(request):
    """Published answers like the text being typed (htmx, POST so the text stays out of URLs
    and logs). Open without sign-in: the anonymous box uses it too, and it reads nothing of the
    session; it only returns what is published for everyone."""
    entries = queries_knowledge.suggest_knowledge(request.POST.get("text", ""))
    body = get_template("cases/_suggestions.html").render({"entries": entries})
    response = HttpResponse(body)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def knowledge_manage(request):
    qs = queries_knowledge.knowledge_managed_by(request.user)
    page = paginate(request, qs)
    return render(
        request, "cases/knowledge_manage.html", {"title": _("法律咨询知识库"), "page": page}
    )


def _units(user):
    return [u for u in org_queries.all_units() if has_perm(user, MANAGE_KNOWLEDGE, unit=u)]


@login_required
def knowledge_create(request):
    units = _units(request.user)
    if not units:
        queries_knowledge.knowledge_managed_by(request.user)  # raises 403
    status = 200
    if request.method == "POST":
        form = forms_knowledge.KnowledgeForm(request.POST)
        if form.is_valid():
            d = dict(form.cleaned_data)
            publish = d.pop("publish")
            entry, status = run_action(
                form,
                lambda: actions.do_create_knowledge(
                    actor=request.user, org_unit=units[0], publish=publish, **d
                ),
            )
            if entry is not None:
                messages.success(request, _("已保存。"))
                return redirect(entry.get_absolute_url())
        else:
            status = 400
    else:
        form = forms_knowledge.KnowledgeForm()
    return render(
        request, "cases/knowledge_form.html", {"title": _("新增问答"), "form": form}, status=status
    )


@login_required
def knowledge_edit(request, entry_id):
    entry = queries_knowledge.access_knowledge_for_edit(request.user, entry_id)
    status = 200
    if request.method == "POST":
        form = forms_knowledge.KnowledgeForm(request.POST)
        if form.is_valid():
            d = dict(form.cleaned_data)
            publish = d.pop("publish")
            result, status = run_action(
                form,
                lambda: actions.do_update_knowledge(
                    actor=request.user, entry=entry, publish=publish, **d
                ),
            )
            if result is not None:
                messages.success(request, _("已保存。"))
                return redirect(entry.get_absolute_url())
        else:
            status = 400
    else:
        form = forms_knowledge.KnowledgeForm(
            initial={
                "question": entry.question,
                "answer": entry.answer,
                "category": entry.category,
                "legal_basis": entry.legal_basis,
                "publish": entry.is_published,
            }
        )
    return render(
        request,
        "cases/knowledge_form.html",
        {"title": _("编辑问答"), "form": form, "entry": entry},
        status=status,
    )


@login_required
@require_POST
def knowledge_delete(request, entry_id):
    entry = queries_knowledge.access_knowledge_for_edit(request.user, entry_id)
    actions.do_delete_knowledge(actor=request.user, entry=entry)
    messages.success(request, _("已删除。"))
    return redirect("cases:knowledge-manage")
