"""Anonymous records keep no arrival order on SQLite (issue 11, finding 6).

A random primary key alone leaves a SQLite row at the next sequential rowid, so a raw copy of
the file lists box items and anonymous counseling questions in the order they came in
(`cases_boxitem` kept such a rowid although its keys are random). zhijia.core.unordered moves
each new row to a random 62-bit rowid in the inserting transaction. Ballots and trackers:
zhijia/voting/tests/test_storage_order.py.

Checked: every rowid is a large random number (the sequence would be 1, 2, 3 …) and the rowid
order is not the arrival order (for 20 rows a random order equals it with probability 1/20!).
"""

from __future__ import annotations

import pytest
from django.db import connection

from zhijia.cases.models import BoxItem
from zhijia.services.models import CounselingMessage, CounselingQuestion

N = 20

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rowids")


def _rowids(model, pks) -> list[int]:
    """The rowids of the given rows, in the given (arrival) order."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}, rowid FROM {table}")  # noqa: S608
        by_key = dict(cursor.fetchall())
    return [by_key[model._meta.pk.get_db_prep_value(pk, connection)] for pk in pks]


def _assert_unordered(rowids: list[int]) -> None:
    assert len(set(rowids)) == len(rowids) == N
    assert min(rowids) > 2**32, "sequential rowids"
    assert rowids != sorted(rowids), "rowid order is the arrival order"


def test_box_items_get_random_rowids(client, demo_units):
    pks = []
    for i in range(N):
        made = client.post(
            "/api/v1/cases/box",
            {"category": "safety", "org_unit_id": demo_units["B1"].pk, "text": f"第{i}件。"},
            content_type="application/json",
        )
        assert made.status_code == 201, made.content
        pks.append(BoxItem.objects.get(text=f"第{i}件。").pk)
    _assert_unordered(_rowids(BoxItem, pks))


def test_anonymous_counseling_questions_get_random_rowids(api_client):
    worker = api_client("worker1")
    for i in range(N):
        asked = worker.post(
            "/api/v1/services/counseling/questions",
            data={"topic": "work", "body": f"第{i}个问题"},
            content_type="application/json",
        )
        assert asked.status_code == 201, asked.content
    by_text = {m.get_body(): m for m in CounselingMessage.objects.select_related("question")}
    ordered = [by_text[f"第{i}个问题"] for i in range(N)]
    _assert_unordered(_rowids(CounselingQuestion, [m.question_id for m in ordered]))
    _assert_unordered(_rowids(CounselingMessage, [m.pk for m in ordered]))
