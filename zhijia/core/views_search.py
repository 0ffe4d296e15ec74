"""The global search's page (/core/search/?q=&type=): every record type the modules declare
(zhijia.core.searchables), limited to what the user may open, grouped by type with counts.
Thin: parse, call core.searchables, render."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from zhijia.core import searchables
from zhijia.core.pagination import paginate
from zhijia.core.search import MAX_QUERY_CHARS

PER_PAGE = 20


@dataclass(frozen=True)
class ResultRow:
    """One hit as the page and the API show it."""

    type: str
    type_label: str
    id: str
    title: str
    snippet: SafeString
    url: str


def rows_of(results: searchables.Results, type_key: str = "") -> list[ResultRow]:
    """The hits in group order (one type after another), of one type with `type_key`."""
    return [
        ResultRow(
            g.searchable.type, str(g.searchable.label), h.target_id, h.title, h.snippet, g.url(h)
        )
        for g in results.groups
        if not type_key or g.searchable.type == type_key
        for h in g.hits
    ]


def parse(params) -> tuple[str, str]:
    query = " ".join((params.get("q") or "").split())[:MAX_QUERY_CHARS]
    type_key = params.get("type") or ""
    return query, (type_key if searchables.get(type_key) is not None else "")


@login_required
@require_GET
def search_page(request):
    query, type_key = parse(request.GET)
    results = searchables.search_all(request.user, query)
    page = paginate(request, rows_of(results, type_key), per_page=PER_PAGE)
    return render(
        request,
        "core/search.html",
        {
            "title": query,
            "query": query,
            "type_key": type_key,
            "groups": results.groups,
            "total": results.total,
            "capped": any(g.more for g in results.groups),
            "page": page,
        },
    )
