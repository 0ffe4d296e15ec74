"""The 安康杯 tally: per unit and year, reported / rectified / verified / on time; page, Excel
export and API, within the caller's scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from openpyxl import load_workbook

from zhijia.safety import actions, queries
from zhijia.safety.tests.support import department, report

pytestmark = pytest.mark.django_db


def _close(personas, hazard, *, late=False):
    actions.do_assign_hazard(
        actor=personas["chair"], hazard=hazard, department=department(), workdays=2
    )
    hazard.refresh_from_db()
    offset = dt.timedelta(days=3) if late else -dt.timedelta(hours=1)
    with time_machine.travel(hazard.due_at + offset, tick=False):
        actions.do_fix_hazard(actor=personas["handler1"], hazard=hazard, result="已整改")
        actions.do_verify_hazard(actor=hazard.reporter, hazard=hazard)


@pytest.fixture
def year_data(personas, demo_units):
    with time_machine.travel("2026-04-01 09:00:00+08:00", tick=False):
        on_time = report(personas, demo_units, unit="B1-G1", level="major")
        late = report(personas, demo_units, unit="B1-G2", place="仓库")
        dismissed = report(personas, demo_units, unit="B1-G1", place="重复")
        b2 = report(personas, demo_units, who="worker2", unit="B2-G1", place="B2 车间")
        report(personas, demo_units, who="chair", unit="U", place="办公楼")
        actions.do_dismiss_hazard(actor=personas["branch1"], hazard=dismissed, reason="重复报告")
    with time_machine.travel("2026-04-01 10:00:00+08:00", tick=False):
        _close(personas, on_time)
    with time_machine.travel("2026-04-01 10:00:00+08:00", tick=False):
        _close(personas, late, late=True)
    with time_machine.travel("2025-12-31 09:00:00+08:00", tick=False):
        report(personas, demo_units, place="去年的")
    actions.do_designate_supervisor(
        actor=personas["branch1"], member=personas["rep1"].member_record, org_unit=demo_units["B1"]
    )
    return {"b2": b2}


def test_tally_by_branch_for_the_chair(year_data, demo_units):
    result = queries.tally(demo_units["U"], 2026)
    rows = {r.label: r for r in result.rows}
    b1 = rows[demo_units["B1"].name]
    assert (b1.reported, b1.dismissed, b1.fixed, b1.verified, b1.on_time, b1.major) == (
        3,
        1,
        2,
        2,
        1,
        1,
    )
    assert b1.fix_rate == 100.0 and b1.on_time_rate == 50.0 and b1.supervisors == 1
    assert rows[demo_units["B2"].name].reported == 1
    own = result.rows[-1]
    assert own.label.endswith("（本级）") and own.reported == 1
    assert result.total.reported == 5  # last year's is not counted
    # branch1 drills into its groups
    groups = {r.label: r.reported for r in queries.tally(demo_units["B1"], 2026).rows}
    assert groups[demo_units["B1-G1"].name] == 2 and groups[demo_units["B1-G2"].name] == 1


def test_tally_page_export_and_api_respect_scope(year_data, demo_units, login, api_client):
    chair = login("chair")
    page = chair.get("/safety/tally/?year=2026")
    assert page.status_code == 200 and demo_units["B2"].name in page.content.decode()
    export = chair.get("/safety/tally/export/?year=2026")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    b1 = next(v for v in values if v[0] == demo_units["B1"].name)
    assert b1[1:8] == [3, 1, 1, 2, 2, 1, 0]
    assert values[-1][0].endswith("（合计）") and values[-1][1] == 5
    # branch2 sees its own branch only: branch1's unit is 404, its default root is B2
    b2 = login("branch2")
    assert b2.get(f"/safety/tally/?unit={demo_units['B1'].pk}").status_code == 404
    body = b2.get("/safety/tally/?year=2026").content.decode()
    assert demo_units["B2"].name in body and demo_units["B1-G1"].name not in body
    api = api_client("branch1").get("/api/v1/safety/tally", {"year": 2026})
    assert api.status_code == 200 and api.json()["total"]["reported"] == 3
    assert login("worker1").get("/safety/tally/").status_code == 403
    assert api_client("worker1").get("/api/v1/safety/tally").status_code == 403


def test_api_unit_filter_takes_unit_id_and_its_old_name(year_data, demo_units, api_client):
    """`unit_id` names the unit; `unit`, its name before the API conventions, still works."""
    chair = api_client("chair")
    b1, b2 = demo_units["B1"], demo_units["B2"]
    queues = []
    for params in ({"year": 2026, "unit_id": b1.pk}, {"year": 2026, "unit": b1.pk}):
        tally = chair.get("/api/v1/safety/tally", params)
        assert tally.status_code == 200 and tally.json()["unit_id"] == b1.pk
        assert tally.json()["total"]["reported"] == 3
        queue = chair.get("/api/v1/safety/hazards", {"box": "queue", **params})
        assert queue.status_code == 200
        queues.append(sorted(h["id"] for h in queue.json()["items"]))
    assert queues[0] == queues[1] and queues[0]
    everything = chair.get("/api/v1/safety/hazards", {"box": "queue"}).json()["items"]
    outside = {h["id"] for h in everything} - set(queues[0])
    assert outside, "the chair's queue holds hazards outside 第一分工会 too"
    other = chair.get("/api/v1/safety/hazards", {"box": "queue", "unit": b2.pk}).json()["items"]
    assert other and {h["id"] for h in other} <= outside
