"""Roles × every page and API operation of the satisfaction index (zhijia.core).

  - the index (core.view_satisfaction: cadres and enterprise leaders) counts only within the
    viewer's scope; every other role is refused (403), the admin included;
  - the follow-ups of 不满意 ratings (core.follow_up_rating: cadres) are the cadres' of the
    rating worker's unit and above: another branch's is 404, other roles 403.
A refused write changes nothing: ratings, follow-ups, the audit log, notifications and the
workflow history are compared before and after.
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    CADRE_SCOPE,
    ROW_ARGS,
    Row,
    holders,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_satisfaction import build_world

CADRES = set(CADRE_SCOPE)
REC = ("b1", "b2")
P = "/core/satisfaction"
A = "/api/v1/satisfaction"
NOTE = {"note": "已电话回访，职工反映的问题已转承办部门"}

ROWS = [
    Row("core:satisfaction", "get", f"{P}/", holders(CADRES)),
    Row(
        "core:satisfaction",
        "get",
        f"{P}/?format=xlsx&months=3",
        holders(CADRES),
        name="core:satisfaction-xlsx",
    ),
    Row("core:follow-ups", "get", f"{P}/follow-ups/", holders(CADRES)),
    Row(
        "core:follow-up",
        "get",
        f"{P}/follow-ups/{{follow_up}}/",
        scoped(CADRE_SCOPE, outsiders=403),
        REC,
    ),
    Row(
        "core:follow-up-complete",
        "post",
        f"{P}/follow-ups/{{follow_up}}/complete/",
        scoped(CADRE_SCOPE, ok=302, outsiders=403),
        REC,
        data=NOTE,
    ),
    Row(f"GET {A}", "get", f"{A}", holders(CADRES)),
    Row(f"GET {A}/follow-ups", "get", f"{A}/follow-ups", holders(CADRES)),
    Row(
        f"GET {A}/follow-ups/{{follow_up_id}}",
        "get",
        f"{A}/follow-ups/{{follow_up}}",
        scoped(CADRE_SCOPE, outsiders=403),
        REC,
    ),
    Row(
        f"POST {A}/follow-ups/{{follow_up_id}}/complete",
        "post",
        f"{A}/follow-ups/{{follow_up}}/complete",
        scoped(CADRE_SCOPE, outsiders=403),
        REC,
        data=NOTE,
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
