"""Writes on the legal consultation knowledge base. Published entries are in the search index
(zhijia.core.search, type "cases.knowledge"); unpublished ones are not."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zhijia.cases.errors import CasesRefused
from zhijia.cases.models import Category, Grievance, KnowledgeEntry
from zhijia.cases.permissions import MANAGE_KNOWLEDGE
from zhijia.cases.queries import grievances as queries
from zhijia.cases.queries import knowledge as queries_knowledge
from zhijia.core import audit, search
from zhijia.core.permissions import has_perm

FIELDS = ("question", "answer", "category", "legal_basis")


def _clean(data: dict) -> dict:
    errors = {}
    question = (data.get("question") or "").strip()
    answer = (data.get("answer") or "").strip()
    category = data.get("category") or ""
    if not question:
        errors["question"] = _("请填写问题")
    elif len(question) > 300:
        errors["question"] = _("问题最多 300 个字")
    if not answer:
        errors["answer"] = _("请填写解答")
    elif len(answer) > 10000:
        errors["answer"] = _("解答最多 10000 个字")
    if category not in dict(Category.choices):
        errors["category"] = _("请选择有效的选项")
    if errors:
        raise CasesRefused.for_fields(errors)
    return {
        "question": question,
        "answer": answer,
        "category": category,
        "legal_basis": (data.get("legal_basis") or "").strip()[:300],
    }


def _sync_index(entry: KnowledgeEntry) -> None:
    if entry.is_published:
        search.index(
            queries_knowledge.KNOWLEDGE_TYPE,
            entry.pk,
            title=entry.question,
            text=f"{entry.answer}\n{entry.legal_basis}",
            unit_path=entry.org_unit.path,
        )
    else:
        search.remove(queries_knowledge.KNOWLEDGE_TYPE, entry.pk)


@transaction.atomic
def do_create_knowledge(
    *, actor, org_unit, publish: bool = True, source_grievance=None, **data
) -> KnowledgeEntry:
    if org_unit is None or not has_perm(actor, MANAGE_KNOWLEDGE, unit=org_unit):
        raise PermissionDenied(MANAGE_KNOWLEDGE)
    entry = KnowledgeEntry.objects.create(
        **_clean(data),
        org_unit=org_unit,
        is_published=publish,
        source_grievance=source_grievance,
        created_by=actor,
    )
    _sync_index(entry)
    audit.record(
        actor=actor,
        action="cases.create_knowledge",
        target=entry,
        unit=org_unit,
        data={"published": publish, "from_grievance": bool(source_grievance)},
    )
    return entry


@transaction.atomic
def do_update_knowledge(*, actor, entry: KnowledgeEntry, publish: bool, **data) -> KnowledgeEntry:
    entry = (
        KnowledgeEntry.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=entry.pk)
    )
    if not has_perm(actor, MANAGE_KNOWLEDGE, unit=entry.org_unit):
        raise PermissionDenied(MANAGE_KNOWLEDGE)
    cleaned = _clean(data)
    changed = [f for f in FIELDS if getattr(entry, f) != cleaned[f]]
    for field, value in cleaned.items():
        setattr(entry, field, value)
    entry.is_published = publish
    entry.save()
    _sync_index(entry)
    audit.record(
        actor=actor,
        action="cases.update_knowledge",
        target=entry,
        unit=entry.org_unit,
        data={"changed": changed, "published": publish},
    )
    return entry


@transaction.atomic
def do_delete_knowledge(*, actor, entry: KnowledgeEntry) -> None:
    if not has_perm(actor, MANAGE_KNOWLEDGE, unit=entry.org_unit):
        raise PermissionDenied(MANAGE_KNOWLEDGE)
    search.remove(queries_knowledge.KNOWLEDGE_TYPE, entry.pk)
    audit.record(
        actor=actor,
        action="cases.delete_knowledge",
        target=entry,
        unit=entry.org_unit,
        data={"question": entry.question},
    )
    entry.delete()


def draft_from_grievance(grievance: Grievance) -> dict:
    """The starting text of a knowledge entry made from a grievance: the cadre edits out
    anything that identifies the worker before publishing."""
    return {
        "question": grievance.text[:300],
        "answer": grievance.answer,
        "category": grievance.category,
        "legal_basis": "",
    }


@transaction.atomic
def do_publish_from_grievance(*, actor, grievance: Grievance, **data) -> KnowledgeEntry:
    """Publish a grievance's answer, de-identified by the cadre, to the knowledge base. The
    entry keeps the link to its source for cadres; the public page never shows it."""
    if not grievance.in_state("answered", "closed") or not grievance.answer:
        raise CasesRefused(_("诉求答复后才能发布到知识库"), field="answer")
    if not queries.may_handle(actor, grievance) and not has_perm(
        actor, MANAGE_KNOWLEDGE, unit=grievance.handling_unit
    ):
        raise PermissionDenied(MANAGE_KNOWLEDGE)
    cleaned = _clean(data)
    if cleaned["question"] == grievance.text.strip()[:300]:
        raise CasesRefused(
            _("请改写问题：删去姓名、工号、班组等可能识别出职工的信息后再发布"), field="question"
        )
    return do_create_knowledge(
        actor=actor,
        org_unit=grievance.handling_unit,
        publish=True,
        source_grievance=grievance,
        **cleaned,
    )
