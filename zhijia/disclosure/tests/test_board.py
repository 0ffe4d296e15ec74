"""The catalogue board: an overdue monthly disclosure is flagged and cleared on publication;
the sweep reminds the responsible cadre before the due date and reports overdue ones once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhijia.core.models import Notification
from zhijia.disclosure import rules
from zhijia.disclosure.actions import catalogue as actions_catalogue
from zhijia.disclosure.models import DueNotice
from zhijia.disclosure.queries import catalogue as queries_catalogue
from zhijia.disclosure.queries import items as queries
from zhijia.disclosure.tests.conftest import at

pytestmark = pytest.mark.django_db


def _cell(rows, unit_code, entry_code):
    row = next(r for r in rows if r.unit.code == unit_code)
    return next(c for c in row.cells if c.entry.code == entry_code)


def test_board_flags_overdue_monthly_item_and_clears_it_on_publication(
    catalogue, personas, demo_units, login, api_client
):
    branch1 = personas["branch1"]
    # 12 November: October's workshop bonus was due on 10 November and is not published.
    cell = _cell(queries_catalogue.board_for(branch1), "B1", "workshop-bonus")
    assert cell.period_key == "2026-10"
    assert cell.obligation.due == dt.date(2026, 11, 10)
    assert cell.status == rules.OVERDUE

    page = login("branch1").get("/disclosure/manage/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="status-overdue" data-entry="workshop-bonus"' in html
    api = api_client("branch1").get("/api/v1/disclosure/board")
    b1 = next(u for u in api.json()["items"] if u["unit_name"] == demo_units["B1"].name)
    bonus = next(c for c in b1["cells"] if c["entry_code"] == "workshop-bonus")
    assert (bonus["status"], bonus["period_key"], bonus["due"]) == (
        "overdue",
        "2026-10",
        "2026-11-10",
    )
    overdue_before = b1["overdue"]

    # The cadre publishes October's bonus distribution from the board's link.
    entry, unit = catalogue["workshop-bonus"].pk, demo_units["B1"].pk
    publish_url = f"/disclosure/publish/?entry={entry}&unit={unit}&period=2026-10"
    form = login("branch1").get(publish_url)
    assert form.status_code == 200
    assert 'value="2026-10"' in form.content.decode()
    response = login("branch1").post(
        publish_url,
        {
            "unit": demo_units["B1"].pk,
            "entry": catalogue["workshop-bonus"].pk,
            "period_key": "2026-10",
            "title": "第一分工会2026年10月奖金分配",
            "body": "按岗位系数和出勤天数分配。",
            "table_text": "姓名\t奖金\n陈小红\t1,200.00",
        },
    )
    assert response.status_code == 302, response.content.decode()

    cell = _cell(queries_catalogue.board_for(branch1), "B1", "workshop-bonus")
    assert cell.status == rules.PUBLISHED
    assert cell.item is not None and cell.item.title == "第一分工会2026年10月奖金分配"
    html = login("branch1").get("/disclosure/manage/").content.decode()
    assert 'class="status-published" data-entry="workshop-bonus"' in html
    b1 = next(
        u
        for u in api_client("branch1").get("/api/v1/disclosure/board").json()["items"]
        if u["unit_name"] == demo_units["B1"].name
    )
    bonus = next(c for c in b1["cells"] if c["entry_code"] == "workshop-bonus")
    assert bonus["status"] == "published" and bonus["item_id"] == cell.item.pk
    assert b1["overdue"] == overdue_before - 1
    # Another branch's obligation is untouched.
    assert (
        _cell(queries_catalogue.board_for(personas["chair"]), "B2", "workshop-bonus").status
        == "overdue"
    )


def test_board_scope(catalogue, personas, demo_units):
    assert {r.unit.code for r in queries_catalogue.board_for(personas["branch1"])} == {
        "B1",
        "B1-G1",
        "B1-G2",
        "B1-G3",
        "B1-G4",
    }
    assert len(queries_catalogue.board_for(personas["chair"])) == len(demo_units)
    # levels: the committee owes enterprise entries, a group team entries
    rows = queries_catalogue.board_for(personas["chair"])
    u = next(r for r in rows if r.unit.code == "U")
    g = next(r for r in rows if r.unit.code == "B1-G1")
    assert {c.entry.level for c in u.cells} == {rules.ENTERPRISE}
    assert {c.entry.level for c in g.cells} == {rules.TEAM}


def test_missed_earlier_periods_are_counted(catalogue, publish):
    # Effective from 1 January: January..September of the workshop bonus were missed too.
    cell = _cell(queries_catalogue.obligations([_b1()]), "B1", "workshop-bonus")
    assert [p.key for p in cell.obligation.missed] == [f"2026-{m:02d}" for m in range(1, 10)]
    publish("B1", by="branch1", entry="workshop-bonus", period="2026-03", title="三月奖金")
    cell = _cell(queries_catalogue.obligations([_b1()]), "B1", "workshop-bonus")
    assert "2026-03" not in [p.key for p in cell.obligation.missed]


def _b1():
    from zhijia.org.models import OrgUnit

    return OrgUnit.objects.get(code="B1")


def test_sweep_reminds_before_the_due_date_once(catalogue, personas, demo_units, publish):
    # Leave only the workshop bonus in force to keep the count readable.
    for code, entry in catalogue.items():
        if code != "workshop-bonus":
            entry.active = False
            entry.save()
    # Publish October everywhere, so only November's obligation (due 10 December) matters.
    for code in ("B1", "B2", "B3"):
        publish(code, entry="workshop-bonus", period="2026-10", title=f"{code} 十月奖金")
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        assert actions_catalogue.sweep_due_dates() == {
            "reminders": 0,
            "overdue": 0,
        }  # 5 days before
    with time_machine.travel(at(2026, 12, 7, 9), tick=False):
        report = actions_catalogue.sweep_due_dates()
        assert report == {"reminders": 3, "overdue": 0}
        assert actions_catalogue.sweep_due_dates() == {"reminders": 0, "overdue": 0}  # idempotent
    note = Notification.objects.get(user=personas["branch1"], kind="disclosure.due_reminder")
    assert "2026年11月" in note.title and "车间奖金分配" in note.title and "12月10日" in note.title
    assert note.url.startswith("/disclosure/publish/?entry=")
    assert not Notification.objects.filter(user=personas["branch2"], title__contains="第一分工会")
    # B2 publishes November in time; B1 and B3 do not.
    with time_machine.travel(at(2026, 12, 9, 9), tick=False):
        publish("B2", by="branch2", entry="workshop-bonus", period="2026-11", title="十一月奖金")
    with time_machine.travel(at(2026, 12, 11, 9), tick=False):
        assert actions_catalogue.sweep_due_dates() == {"reminders": 0, "overdue": 2}
        assert actions_catalogue.sweep_due_dates() == {"reminders": 0, "overdue": 0}
    overdue = Notification.objects.filter(kind="disclosure.due_overdue")
    # the responsible cadre and the level above (the chair) are told about B1
    b1_notes = overdue.filter(title__startswith=demo_units["B1"].name)
    assert {n.user.username for n in b1_notes} == {"branch1", "chair"}
    assert DueNotice.objects.filter(kind="overdue").count() == 2


def test_group_without_its_own_cadre_is_run_by_its_branch(catalogue, personas, demo_units):
    assert queries.responsible_cadres(demo_units["B1-G1"]) == [personas["branch1"]]
    assert queries.responsible_cadres(demo_units["B2"]) == [personas["branch2"]]
    assert queries.cadres_above(demo_units["B1"], 1) == [personas["chair"]]


def test_disclosure_sweep_command(catalogue, demo_units, capsys):
    from django.core.management import call_command

    call_command("disclosure_sweep", date="2026-11-12")
    out = capsys.readouterr().out
    assert out.startswith("reminders=") and "overdue=" in out
    assert DueNotice.objects.filter(kind="overdue").exists()
