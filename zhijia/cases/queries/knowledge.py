"""Reads of the rights knowledge base (维权知识库): published entries, search, suggestions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from zhijia.cases.models import (
    KnowledgeEntry,
)
from zhijia.cases.permissions import (
    MANAGE_KNOWLEDGE,
)
from zhijia.core import search, tokenizer
from zhijia.core.permissions import has_perm, scope_q
from zhijia.org.queries.members import parse_id

# A knowledge search ranks at most this many answers (the list pages them and says when a
# search found this many: a narrower search finds the rest).
KNOWLEDGE_SEARCH_LIMIT = 200
KNOWLEDGE_TYPE = "cases.knowledge"


def published_knowledge() -> QuerySet[KnowledgeEntry]:
    return KnowledgeEntry.objects.filter(is_published=True).order_by("-updated_at", "-pk")


def knowledge_managed_by(user) -> QuerySet[KnowledgeEntry]:
    if not has_perm(user, MANAGE_KNOWLEDGE):
        raise PermissionDenied(MANAGE_KNOWLEDGE)
    return KnowledgeEntry.objects.filter(
        scope_q(user, MANAGE_KNOWLEDGE, path_field="org_unit__path")
    ).select_related("org_unit")


def access_knowledge(user, entry_id: Any) -> KnowledgeEntry:
    """A published entry for anyone signed in; an unpublished one for its keepers only."""
    pk = parse_id(entry_id)
    entry = KnowledgeEntry.objects.select_related("org_unit").filter(pk=pk).first() if pk else None
    if entry is None:
        raise Http404
    if entry.is_published or has_perm(user, MANAGE_KNOWLEDGE, unit=entry.org_unit):
        return entry
    raise Http404


def access_knowledge_for_edit(user, entry_id: Any) -> KnowledgeEntry:
    entry = access_knowledge(user, entry_id)
    if not has_perm(user, MANAGE_KNOWLEDGE, unit=entry.org_unit):
        raise Http404 if not entry.is_published else PermissionDenied(MANAGE_KNOWLEDGE)
    return entry


def search_knowledge(query: str, *, limit: int = 20) -> list[KnowledgeEntry]:
    """Published entries matching every word of `query`, best first."""
    hits = search.search(query, types=[KNOWLEDGE_TYPE], limit=limit)
    ids = [int(h.target_id) for h in hits]
    found = {e.pk: e for e in published_knowledge().filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def suggest_knowledge(text: str, *, limit: int = 3) -> list[KnowledgeEntry]:
    """Published answers similar to what a worker is typing: the text's key words are searched
    one by one (a whole sentence would have to match word for word) and entries found by more
    of them, and found higher, come first."""
    text = (text or "").strip()[:500]
    if len(text) < 4:
        return []
    keywords = [w for w in tokenizer.keywords(text, top=6) if len(w) >= 2][:5]
    scores: dict[int, float] = {}
    for keyword in keywords:
        for position, hit in enumerate(search.search(keyword, types=[KNOWLEDGE_TYPE], limit=5)):
            key = int(hit.target_id)
            scores[key] = scores.get(key, 0.0) + 1.0 + (5 - position) * 0.1
    best = sorted(scores, key=lambda k: -scores[k])[: limit * 2]
    found = {e.pk: e for e in published_knowledge().filter(pk__in=best)}
    return [found[k] for k in best if k in found][:limit]
