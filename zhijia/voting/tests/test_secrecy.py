"""Secrecy: after close, nothing in a database dump links a ballot or a tracker to a voter.

200 voters vote in a known order with a known pattern of choices (the first 80 yes, the next
70 no, the last 50 abstain), so that any storage artefact following the casting order would
correlate with the choice. Before close the test measures that correlation (it is near 1:
the test can see a linkage when there is one); after close it must be at chance level.

Threshold: under the null hypothesis (a uniformly random order), Spearman's rho over n = 200
has a standard deviation of 1/sqrt(n - 1) ≈ 0.071. |rho| < 0.2 would be 2.8 standard
deviations, which a truly random order exceeds about once in 200 checks — with a dozen checks
per run the suite would fail now and then for no reason. |rho| < 0.3 is 4.2 standard
deviations (about 3 in 100,000 per check) and still far below the near-1 correlation of the
pre-close order, so a failure means a real linkage.
"""

from __future__ import annotations

import contextlib
import re
import subprocess

import pytest
from django.db import connection

from zhijia.core.models import AuditEvent
from zhijia.voting import actions, queries
from zhijia.voting.models import Ballot, Poll, Tracker
from zhijia.voting.rules import rank_correlation
from zhijia.voting.tests.conftest import make_voters

N = 200
THRESHOLD = 0.3
RANK = {"yes": 0, "no": 1, "abstain": 2}


def _choice_for(i: int) -> str:
    return "yes" if i < 80 else "no" if i < 150 else "abstain"


@pytest.fixture
def cast_poll(transactional_db, personas, demo_units):
    """A poll with 200 voters who voted in order; returns (poll, voters, trackers in order).

    The same voters vote in a second poll at the same time (as in a congress session with
    items open side by side), so the two polls' rows share database pages: closing the first
    frees space between rows of the second, where deleted content would stay readable if it
    were not overwritten.
    """
    voters = make_voters(N, prefix="secret")
    chair, unit = personas["chair"], demo_units["U"]
    poll, other = (
        actions.do_create_poll(actor=chair, title=title, kind="yes_no_abstain", unit=unit)
        for title in ("秘密投票测试", "同时进行的另一项表决")
    )
    for p in (poll, other):
        actions.do_open_poll(actor=chair, poll=p, voters=voters)
    trackers = []
    for i, v in enumerate(voters):
        trackers.append(actions.do_cast_ballot(voter=v, poll=poll, choice=[_choice_for(i)]))
        actions.do_cast_ballot(voter=v, poll=other, choice=["yes"])
    return poll, voters, trackers


def _columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, table)}


def _rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _positions(items: list) -> list[int]:
    """Position of each item when the list is in storage order (0..n-1)."""
    return list(range(len(items)))


def _assert_no_link_columns():
    # The ballot and tracker tables hold nothing that could point at a voter or at each other.
    assert _columns(Ballot._meta.db_table) == {"id", "poll_id", "choice"}
    assert _columns(Tracker._meta.db_table) == {"id", "poll_id", "code"}
    assert {f.name for f in Ballot._meta.concrete_fields} == {"id", "poll", "choice"}
    assert {f.name for f in Tracker._meta.concrete_fields} == {"id", "poll", "code"}


def _assert_chance(label: str, xs, ys):
    rho = rank_correlation(xs, ys)
    assert abs(rho) < THRESHOLD, f"{label}: rank correlation {rho:.3f} beats chance"


def _assert_ballots_at_chance(poll, order_sql: str):
    """`order_sql` selects (storage key, id, choice) of the poll's ballots."""
    rows = _rows(order_sql, [poll.pk])
    assert len(rows) == N
    by_storage = sorted(rows, key=lambda r: r[0])
    _assert_chance("ballot storage order", _positions(by_storage), [RANK[r[2]] for r in by_storage])
    by_key = sorted(rows, key=lambda r: str(r[1]))
    _assert_chance("ballot key order", _positions(by_key), [RANK[r[2]] for r in by_key])


def _assert_trackers_at_chance(poll, trackers, order_sql: str):
    vote_index = {code: i for i, code in enumerate(trackers)}
    rows = _rows(order_sql, [poll.pk])
    assert {r[2] for r in rows} == set(trackers)
    by_storage = sorted(rows, key=lambda r: r[0])
    _assert_chance(
        "tracker storage order", _positions(by_storage), [vote_index[r[2]] for r in by_storage]
    )
    by_key = sorted(rows, key=lambda r: str(r[1]))
    _assert_chance("tracker key order", _positions(by_key), [vote_index[r[2]] for r in by_key])


def _assert_audit_clean(trackers):
    dump = repr(list(AuditEvent.objects.values_list("action", "data")))
    assert not any(code in dump for code in trackers)
    assert not AuditEvent.objects.filter(action="voting.cast_ballot").exists()


# --- SQLite ---------------------------------------------------------------------------------------


def test_sqlite_dump_after_close_has_no_linkage(cast_poll):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite file dump test: runs when the suite runs on SQLite")
    poll, voters, trackers = cast_poll
    ballot_sql = "SELECT rowid, id, choice FROM voting_ballot WHERE poll_id = %s"
    tracker_sql = "SELECT rowid, id, code FROM voting_tracker WHERE poll_id = %s"

    # Before close the rowids are random already (zhijia.core.unordered; test_storage_order
    # has the copy taken while the poll is open and the control that sees a link).
    before = sorted(_rows(ballot_sql, [poll.pk]))
    _assert_chance("ballot rowids while open", _positions(before), [RANK[r[2]] for r in before])
    before_t = sorted(_rows(tracker_sql, [poll.pk]))
    old_keys = [str(r[1]).replace("-", "") for r in before + before_t]

    actions.do_close_poll(actor=Poll.objects.get(pk=poll.pk).created_by, poll=poll)

    _assert_no_link_columns()
    _assert_ballots_at_chance(poll, ballot_sql)
    _assert_trackers_at_chance(poll, trackers, tracker_sql)
    _assert_audit_clean(trackers)

    # The file itself (and its write-ahead log): the deleted pre-close rows were zeroed, so
    # not one of the old keys, which were in casting order, is left in it.
    connection.close()  # let SQLite finish the checkpoint; the next query reopens
    name = str(connection.settings_dict["NAME"])
    data = open(name, "rb").read()  # noqa: SIM115
    with contextlib.suppress(FileNotFoundError):
        data += open(name + "-wal", "rb").read()  # noqa: SIM115
    leftovers = [k for k in old_keys if k.encode() in data]
    assert leftovers == [], f"{len(leftovers)} pre-close keys left in the database file"
    # The trackers' byte offsets in the file do not follow the casting order either.
    offsets = [data.find(code.encode()) for code in trackers]
    assert all(o >= 0 for o in offsets)
    _assert_chance("tracker offsets in the file", offsets, list(range(N)))
    # Every published tracker is there, the count equals the number who voted.
    assert queries.published_trackers(poll) == sorted(trackers)
    assert queries.turnout(poll).voted == N


# --- PostgreSQL -----------------------------------------------------------------------------------


def _ctid(text: str) -> tuple[int, int]:
    block, offset = re.fullmatch(r"\((\d+),(\d+)\)", text).groups()
    return int(block), int(offset)


def test_postgres_dump_after_close_has_no_linkage(cast_poll):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run the suite with DATABASE_URL=postgres://...")
    poll, voters, trackers = cast_poll
    ballot_sql = "SELECT ctid::text, id, choice, xmin::text FROM voting_ballot WHERE poll_id = %s"
    tracker_sql = "SELECT ctid::text, id, code, xmin::text FROM voting_tracker WHERE poll_id = %s"
    roll_sql = "SELECT xmin::text FROM voting_voterroll WHERE poll_id = %s AND voted"

    # Before close: one transaction per ballot, so xmin and ctid follow the casting order.
    before = _rows(ballot_sql, [poll.pk])
    assert len({r[3] for r in before}) == N
    ordered = sorted(before, key=lambda r: _ctid(r[0]))
    assert rank_correlation(_positions(ordered), [RANK[r[2]] for r in ordered]) > 0.8
    by_xmin = sorted(before, key=lambda r: int(r[3]))
    assert rank_correlation(_positions(by_xmin), [RANK[r[2]] for r in by_xmin]) > 0.8
    # …and each ballot's xmin is the xmin of its voter's roll marker: a full link.
    assert {r[3] for r in before} == {r[0] for r in _rows(roll_sql, [poll.pk])}
    old_keys = [str(r[1]) for r in before + _rows(tracker_sql, [poll.pk])]

    actions.do_close_poll(actor=Poll.objects.get(pk=poll.pk).created_by, poll=poll)

    _assert_no_link_columns()
    after = _rows(ballot_sql, [poll.pk])
    after_t = _rows(tracker_sql, [poll.pk])
    # All re-inserted rows carry the closing transaction's xmin, and so do the roll markers.
    xmins = {r[3] for r in after} | {r[3] for r in after_t}
    assert len(xmins) == 1
    assert {r[0] for r in _rows(roll_sql, [poll.pk])} == xmins
    storage = "SELECT ctid::text, id, {col} FROM {table} WHERE poll_id = %s"
    _assert_ballots_at_chance_pg(poll, storage.format(col="choice", table="voting_ballot"))
    _assert_trackers_at_chance_pg(
        poll, trackers, storage.format(col="code", table="voting_tracker")
    )
    _assert_audit_clean(trackers)

    # pg_dump: the rows come out in physical order; neither it nor any old key links.
    settings = connection.settings_dict
    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--table=voting_ballot",
            "--table=voting_tracker",
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
    ballot_rows = _copy_block(dump, "voting_ballot")
    choices = [r["choice"] for r in ballot_rows if r["poll_id"] == str(poll.pk)]
    assert len(choices) == N
    _assert_chance("pg_dump ballot order", _positions(choices), [RANK[c] for c in choices])
    tracker_rows = _copy_block(dump, "voting_tracker")
    vote_index = {code: i for i, code in enumerate(trackers)}
    codes = [r["code"] for r in tracker_rows if r["poll_id"] == str(poll.pk)]
    assert sorted(codes) == sorted(trackers)
    _assert_chance("pg_dump tracker order", _positions(codes), [vote_index[c] for c in codes])


def _assert_ballots_at_chance_pg(poll, sql):
    rows = [(_ctid(r[0]), r[1], r[2]) for r in _rows(sql, [poll.pk])]
    assert len(rows) == N
    by_storage = sorted(rows, key=lambda r: r[0])
    _assert_chance("ballot ctid order", _positions(by_storage), [RANK[r[2]] for r in by_storage])
    by_key = sorted(rows, key=lambda r: str(r[1]))
    _assert_chance("ballot key order", _positions(by_key), [RANK[r[2]] for r in by_key])


def _assert_trackers_at_chance_pg(poll, trackers, sql):
    vote_index = {code: i for i, code in enumerate(trackers)}
    rows = [(_ctid(r[0]), r[1], r[2]) for r in _rows(sql, [poll.pk])]
    assert {r[2] for r in rows} == set(trackers)
    by_storage = sorted(rows, key=lambda r: r[0])
    _assert_chance(
        "tracker ctid order", _positions(by_storage), [vote_index[r[2]] for r in by_storage]
    )
    by_key = sorted(rows, key=lambda r: str(r[1]))
    _assert_chance("tracker key order", _positions(by_key), [vote_index[r[2]] for r in by_key])


def _copy_block(dump: str, table: str) -> list[dict[str, str]]:
    """The rows of one table's COPY block in a pg_dump, in dump order, keyed by column."""
    match = re.search(
        rf"^COPY public\.{table} \((.*?)\) FROM stdin;\n(.*?)^\\\.$", dump, re.S | re.M
    )
    assert match, f"no COPY block for {table}"
    columns = [c.strip() for c in match.group(1).split(",")]
    # Column order depends on how the migration created the table; the set is what matters.
    assert sorted(columns) in (["choice", "id", "poll_id"], ["code", "id", "poll_id"])
    return [
        dict(zip(columns, line.split("\t"), strict=True))
        for line in match.group(2).splitlines()
        if line
    ]


def test_sqlite_secure_delete_zeroes_deleted_ballots(transactional_db, personas, demo_units):
    """The re-store at close deletes ballots under secure_delete: their bytes do not survive
    in the file's free pages. The control shows that without it they would."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    from django.db import transaction

    poll = actions.do_create_poll(
        actor=personas["chair"], title="删除测试", kind="yes_no_abstain", unit=demo_units["U"]
    )
    name = str(connection.settings_dict["NAME"])

    def fill() -> list[bytes]:
        made = Ballot.objects.bulk_create(Ballot(poll=poll, choice="yes") for _ in range(300))
        return [b.id.hex.encode() for b in made]

    def file_bytes() -> bytes:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = open(name, "rb").read()  # noqa: SIM115
        with contextlib.suppress(FileNotFoundError):
            data += open(name + "-wal", "rb").read()  # noqa: SIM115
        return data

    def pragma(value=None) -> int:
        with connection.cursor() as cursor:
            if value is not None:
                cursor.execute(f"PRAGMA secure_delete = {value}")
            cursor.execute("PRAGMA secure_delete")
            return cursor.fetchone()[0]

    # Some builds (Debian's) turn secure_delete on by default; others do not. The control
    # turns it off explicitly to show what a plain DELETE leaves behind.
    default = pragma()
    control = fill()
    assert all(k in file_bytes() for k in control)  # checkpointed into the main file
    with transaction.atomic():
        pragma(0)
        Ballot.objects.filter(poll=poll).delete()
    pragma(default)
    data = file_bytes()
    assert sum(k in data for k in control) > 100  # plain DELETE leaves the bytes behind

    keys = fill()
    assert all(k in file_bytes() for k in keys)
    pragma(0)  # as on a build whose default is off
    with transaction.atomic(), queries.secure_delete():
        assert pragma() == 1
        Ballot.objects.filter(poll=poll).delete()
    assert pragma() == 0  # the connection's setting is restored afterwards
    pragma(default)
    data = file_bytes()
    assert [k for k in keys if k in data] == []
