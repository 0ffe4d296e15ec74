"""An anonymous survey's responses cannot be linked to their respondents in a database dump.

The analysis of the secret ballot (zhijia/voting/tests/test_secrecy.py) applied to responses:
200 members answer in a known order with a known pattern (the first 80 pick option 0, the next
70 option 1, the last 50 option 2), so that any storage artefact following the answering order
would correlate with the answer. Who answered is known to anyone holding the dump (the
participation rows, in answering order by their id); so a dump may not pair participation rows
with response rows by any order it keeps (rowid/ctid, key, xmin), nor by columns, the audit log
or notifications.

Threshold as in voting: |Spearman's rho| < 0.3 over n = 200 is 4.2 standard deviations of a
random order; the control (PostgreSQL, before close) shows > 0.8, so the test sees a link when
there is one.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess

import pytest
from django.db import connection

from zhijia.core.models import AuditEvent, Notification
from zhijia.services.actions import surveys as actions
from zhijia.services.models import SurveyParticipation, SurveyResponse
from zhijia.services.tests.surveys_support import make_respondents, make_survey
from zhijia.voting.rules import rank_correlation

N = 200
THRESHOLD = 0.3
SECRET = "只有我知道的意见"


def _choice_for(i: int) -> str:
    return "0" if i < 80 else "1" if i < 150 else "2"


QUESTIONS = [
    {"kind": "single", "text": "您是否赞成调整班车时间", "options": ["赞成", "反对", "无所谓"]},
    {"kind": "text", "text": "意见", "required": False},
]


@pytest.fixture
def answered(transactional_db, personas, demo_units):
    """An anonymous survey that 200 members answered in order; returns (survey, users)."""
    unit = demo_units["B3"]
    users = make_respondents(N, unit, prefix="anon")
    survey = make_survey(personas["chair"], demo_units["U"], questions=QUESTIONS, audience=[unit])
    qkey, tkey = (
        str(pk) for pk in survey.questions.order_by("position").values_list("pk", flat=True)
    )
    audit_before = AuditEvent.objects.count()
    notes_before = Notification.objects.count()
    for i, user in enumerate(users):
        answers = {qkey: _choice_for(i)}
        if i == 7:
            answers[tkey] = SECRET
        actions.do_answer_survey(actor=user, survey=survey, answers=answers)
    # Answering wrote no audit event and no notification (either would date and name it).
    assert AuditEvent.objects.count() == audit_before
    assert Notification.objects.count() == notes_before
    return survey, users, qkey


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _assert_chance(label: str, xs, ys):
    rho = rank_correlation(xs, ys)
    assert abs(rho) < THRESHOLD, f"{label}: rank correlation {rho:.3f} beats chance"


def _choice_of(answers) -> int:
    data = answers if isinstance(answers, dict) else json.loads(answers)
    return next(int(v) for v in data.values() if v in ("0", "1", "2"))


def _assert_no_link_columns(survey):
    assert _columns(SurveyResponse._meta.db_table) == {
        "id",
        "survey_id",
        "member_id",
        "submitted_at",
        "answers",
    }
    assert _columns(SurveyParticipation._meta.db_table) == {"id", "survey_id", "user_id"}
    # For an anonymous survey the only columns that could name or date a response are empty.
    assert not SurveyResponse.objects.filter(survey=survey, member__isnull=False).exists()
    assert not SurveyResponse.objects.filter(survey=survey, submitted_at__isnull=False).exists()


def _assert_pairing_at_chance(survey, storage_sql: str, key=lambda r: r[0]):
    """Pair the participation rows (answering order: their id order) with the response rows
    in storage order, and in key order: neither pairing follows the answers."""
    rows = _rows(storage_sql, [survey.pk])
    assert len(rows) == N
    participants = _rows(
        "SELECT id FROM services_surveyparticipation WHERE survey_id = %s ORDER BY id", [survey.pk]
    )
    assert len(participants) == N
    answer_order = list(range(N))  # the i-th participation row is the i-th respondent
    by_storage = sorted(rows, key=key)
    _assert_chance("response storage order", answer_order, [_choice_of(r[2]) for r in by_storage])
    by_key = sorted(rows, key=lambda r: str(r[1]))
    _assert_chance("response key order", answer_order, [_choice_of(r[2]) for r in by_key])


def _assert_audit_clean(survey):
    dump = repr(list(AuditEvent.objects.values_list("action", "data")))
    assert SECRET not in dump
    assert not AuditEvent.objects.filter(
        action="services.answer_survey", target_id=str(survey.pk)
    ).exists()
    close = AuditEvent.objects.get(action="services.close_survey", target_id=str(survey.pk))
    assert close.data == {"respondents": N}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite file dump (the suite on SQLite)")
def test_sqlite_dump_has_no_linkage(answered):
    survey, users, _qkey = answered
    sql = "SELECT rowid, id, answers FROM services_surveyresponse WHERE survey_id = %s"
    # While open: random rowids already (zhijia.core.unordered).
    _assert_pairing_at_chance(survey, sql)
    old_keys = [str(r[1]).replace("-", "") for r in _rows(sql, [survey.pk])]

    actions.do_close_survey(actor=survey.created_by, survey=survey)

    _assert_no_link_columns(survey)
    _assert_pairing_at_chance(survey, sql)
    _assert_audit_clean(survey)
    # The file and its write-ahead log: the pre-close rows (keys) are gone, zeroed.
    connection.close()
    name = str(connection.settings_dict["NAME"])
    data = open(name, "rb").read()  # noqa: SIM115
    with contextlib.suppress(FileNotFoundError):
        data += open(name + "-wal", "rb").read()  # noqa: SIM115
    leftovers = [k for k in old_keys if k.encode() in data]
    assert leftovers == [], f"{len(leftovers)} pre-close keys left in the database file"


def _ctid(text: str) -> tuple[int, int]:
    block, offset = re.fullmatch(r"\((\d+),(\d+)\)", text).groups()
    return int(block), int(offset)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://")
def test_postgres_dump_has_no_linkage(answered):
    survey, users, _qkey = answered
    sql = (
        "SELECT ctid::text, id, answers::text, xmin::text FROM services_surveyresponse "
        "WHERE survey_id = %s"
    )
    part_sql = "SELECT xmin::text FROM services_surveyparticipation WHERE survey_id = %s"

    # The control: while open, one transaction per answer, so ctid and xmin follow the
    # answering order, for the responses and for the respondents' participation rows alike:
    # pairing the two by xmin would link them. (Other tests on the same server take xids in
    # between, so the xids are compared by order, not by distance.)
    before = _rows(sql, [survey.pk])
    by_ctid = sorted(before, key=lambda r: _ctid(r[0]))
    assert rank_correlation(list(range(N)), [_choice_of(r[2]) for r in by_ctid]) > 0.8
    by_xmin = sorted(before, key=lambda r: int(r[3]))
    assert rank_correlation(list(range(N)), [_choice_of(r[2]) for r in by_xmin]) > 0.8
    index = {user.pk: i for i, user in enumerate(users)}
    participants = _rows(
        "SELECT xmin::text, user_id FROM services_surveyparticipation WHERE survey_id = %s",
        [survey.pk],
    )
    in_xmin_order = [index[r[1]] for r in sorted(participants, key=lambda r: int(r[0]))]
    assert rank_correlation(list(range(N)), in_xmin_order) > 0.8
    old_keys = [str(r[1]) for r in before]

    actions.do_close_survey(actor=survey.created_by, survey=survey)

    _assert_no_link_columns(survey)
    after = _rows(sql, [survey.pk])
    xmins = {r[3] for r in after}
    assert len(xmins) == 1  # every response re-inserted by the closing transaction
    assert {r[0] for r in _rows(part_sql, [survey.pk])} == xmins  # and the markers rewritten
    _assert_pairing_at_chance(survey, sql, key=lambda r: _ctid(r[0]))
    _assert_audit_clean(survey)

    settings = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--table=services_surveyresponse",
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"] or "postgres",
            settings["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PGPASSWORD": settings.get("PASSWORD") or "", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert not any(key in dump for key in old_keys)
    block = re.search(
        r"^COPY public\.services_surveyresponse \((.*?)\) FROM stdin;\n(.*?)^\\\.$",
        dump,
        re.S | re.M,
    )
    assert block
    columns = [c.strip() for c in block.group(1).split(",")]
    lines = [
        dict(zip(columns, line.split("\t"), strict=True)) for line in block.group(2).splitlines()
    ]
    choices = [_choice_of(r["answers"]) for r in lines if r["survey_id"] == str(survey.pk)]
    assert len(choices) == N
    _assert_chance("pg_dump response order", list(range(N)), choices)


def test_backup_warns_while_an_anonymous_survey_is_open(db, personas, demo_units):
    from zhijia.core.hooks import backup_warnings

    chair, unit = personas["chair"], demo_units["U"]
    anon = make_survey(chair, unit, questions=QUESTIONS, title="匿名")
    named = make_survey(chair, unit, questions=QUESTIONS, title="实名", anonymous=False)
    warned = " ".join(backup_warnings())
    assert f"anonymous survey {anon.pk} is open" in warned
    assert f"survey {named.pk} " not in warned
    actions.do_close_survey(actor=chair, survey=anon)
    assert f"survey {anon.pk} " not in " ".join(backup_warnings())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write-ahead log")
def test_the_close_reports_a_checkpoint_that_cannot_truncate(
    transactional_db, personas, demo_units, login
):
    """A reader holding a snapshot keeps SQLite's write-ahead log from being truncated: the
    close says so (page message, audit event) instead of pretending."""
    import sqlite3

    chair, unit = personas["chair"], demo_units["B3"]
    survey = make_survey(chair, demo_units["U"], questions=QUESTIONS, audience=[unit])
    qkey = str(survey.questions.order_by("position").first().pk)
    for user in make_respondents(3, unit, prefix="ckpt"):
        actions.do_answer_survey(actor=user, survey=survey, answers={qkey: "0"})
    reader = sqlite3.connect(str(connection.settings_dict["NAME"]), isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM services_surveyresponse").fetchone()
        page = login("chair").post(f"/services/surveys/manage/{survey.pk}/close/", follow=True)
        assert page.status_code == 200
        assert "预写日志（WAL）未能清空" in page.content.decode()
        event = AuditEvent.objects.get(action="services.storage_not_compacted")
        assert event.target_id == str(survey.pk) and "busy" in event.data["detail"]
    finally:
        reader.execute("COMMIT")
        reader.close()


def test_each_member_answers_once_under_concurrent_requests(transactional_db, personas, demo_units):
    """Real threads, each with its own connection: 10 members each send their answer 3 times
    at once; exactly one answer each is stored, the other requests are refused (409)."""
    import random
    import threading

    unit = demo_units["B3"]
    users = make_respondents(10, unit, prefix="race")
    survey = make_survey(personas["chair"], demo_units["U"], questions=QUESTIONS, audience=[unit])
    qkey = str(survey.questions.order_by("position").first().pk)
    jobs = [u for u in users for _ in range(3)]
    random.shuffle(jobs)
    barrier = threading.Barrier(len(jobs))
    results: list[tuple[int, object]] = []
    lock = threading.Lock()

    def answer(user):
        barrier.wait()
        try:
            actions.do_answer_survey(actor=user, survey=survey, answers={qkey: "1"})
            outcome: object = "ok"
        except actions.SurveyError as exc:
            outcome = exc.status
        except Exception as exc:  # reported, so a failure shows what went wrong
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append((user.pk, outcome))

    threads = [threading.Thread(target=answer, args=(u,)) for u in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert sorted(pk for pk, outcome in results if outcome == "ok") == sorted(u.pk for u in users)
    assert [o for _pk, o in results if o != "ok"] == [409] * (len(jobs) - len(users))
    assert SurveyParticipation.objects.filter(survey=survey).count() == len(users)
    assert SurveyResponse.objects.filter(survey=survey).count() == len(users)
