"""Storage that forgets order while a poll is open (issue 11, findings 1, 2 and 6).

Voters cast over HTTP (the API, one request each) in a known order with a known pattern of
choices (the first 40 % yes, the next 35 % no, the rest abstain: a fixed, known order, so
any storage order that follows casting would correlate with the choice). A raw copy of the
SQLite file and its
write-ahead log is taken while the poll is still open, opened with the standard library's
sqlite3 (no Django), and every order a reader of the copy has (rowid, key) is compared with
the casting order by Spearman's rho.

Threshold: under a uniformly random order rho over n = 200 has a standard deviation of
1/sqrt(199) ≈ 0.071; |rho| < 0.3 is 4.2 standard deviations (a false alarm about 3 times in
100,000 checks), and far below what an ordered store shows (the control: > 0.8).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from zhijia.accounts.models import ApiToken
from zhijia.core.models import AuditEvent
from zhijia.voting import actions, queries
from zhijia.voting.models import Ballot
from zhijia.voting.rules import rank_correlation
from zhijia.voting.tests.conftest import make_voters

API = "/api/v1/voting"
N = 200
THRESHOLD = 0.3
RANK = {"yes": 0, "no": 1, "abstain": 2}

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite file copies (PostgreSQL: test_secrecy.py)"
    ),
    pytest.mark.slow,  # run first under xdist (conftest.py)
]


def _choice_for(i: int) -> str:
    return "yes" if i < 0.4 * N else "no" if i < 0.75 * N else "abstain"


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def _bearer(client_class, user):
    return client_class(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def _open_poll(personas, demo_units, voters, title="存储顺序测试"):
    chair = personas["chair"]
    poll = actions.do_create_poll(
        actor=chair, title=title, kind="yes_no_abstain", unit=demo_units["U"]
    )
    return actions.do_open_poll(actor=chair, poll=poll, voters=voters)


def _raw_copy(dest: Path) -> Path:
    """Copy the live database file, -wal and -shm byte for byte (as a thief with file access
    would, no checkpoint, no backup API) and return the copy's path."""
    name = Path(str(connection.settings_dict["NAME"]))
    target = dest / "copy.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(name) + suffix)
        if source.exists():
            shutil.copyfile(source, str(target) + suffix)
    return target


def _read_copy(path: Path, sql: str, params=()) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def _rho_sorted_by(rows, key, value) -> float:
    ordered = sorted(rows, key=key)
    return rank_correlation(list(range(len(ordered))), [value(r) for r in ordered])


@pytest.fixture
def cast_over_http(transactional_db, personas, demo_units, client):
    """An open poll whose N voters voted over the API in a known order: (poll, trackers)."""
    from django.test import Client

    voters = make_voters(N, prefix="order")
    poll = _open_poll(personas, demo_units, voters)
    trackers = []
    for i, voter in enumerate(voters):
        response = _post(
            _bearer(Client, voter), f"{API}/polls/{poll.pk}/cast", {"choice": [_choice_for(i)]}
        )
        assert response.status_code == 200, response.content
        trackers.append(response.json()["tracker"])
    return poll, trackers


def test_a_copy_taken_while_the_poll_is_open_keeps_no_casting_order(
    cast_over_http, personas, tmp_path
):
    poll, trackers = cast_over_http
    copy = _raw_copy(tmp_path)

    ballots = _read_copy(
        copy, "SELECT rowid, id, choice FROM voting_ballot WHERE poll_id = ?", [poll.pk]
    )
    codes = _read_copy(
        copy, "SELECT rowid, id, code FROM voting_tracker WHERE poll_id = ?", [poll.pk]
    )
    assert len(ballots) == len(codes) == N
    vote_index = {code: i for i, code in enumerate(trackers)}
    assert set(vote_index) == {r[2] for r in codes}
    checks = {
        "ballot rowid": _rho_sorted_by(ballots, lambda r: r[0], lambda r: RANK[r[2]]),
        "ballot key": _rho_sorted_by(ballots, lambda r: str(r[1]), lambda r: RANK[r[2]]),
        "tracker rowid": _rho_sorted_by(codes, lambda r: r[0], lambda r: vote_index[r[2]]),
        "tracker key": _rho_sorted_by(codes, lambda r: str(r[1]), lambda r: vote_index[r[2]]),
    }
    assert all(abs(rho) < THRESHOLD for rho in checks.values()), checks
    # Rowids are random 62-bit numbers, not the sequence 1, 2, 3 …
    assert min(r[0] for r in ballots + codes) > 2**32
    # The write-ahead log is truncated after each cast: the copy's -wal holds no page image of
    # the ballot box to carve (without it, the first frame holding each tracker gives the
    # casting order exactly).
    wal = Path(str(copy) + "-wal")
    wal_bytes = wal.read_bytes() if wal.exists() else b""
    assert [code for code in trackers if code.encode() in wal_bytes] == []

    # Control: rows inserted the plain way (sequential rowids) show the order they came in,
    # so the measure above would see a link if there were one.
    draft = actions.do_create_poll(
        actor=personas["chair"], title="对照", kind="yes_no_abstain", unit=poll.unit
    )
    Ballot.objects.bulk_create(Ballot(poll=draft, choice=_choice_for(i)) for i in range(N))
    plain = _read_copy(
        _raw_copy(tmp_path),
        "SELECT rowid, id, choice FROM voting_ballot WHERE poll_id = ?",
        [draft.pk],
    )
    assert _rho_sorted_by(plain, lambda r: r[0], lambda r: RANK[r[2]]) > 0.8

    # No audit event per cast (its order would name each voter's ballot); the copy's audit
    # table holds the poll's creation and opening only, the roll markers who voted.
    actions_in_copy = _read_copy(
        copy, "SELECT action FROM core_auditevent WHERE target_id = ?", [str(poll.pk)]
    )
    assert sorted(a for (a,) in actions_in_copy) == ["voting.create_poll", "voting.open_poll"]
    assert not AuditEvent.objects.filter(action="voting.cast_ballot").exists()
    voted = _read_copy(
        copy, "SELECT count(*) FROM voting_voterroll WHERE poll_id = ? AND voted", [poll.pk]
    )
    assert voted == [(N,)]

    # The close: the count, once, in the audit chain.
    closed = _post(_bearer_chair(personas), f"{API}/polls/{poll.pk}/close")
    assert closed.status_code == 200 and closed.json()["storage_compacted"] is True
    event = AuditEvent.objects.get(action="voting.close_poll", target_id=str(poll.pk))
    assert event.data["ballots"] == N
    assert Path(str(connection.settings_dict["NAME"]) + "-wal").stat().st_size == 0


def _bearer_chair(personas):
    from django.test import Client

    return _bearer(Client, personas["chair"])


def test_secure_delete_is_on_for_every_connection(transactional_db):
    for alias in connections:
        connections[alias].close()
    with connection.cursor() as cursor:  # a new connection: connection_created ran
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1


def test_the_close_reports_a_checkpoint_that_cannot_truncate(
    transactional_db, personas, demo_units, login, monkeypatch, caplog
):
    """A reader holding a snapshot in another connection keeps the write-ahead log from being
    truncated: the close says so (page message, API field, log, audit event) instead of
    pretending, and succeeds once the reader lets go."""
    monkeypatch.setattr(queries, "CHECKPOINT_ATTEMPTS", 2)  # keep the test short
    voters = make_voters(5, prefix="ckpt")
    poll = _open_poll(personas, demo_units, voters)
    for voter in voters:
        actions.do_cast_ballot(voter=voter, poll=poll, choice=["yes"])

    reader = sqlite3.connect(str(connection.settings_dict["NAME"]), isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM voting_ballot").fetchone()  # holds its snapshot
        page = login("chair").post(f"/voting/manage/{poll.pk}/close/", follow=True)
        assert page.status_code == 200
        assert "预写日志（WAL）未能清空" in page.content.decode()
        assert "could not be truncated" in caplog.text
        event = AuditEvent.objects.get(action="voting.storage_not_compacted")
        assert event.target_id == str(poll.pk) and event.data["attempts"] == 2
        assert "busy" in event.data["detail"]

        second = _open_poll(personas, demo_units, voters, title="第二项")
        actions.do_cast_ballot(voter=voters[0], poll=second, choice=["no"])
        closed = _post(_bearer_chair(personas), f"{API}/polls/{second.pk}/close")
        assert closed.status_code == 200 and closed.json()["storage_compacted"] is False
    finally:
        reader.execute("COMMIT")
        reader.close()

    third = _open_poll(personas, demo_units, voters, title="第三项")
    actions.do_cast_ballot(voter=voters[0], poll=third, choice=["no"])
    closed = _post(_bearer_chair(personas), f"{API}/polls/{third.pk}/close")
    assert closed.status_code == 200 and closed.json()["storage_compacted"] is True
    assert AuditEvent.objects.filter(action="voting.storage_not_compacted").count() == 2


def test_backup_warns_while_an_online_poll_is_open(
    transactional_db, personas, demo_units, tmp_path, capsys
):
    voters = make_voters(3, prefix="bkp")
    poll = _open_poll(personas, demo_units, voters)
    call_command("zhijia_backup", str(tmp_path / "open.tar.gz"))
    assert f"online poll {poll.pk} is open" in capsys.readouterr().err

    actions.do_close_poll(actor=personas["chair"], poll=poll)
    call_command("zhijia_backup", str(tmp_path / "closed.tar.gz"))
    assert "is open" not in capsys.readouterr().err
