"""Roles × every page and API operation of module dashboard (数据看板).

From DESIGN.md section 11 and the roles table: the dashboards are the cadres' and the
viewers' (企业领导), each over their unit's subtree: the chair sees both branches, branch1
only B1 and branch2 only B2 (a sibling's dashboard is not revealed: 404). Members,
representatives, handlers, counselors, mediators and the admin hold no dashboard (403).
Without a unit the dashboard is the caller's top unit. Nothing here writes.
"""

from __future__ import annotations

import pytest

from tests.access.framework import (
    CADRE_SCOPE,
    REC,
    ROW_ARGS,
    Row,
    holders,
    row_cases,
    run_cases,
    scoped,
)
from tests.access.world_dashboard import build_world

CADRES = set(CADRE_SCOPE)
A = "/api/v1/dashboard"

ROWS = [
    Row("dashboard:index", "get", "/dashboard/?unit={branch}", scoped(CADRE_SCOPE), REC),
    Row("dashboard:export", "get", "/dashboard/export/?unit={branch}", scoped(CADRE_SCOPE), REC),
    # One PDF per cadre (their own top unit): WeasyPrint is the slow part of this table.
    Row(
        "dashboard:report-pdf",
        "get",
        "/dashboard/reports/congress/pdf/",
        holders(CADRES),
    ),
    Row(
        "dashboard:report-docx",
        "get",
        "/dashboard/reports/annual/docx/?unit={branch}",
        scoped(CADRE_SCOPE),
        REC,
    ),
    Row(f"GET {A}/figures", "get", f"{A}/figures?unit_id={{branch}}", scoped(CADRE_SCOPE), REC),
    # The statistics report to the higher union (工会统计年报): the same access as the dashboard.
    Row(
        "dashboard:statistics",
        "get",
        "/dashboard/statistics/?unit={branch}",
        scoped(CADRE_SCOPE),
        REC,
    ),
    Row(
        f"GET {A}/statistics",
        "get",
        f"{A}/statistics?unit_id={{branch}}",
        scoped(CADRE_SCOPE),
        REC,
    ),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
