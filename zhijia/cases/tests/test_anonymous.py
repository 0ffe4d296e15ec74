"""The anonymous box leaves no trace of its author.

worker1, signed in, writes to the box from a known client address. Every table of the database
is dumped before and after; the rows the submission, the follow-up with the receipt code and
the box's opening add or change must hold none of worker1's id (in any column that refers to
a user), username, name, 工号, phone or the client address, and no time finer than the day
until the opening. The application's log records and the web server's access-log line (built
by gunicorn's own formatter with the format `zhijia serve` configures) are searched too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection

from zhijia.cases.models import BoxItem, CaseMessage, Grievance
from zhijia.cases.tests.support import at, inbox, sweep
from zhijia.core.models import AuditEvent, WorkflowEvent
from zhijia.org.models import Member

CLIENT_IP = "127.0.0.77"
SECRET_TEXT = "三号车间主任长期让我们无偿加班到晚上十点，不加班就扣绩效。"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


# --- the database dump ---------------------------------------------------------------------------


def _user_columns() -> dict[str, set[str]]:
    """Per table, the columns that hold a user id (foreign keys to the user table, and the
    audit log's plain actor_id)."""
    from django.contrib.auth import get_user_model

    user_table = get_user_model()._meta.db_table
    result: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            relations = connection.introspection.get_relations(cursor, table)
            cols = {col for col, (_, target) in relations.items() if target == user_table}
            if table == AuditEvent._meta.db_table:
                cols.add("actor_id")
            if cols:
                result[table] = cols
    return result


def dump() -> dict[str, dict[tuple, dict]]:
    """Every row of every table: {table: {row tuple: {column: value}}}."""
    out: dict[str, dict[tuple, dict]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table.endswith(("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config")):
                continue  # FTS5 shadow tables: derived from search entries
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            names = [c[0] for c in cursor.description]
            out[table] = {
                tuple(map(str, row)): dict(zip(names, row, strict=True)) for row in cursor
            }
    return out


def changed_rows(before, after) -> dict[str, list[dict]]:
    diff = {}
    for table, rows in after.items():
        new = [row for key, row in rows.items() if key not in before.get(table, {})]
        if new:
            diff[table] = new
    return diff


def identifiers(worker) -> list[str]:
    member = Member.objects.get(user=worker)
    return [worker.username, worker.full_name, member.name, member.employee_no, member.phone,
            CLIENT_IP]  # fmt: skip


def assert_no_trace(rows_by_table, worker, *, allow_session=False):
    user_cols = _user_columns()
    needles = [n for n in identifiers(worker) if n]
    for table, rows in rows_by_table.items():
        if allow_session and table == "django_session":
            continue
        for row in rows:
            text = " ".join(str(v) for v in row.values())
            for needle in needles:
                assert needle not in text, f"{needle!r} found in {table}: {row}"
            for col in user_cols.get(table, ()):
                assert row[col] != worker.pk, f"worker1's id in {table}.{col}: {row}"


# --- the access log, as gunicorn writes it for `zhijia serve` --------------------------------


def served_access_format(monkeypatch) -> str:
    from zhijia import cli

    captured = {}
    monkeypatch.setattr(cli, "_setup", lambda: None)
    monkeypatch.setattr(cli, "_migrate", lambda: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr(
        "gunicorn.app.wsgiapp.run", lambda: captured.setdefault("argv", list(sys.argv))
    )
    monkeypatch.setattr(sys, "argv", list(sys.argv))
    cli.cmd_serve(argparse.Namespace(host="127.0.0.1", port=8000, workers=1, threads=1))
    argv = captured["argv"]
    return argv[argv.index("--access-logformat") + 1]


def access_line(fmt: str, response) -> str:
    from gunicorn.config import Config
    from gunicorn.glogging import Logger, SafeAtoms

    environ = dict(response.wsgi_request.environ)
    query = environ.get("QUERY_STRING", "")
    environ.setdefault("RAW_URI", environ["PATH_INFO"] + (f"?{query}" if query else ""))
    cfg = Config()
    cfg.set("access_log_format", fmt)
    logger = Logger(cfg)
    resp = SimpleNamespace(
        status=f"{response.status_code} X",
        sent=len(response.content),
        headers=list(response.items()),
    )
    req = SimpleNamespace(
        headers=[(k[5:].replace("_", "-"), v) for k, v in environ.items() if k.startswith("HTTP_")]
    )
    atoms = logger.atoms(resp, req, environ, dt.timedelta(milliseconds=12))
    return fmt % SafeAtoms(atoms)


# --- the test ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_grievance_leaves_no_trace_of_its_author(
    login, personas, demo_units, caplog, monkeypatch
):
    caplog.set_level(logging.DEBUG)
    worker1 = personas["worker1"]
    fmt = served_access_format(monkeypatch)
    client = login("worker1")
    client.defaults["REMOTE_ADDR"] = CLIENT_IP
    client.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0 (Linux; Android 14; 陈小红的手机)"
    b1 = demo_units["B1"]

    with time_machine.travel(at(2026, 4, 8, 14, 3), tick=False):
        assert client.get("/").status_code == 200  # signed in and active
    with time_machine.travel(at(2026, 4, 8, 14, 9), tick=False):
        form = client.get("/cases/box/")
        assert form.status_code == 200 and "陈小红" not in form.content.decode()
        before = dump()
        response = client.post(
            "/cases/box/",
            {"kind": "grievance", "category": "working_hours", "org_unit": b1.pk,
             "text": SECRET_TEXT},
        )  # fmt: skip
        assert response.status_code == 200
        html = response.content.decode()
        code = html.split('class="receipt-code mono"')[1].split(">")[1].split("<")[0].strip()
        assert len(code.replace("-", "")) == 16
        assert "陈小红" not in html and "worker1" not in html
        after_submit = dump()
        lines = [access_line(fmt, response)]

    # The submission wrote one row in the box, with the day and no time; nothing else but, at
    # most, the session's "last seen" stamp, which says nothing about the box.
    diff = changed_rows(before, after_submit)
    assert set(diff) - {"django_session"} == {BoxItem._meta.db_table}
    (item,) = diff[BoxItem._meta.db_table]
    assert str(item["received_on"]) == "2026-04-08"
    assert not any(isinstance(v, dt.datetime) or ":" in str(v) for v in item.values())
    assert_no_trace(diff, worker1, allow_session=True)
    for row in diff.get("django_session", []):
        assert SECRET_TEXT not in str(row) and code not in str(row)

    # Following up with the code reads without writing anything.
    with time_machine.travel(at(2026, 4, 8, 14, 20), tick=False):
        follow = client.post("/cases/box/follow/", {"code": code.lower().replace("-", " ")})
        assert follow.status_code == 200 and SECRET_TEXT in follow.content.decode()
        assert "待开箱" in follow.content.decode()
        lines.append(access_line(fmt, follow))
        assert set(changed_rows(after_submit, dump())) <= {"django_session"}

    # The next day the worker's sweep opens the box: the grievance appears with no author,
    # its events at the opening's time.
    opened_at = at(2026, 4, 9, 0, 1)
    with time_machine.travel(opened_at, tick=False):
        report = sweep()
    assert report["cases.daily"]["done"] >= 1
    after_open = dump()
    g = Grievance.objects.get()
    assert (g.is_anonymous, g.submitter, g.received_on) == (True, None, dt.date(2026, 4, 8))
    assert g.handling_unit == b1 and g.state == "submitted"
    assert not BoxItem.objects.exists()
    opened = changed_rows(after_submit, after_open)
    assert_no_trace(opened, worker1)
    for e in WorkflowEvent.objects.all():
        assert e.at == opened_at and e.actor_id is None
    audit = AuditEvent.objects.filter(target_type="cases.grievance", target_id=str(g.pk))
    assert audit.exists() and all(a.actor_id is None and a.at == opened_at for a in audit)
    assert inbox(personas["branch1"], "cases.grievance_new")  # the branch hears of it now

    # The logs: nothing of the text, the author or the address.
    with time_machine.travel(at(2026, 4, 9, 9), tick=False):
        again = client.post("/cases/box/follow/", {"code": code})
        assert again.status_code == 200 and "待办理" in again.content.decode()
        lines.append(access_line(fmt, again))
    logged = "\n".join(r.getMessage() for r in caplog.records) + "\n" + "\n".join(lines)
    for needle in [*identifiers(worker1), SECRET_TEXT[:10], code, "Android"]:
        assert needle not in logged, needle
    assert all("/cases/box/" in line for line in lines)
    assert all("?" not in line for line in lines)


def _submit_and_open(client, unit, text=SECRET_TEXT):
    with time_machine.travel(at(2026, 4, 8, 10), tick=False):
        html = client.post(
            "/cases/box/",
            {"kind": "grievance", "category": "wages", "org_unit": unit.pk, "text": text},
        ).content.decode()
    code = html.split('class="receipt-code mono"')[1].split(">")[1].split("<")[0].strip()
    with time_machine.travel(at(2026, 4, 9, 0, 5), tick=False):
        sweep()
    return code


@pytest.mark.django_db
def test_receipt_code_follow_up_answers_and_rating(client, login, personas, demo_units):
    from zhijia.cases.tests.support import department

    code = _submit_and_open(client, demo_units["B1"])
    g = Grievance.objects.get()
    with time_machine.travel(at(2026, 4, 9, 9), tick=False):
        branch1, handler1 = login("branch1"), login("handler1")  # staff sessions time out
        branch1.post(f"/cases/{g.pk}/assign/", {"department": department("D-HR").pk})
        handler1.post(f"/cases/{g.pk}/ask/", {"text": "请说明是哪个班组。"})
        status = client.post("/cases/box/follow/", {"code": code}).content.decode()
        assert "请说明是哪个班组" in status and "周敏" in status
        sent = client.post("/cases/box/message/", {"code": code, "text": "乙班。"})
        assert sent.status_code == 200 and "下次开箱" in sent.content.decode()
        assert not CaseMessage.objects.filter(from_worker=True).exists()  # not yet: in the box
        # handler1 sees that something waits in the box, not what
        assert "下次开箱时送达" in handler1.get(f"/cases/{g.pk}/").content.decode()
    with time_machine.travel(at(2026, 4, 10, 0, 5), tick=False):
        sweep()
    info = CaseMessage.objects.get(from_worker=True)
    assert (info.text, info.author) == ("乙班。", None)
    assert info.created_at == at(2026, 4, 10, 0, 5)
    with time_machine.travel(at(2026, 4, 10, 9), tick=False):
        handler1 = login("handler1")
        handler1.post(f"/cases/{g.pk}/answer/", {"text": "乙班加班已核实，补发加班费。"})
        status = client.post("/cases/box/follow/", {"code": code}).content.decode()
        assert "补发加班费" in status and 'name="rating"' in status
        no_reason = client.post(
            "/cases/box/rate/", {"code": code, "rating": "dissatisfied", "comment": ""}
        )
        assert no_reason.status_code == 400
        client.post("/cases/box/rate/", {"code": code, "rating": "satisfied"})
    with time_machine.travel(at(2026, 4, 11, 0, 5), tick=False):
        sweep()
    g.refresh_from_db()
    assert (g.state, g.rating) == ("closed", "satisfied")


@pytest.mark.django_db
def test_a_wrong_code_gives_nothing_away_and_is_rate_limited(client, settings, demo_units):
    from django.test import Client

    settings.ZHIJIA_RECEIPT_FAILURES = 3
    code = _submit_and_open(client, demo_units["B1"])
    attacker = Client(REMOTE_ADDR="127.0.0.66")
    malformed = attacker.post("/cases/box/follow/", {"code": "hello"})
    unknown = attacker.post("/cases/box/follow/", {"code": "0000-0000-0000-0000"})
    # The same message whether the code is malformed or just not anyone's.
    for r in (malformed, unknown):
        assert r.status_code == 400 and "收据码不正确" in r.content.decode()
        assert SECRET_TEXT not in r.content.decode()
    attacker.post("/cases/box/follow/", {"code": "1111-1111-1111-1111"})
    blocked = attacker.post("/cases/box/follow/", {"code": code})  # even the right code
    assert blocked.status_code == 429
    assert "收据码错误次数过多" in blocked.content.decode() and blocked["Retry-After"]
    assert SECRET_TEXT not in blocked.content.decode()
    # Another client is not blocked by this one.
    assert (
        Client(REMOTE_ADDR="127.0.0.67").post("/cases/box/follow/", {"code": code}).status_code
        == 200
    )
    # The API answers the same way.
    api = attacker.post("/api/v1/cases/box/lookup", {"code": code}, content_type="application/json")
    assert api.status_code == 429 and "收据码错误次数过多" in api.json()["detail"]
    assert 1 <= int(api["Retry-After"]) <= 15 * 60


@pytest.mark.django_db
def test_a_guessing_run_from_many_clients_never_shuts_out_a_right_code(
    client, settings, demo_units
):
    """Finding 5 of issue 11: wrong codes from any mix of addresses used to refuse everyone."""
    from django.test import Client

    settings.ZHIJIA_RECEIPT_FAILURES = 100
    settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES = 4
    settings.ZHIJIA_RECEIPT_FAILURES_UNDER_ATTACK = 2
    code = _submit_and_open(client, demo_units["B1"])
    for i in range(6):
        Client(REMOTE_ADDR=f"127.0.1.{i}").post("/cases/box/follow/", {"code": "2222-2222"})
    # The right code from a fresh address answers, on the page and through the API.
    fresh = Client(REMOTE_ADDR="127.0.2.1")
    assert fresh.post("/cases/box/follow/", {"code": code}).status_code == 200
    api = fresh.post("/api/v1/cases/box/lookup", {"code": code}, content_type="application/json")
    assert api.status_code == 200
    # Under attack each client gets only two wrong codes a window (not a hundred).
    guesser = Client(REMOTE_ADDR="127.0.3.1")
    for _ in range(2):
        assert guesser.post("/cases/box/follow/", {"code": "3333"}).status_code == 400
    assert guesser.post("/cases/box/follow/", {"code": "3333"}).status_code == 429


@pytest.mark.django_db
def test_box_api_takes_no_authentication_and_ignores_a_token(api_client, demo_units):
    api = api_client("worker1")
    made = api.post(
        "/api/v1/cases/box",
        {"category": "safety", "org_unit_id": demo_units["B1"].pk, "text": "配电柜漏电。"},
        content_type="application/json",
    )
    assert made.status_code == 201
    code = made.json()["receipt_code"]
    item = BoxItem.objects.get()
    assert item.org_unit == demo_units["B1"] and item.text == "配电柜漏电。"
    looked = api.post("/api/v1/cases/box/lookup", {"code": code}, content_type="application/json")
    assert looked.status_code == 200 and looked.json()["sealed"] is True
    assert made["Cache-Control"] == "no-store"
