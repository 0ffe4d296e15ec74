"""API of the rights knowledge base (维权知识库)."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema, Status

from zhijia.cases.actions import knowledge as actions_knowledge
from zhijia.cases.api.grievances import TextIn
from zhijia.cases.models import KnowledgeEntry
from zhijia.cases.permissions import MANAGE_KNOWLEDGE
from zhijia.cases.queries import knowledge as queries_knowledge
from zhijia.core.api_types import Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.permissions import has_perm
from zhijia.org.queries import members as org_queries

router = Router(tags=["cases"])


class KnowledgeIn(Schema):
    question: str
    answer: str
    category: str
    legal_basis: str = ""
    publish: bool = True


class KnowledgeOut(Schema):
    id: int
    question: str
    answer: str
    category: str
    legal_basis: str
    is_published: bool
    updated_at: dt.datetime


def _knowledge_out(e: KnowledgeEntry) -> dict:
    return {
        "id": e.pk,
        "question": e.question,
        "answer": e.answer,
        "category": e.category,
        "legal_basis": e.legal_basis,
        "is_published": e.is_published,
        "updated_at": e.updated_at,
    }


@router.get("/knowledge", response=page_schema(KnowledgeOut, name="KnowledgePage"))
def list_knowledge(request, paging: Query[PageParams], q: str = ""):
    """Published answers, newest first; with `q`, the best matches (at most
    KNOWLEDGE_SEARCH_LIMIT: a narrower search finds the rest)."""
    entries = (
        queries_knowledge.search_knowledge(q[:100], limit=queries_knowledge.KNOWLEDGE_SEARCH_LIMIT)
        if q.strip()
        else queries_knowledge.published_knowledge()
    )
    return api_page(entries, paging.page, paging.per_page, transform=_knowledge_out)


@router.post("/knowledge/suggest", response=list[KnowledgeOut])
def suggest_knowledge(request, payload: TextIn):
    return [_knowledge_out(e) for e in queries_knowledge.suggest_knowledge(payload.text)]


@router.get("/knowledge/{entry_id}", response=KnowledgeOut)
def get_knowledge(request, entry_id: Id):
    return _knowledge_out(queries_knowledge.access_knowledge(request.user, entry_id))


@router.post("/knowledge", response={201: KnowledgeOut})
def create_knowledge(request, payload: KnowledgeIn):
    units = [u for u in org_queries.all_units() if has_perm(request.user, MANAGE_KNOWLEDGE, unit=u)]
    if not units:
        queries_knowledge.knowledge_managed_by(request.user)  # 403
    data = payload.dict()
    publish = data.pop("publish")
    entry = actions_knowledge.do_create_knowledge(
        actor=request.user, org_unit=units[0], publish=publish, **data
    )
    return Status(201, _knowledge_out(entry))
