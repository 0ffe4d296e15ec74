"""Handled congress proposals appear on the disclosure board through zhijia.core.hooks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from zhijia.core import hooks
from zhijia.disclosure.models import Item
from zhijia.disclosure.queries import items as queries

pytestmark = pytest.mark.django_db


def result(unit, **overrides):
    data = {
        "proposal_id": 42,
        "session_id": 1,
        "number": "007",
        "title": "关于改善夜班职工就餐条件的提案",
        "category": "welfare",
        "category_label": "生活福利",
        "outcome": "closed",
        "outcome_label": "已办结",
        "lead_department": "综合管理部",
        "co_departments": ("财务部",),
        "answer_summary": "食堂夜班窗口延长至凌晨2点。",
        "rating": "satisfied",
        "rating_label": "满意",
        "merged_into_id": None,
        "finished_at": timezone.now(),
        "unit_path": unit.path,
        "url": "/congress/proposals/42/",
    }
    data.update(overrides)
    return hooks.ProposalResult(**data)


def test_a_handled_proposal_is_published_once_and_updated(catalogue, demo_units, personas):
    hooks.send_proposal_result(None, result(demo_units["U"]))
    item = Item.objects.get(source_ref="congress.proposal:42")
    assert item.title == "第007号提案办理结果：关于改善夜班职工就餐条件的提案"
    assert item.entry.code == "proposal-results" and item.org_unit == demo_units["U"]
    assert "食堂夜班窗口延长至凌晨2点。" in item.body and "主办部门：综合管理部" in item.body
    assert item.published_by is None and item.revisions.get().author_label == "系统"
    # every member of the enterprise sees it
    assert item in queries.board_items_for(personas["worker2"])
    # announced again (e.g. a later summary): a revision, not a second item
    hooks.send_proposal_result(
        None, result(demo_units["U"], answer_summary="夜班窗口延长至凌晨3点。")
    )
    hooks.send_proposal_result(
        None, result(demo_units["U"], answer_summary="夜班窗口延长至凌晨3点。")
    )
    assert Item.objects.filter(source_ref="congress.proposal:42").count() == 1
    item.refresh_from_db()
    assert item.revision == 2 and "凌晨3点" in item.body


def test_retired_entry_turns_automatic_publication_off(catalogue, demo_units):
    entry = catalogue["proposal-results"]
    entry.active = False
    entry.save()
    hooks.send_proposal_result(None, result(demo_units["U"], proposal_id=43))
    assert not Item.objects.filter(source_ref="congress.proposal:43").exists()


def test_a_branch_congress_publishes_without_the_enterprise_entry(catalogue, demo_units):
    hooks.send_proposal_result(None, result(demo_units["B1"], proposal_id=44, outcome="rejected"))
    item = Item.objects.get(source_ref="congress.proposal:44")
    assert item.entry is None and item.org_unit == demo_units["B1"] and item.level == "workshop"
    assert item.valid_from == dt.date(2026, 11, 12)
