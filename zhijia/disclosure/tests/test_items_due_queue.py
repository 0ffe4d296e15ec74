"""The cadre's work queue of disclosures owed: due or late catalogue entries of the units the
cadre publishes for, one click from the publishing form; a publication takes one off."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.disclosure import rules
from zhijia.disclosure.home import items_due_queue
from zhijia.disclosure.queries import catalogue as queries_catalogue

pytestmark = pytest.mark.django_db


def _owed(board) -> tuple[int, int]:
    cells = [c for row in board for c in row.cells]
    due = [c for c in cells if c.status in (rules.OVERDUE, rules.DUE_SOON)]
    missed = sum(len(c.obligation.missed) for c in cells)
    late = sum(1 for c in cells if c.status == rules.OVERDUE)
    return len(due) + missed, late + missed


def test_the_queue_counts_what_the_board_owes_in_scope_and_a_publication_takes_one_off(
    catalogue, personas, demo_units, publish, login
):
    branch1, branch2, chair = personas["branch1"], personas["branch2"], personas["chair"]
    queue = items_due_queue(branch1)
    board = queries_catalogue.board_for(branch1)
    assert {row.unit.code for row in board} >= {"B1"}
    assert not any(row.unit.path.startswith(demo_units["B2"].path) for row in board)
    assert (queue.count, queue.overdue) == _owed(board)
    assert queue.count >= queue.overdue >= 1, "12 November: October's workshop bonus is late"
    # The oldest owed disclosure opens its publishing form, filled in.
    assert queue.oldest_since is not None and queue.oldest_url.startswith("/disclosure/publish/?")
    form = login("branch1").get(queue.oldest_url)
    assert form.status_code == 200
    # The chair's scope holds both branches and the committee's own entries.
    sibling = items_due_queue(branch2)
    assert sibling.count >= 1
    assert items_due_queue(chair).count > queue.count + sibling.count

    publish("B1", by="branch1", entry="workshop-bonus", period="2026-10")
    after = items_due_queue(branch1)
    assert (after.count, after.overdue) == (queue.count - 1, queue.overdue - 1)
    assert items_due_queue(branch2) == sibling, "the sibling branch still owes its own"


def test_nothing_is_owed_before_the_reminder_window(catalogue, personas):
    # 1 November: October's monthly entries are due on 10 November, beyond a 3-day reminder.
    queue = items_due_queue(personas["branch1"], day=dt.date(2026, 11, 1))
    board = queries_catalogue.board_for(personas["branch1"], day=dt.date(2026, 11, 1))
    assert (queue.count, queue.overdue) == _owed(board)
    monthly = [
        c
        for row in board
        for c in row.cells
        if c.entry.cadence == "monthly" and c.period_key == "2026-10"
    ]
    assert monthly and all(c.status not in (rules.OVERDUE, rules.DUE_SOON) for c in monthly)
