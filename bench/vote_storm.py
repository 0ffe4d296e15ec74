"""Benchmark: the congress vote storm (DESIGN.md: 1,000 representatives voting within a minute,
nothing lost or doubled), over HTTP against a real `zhijia serve`.

    python bench/vote_storm.py [--db sqlite|postgres] [--voters 1000] [--clients 50]
                               [--duplicates 0.1] [--database-url postgres://...]
                               [--workers N] [--threads N] [--keep]

1. A fresh data directory (SQLite) or a throwaway PostgreSQL database created next to the one
   in --database-url / DATABASE_URL (dropped at the end); migrations applied (or, while the
   models are ahead of the committed migrations, the tables created from the models).
2. Seeds, fast (bulk inserts, one precomputed password hash, API tokens): the demo union,
   a congress term with N voting representatives who have accounts and bearer tokens, a
   session where all of them are checked in, its three scrutineers (总监票人, 监票人), and one
   agenda item whose vote is prepared encrypted (docs/voting.md), its key made by the three
   in this process (their key files kept for the decryption), and opened through the
   congress action (quorum checked, roll = those present, base = all).
3. Every voter's ballot is encrypted beforehand, as each phone does it (the voters' side,
   on both cores; not part of the server's figures).
4. Starts the real CLI, `zhijia serve`, on a free loopback port (gunicorn, gthread).
5. The storm: N voters cast over HTTP (POST /api/v1/voting/polls/{id}/cast-encrypted with
   their bearer tokens; the server checks each ballot's proofs) from a pool of --clients
   threads, each with its own keep-alive connection. A fraction of the voters (--duplicates)
   sends its ballot twice, concurrently: exactly one may succeed.
6. The same clients then hammer a trivial endpoint of the same server (GET /api/v1/me) with
   as many requests, for the ratio of the vote endpoint's throughput to a trivial one's.
7. The server is stopped, the poll closed through the congress action, two scrutineers
   decrypt the totals, and the database is checked: ballots, published trackers and roll
   markers against the successful answers, and the decrypted counts against the choices of
   the voters told "counted".
   lost = voters told "counted" whose ballot, roll marker or tracker is missing;
   doubled = ballots beyond one per voter told "counted" (or a voter told "counted" twice).

Prints the figures and ends with one line:

    ballots_per_s=... p50_ms=... p99_ms=... lost=0 doubled=0 ratio_to_trivial=...
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storm import (  # noqa: E402  (bench/storm.py: what the storm benchmarks share)
    HOST,
    Clients,
    build_schema,
    create_pg_database,
    drop_pg_database,
    free_port,
    percentile,
    run_phase,
    start_server,
    stop_server,
)

# --- seeding ----------------------------------------------------------------------------------


def seed(n: int) -> tuple[int, list[tuple[int, str]]]:
    """The union, a term with n representatives checked in, an open encrypted item vote.
    Returns the poll id, (user id, bearer token) per voter and the scrutineers' key files."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from zhijia.accounts.models import ApiToken, Role, RoleAssignment
    from zhijia.congress.actions import agenda as congress_agenda
    from zhijia.congress.actions import sessions as congress
    from zhijia.congress.models import Attendance, Representative
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Member
    from zhijia.voting.queries import trustees_of
    from zhijia.voting.tests.encrypted_support import ceremony_in_process

    units = ensure_demo_structure()
    chair = ensure_demo_accounts()["chair"]
    groups = [u for code, u in units.items() if "-G" in code]
    user_model = get_user_model()
    password = make_password(secrets.token_urlsafe(16))  # one hash for everyone: seeding only
    with transaction.atomic():
        user_model.objects.bulk_create(
            user_model(username=f"bench-rep-{i:05d}", full_name=f"代表{i}", password=password)
            for i in range(n)
        )
        users = list(
            user_model.objects.filter(username__startswith="bench-rep-").order_by("username")
        )
        Member.objects.bulk_create(
            Member(
                employee_no=f"V{i:06d}",
                name=f"代表{i}",
                gender="F" if i % 3 == 0 else "M",
                org_unit=groups[i % len(groups)],
                user=users[i],
            )
            for i in range(n)
        )
        members = list(Member.objects.filter(employee_no__startswith="V").order_by("employee_no"))
        term = congress.do_create_term(
            actor=chair,
            unit=units["U"],
            start_date=dt.date(2024, 3, 1),
            end_date=dt.date(2029, 2, 28),
        )
        Representative.objects.bulk_create(
            Representative(
                term=term,
                member=m,
                unit=m.org_unit,
                is_frontline=i % 4 != 0,
                checkin_nonce=secrets.token_urlsafe(12),
            )
            for i, m in enumerate(members)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=m.user, role=Role.REPRESENTATIVE, org_unit=m.org_unit)
            for m in members
        )
        tokens = [secrets.token_urlsafe(32) for _ in users]
        ApiToken.objects.bulk_create(
            ApiToken(user=u, key_hash=ApiToken.hash_key(t))
            for u, t in zip(users, tokens, strict=True)
        )
        today = timezone.localdate()
        session = congress.do_schedule_session(
            actor=chair,
            term=term,
            date=max(min(today, term.end_date), term.start_date),
            place="职工活动中心",
            notify_representatives=False,
        )
        congress.do_start_checkin(actor=chair, session=session)
        now = timezone.now()
        Attendance.objects.bulk_create(
            Attendance(session=session, representative=r, method="desk", checked_in_at=now)
            for r in Representative.objects.filter(term=term)
        )
        congress.do_open_session(actor=chair, session=session)
        item = congress_agenda.do_add_item(
            actor=chair, session=session, title="关于《职工代表大会提案工作办法》的决议"
        )
        chief, *others = Representative.objects.filter(term=term).order_by("member__employee_no")[
            :3
        ]
        congress_agenda.do_set_scrutineers(actor=chair, session=session, chief=chief, others=others)
        poll = congress_agenda.do_prepare_item_vote(actor=chair, item=item)
        keys = ceremony_in_process(poll, [t.user for t in trustees_of(poll)])
        poll = congress_agenda.do_open_item_vote(actor=chair, item=item)
    return poll.pk, [(u.pk, t) for u, t in zip(users, tokens, strict=True)], keys


def encrypt_all(poll_id: int, choices: list[str], processes: int) -> list[dict]:
    """Each voter's ballot encrypted as her phone encrypts it (one per entry of `choices`)."""
    from multiprocessing import get_context

    from zhijia.voting.models import Poll
    from zhijia.voting.tests.encrypted_support import ballot_document

    doc = ballot_document(Poll.objects.get(pk=poll_id))
    with get_context("fork").Pool(processes) as pool:
        return pool.starmap(_encrypt, [(doc, c) for c in choices], chunksize=8)


def _encrypt(doc: dict, choice: str) -> dict:
    from zhijia.voting.tests.encrypted_support import encrypt_ballot_for

    return encrypt_ballot_for(doc, [choice])


# --- main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duplicates", type=float, default=0.1, help="share voting twice")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=None, help="gunicorn threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    ns = parser.parse_args()
    if ns.db == "postgres" and not ns.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--db postgres needs --database-url or DATABASE_URL (postgres://...)")

    workdir = Path(tempfile.mkdtemp(prefix="zj-bench-vote-"))
    os.environ["ZHIJIA_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijia.settings")
    os.environ.pop("ZHIJIA_DEBUG", None)
    pg_name = ""
    server = None
    try:
        if ns.db == "postgres":
            pg_name, os.environ["DATABASE_URL"] = create_pg_database(ns.database_url, "vote")
        else:
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.db import connection, connections

        how = build_schema()
        started = time.perf_counter()
        poll_id, voters, keys = seed(ns.voters)
        print(
            f"seeded {len(voters)} representatives with accounts and tokens, all checked in, "
            f"encrypted poll {poll_id} open (3 scrutineers, k = 2), in "
            f"{time.perf_counter() - started:.1f} s; schema: {how}; database: {connection.vendor}"
        )
        choices = ["yes"] * 6 + ["no"] * 3 + ["abstain"]
        wanted = [choices[i % len(choices)] for i in range(len(voters))]
        connections.close_all()
        started = time.perf_counter()
        ballots_sent = encrypt_all(poll_id, wanted, processes=os.cpu_count() or 2)
        print(
            f"the voters' side: {len(ballots_sent)} ballots encrypted with their proofs in "
            f"{time.perf_counter() - started:.1f} s ({os.cpu_count()} processes)"
        )

        port = free_port()
        env = dict(os.environ)
        server = start_server(port, env, workdir / "serve.log", ns.workers, ns.threads)
        print(
            f"zhijia serve on {HOST}:{port} (workers={ns.workers or 'default'}, "
            f"threads={ns.threads or 'default'}); {ns.clients} client threads"
        )
        clients = Clients(port)
        cast_path = f"/api/v1/voting/polls/{poll_id}/cast-encrypted"
        rng = random.Random(20250320)
        twice = set(rng.sample(range(len(voters)), int(len(voters) * ns.duplicates)))

        def cast(index: int):
            user_id, token = voters[index]
            body = json.dumps({"ballot": ballots_sent[index]}).encode()
            status, data, seconds = clients.request("POST", cast_path, token, body)
            return index, status, data, seconds

        tasks = [lambda i=i: cast(i) for i in range(len(voters))]
        tasks += [lambda i=i: cast(i) for i in twice]
        rng.shuffle(tasks)
        with ThreadPoolExecutor(ns.clients) as pool:
            results, vote_seconds = run_phase(pool, tasks)
        with ThreadPoolExecutor(ns.clients) as pool:
            tokens = [voters[i % len(voters)][1] for i in range(len(tasks))]
            me_tasks = [lambda t=t: clients.request("GET", "/api/v1/me", t) for t in tokens]
            me_results, me_seconds = run_phase(pool, me_tasks)
        stop_server(server)
        server = None

        # --- verification ------------------------------------------------------------------------
        from zhijia.congress.actions import agenda as congress_agenda
        from zhijia.congress.models import AgendaItem
        from zhijia.org.demo import ensure_demo_accounts
        from zhijia.voting import queries as voting_queries
        from zhijia.voting.models import Poll, SealedBallot, VoterRoll
        from zhijia.voting.tests.encrypted_support import decrypt_in_process

        statuses = Counter(status for _i, status, _d, _s in results)
        ok_by_voter: Counter[int] = Counter()
        trackers_told: dict[int, str] = {}
        for index, status, data, _s in results:
            if status == 200:
                ok_by_voter[index] += 1
                trackers_told[index] = json.loads(data)["tracker"]
        failed = [i for i in range(len(voters)) if ok_by_voter[i] == 0]
        chair = ensure_demo_accounts()["chair"]
        item = AgendaItem.objects.get(poll_id=poll_id)
        congress_agenda.do_close_item_vote(actor=chair, item=item)
        poll = Poll.objects.get(pk=poll_id)
        started = time.perf_counter()
        decrypt_in_process(poll, keys)  # two of the three scrutineers
        decrypt_seconds = time.perf_counter() - started
        poll.refresh_from_db()
        ballots = SealedBallot.objects.filter(poll=poll).count()
        marked = set(
            VoterRoll.objects.filter(poll=poll, voted=True).values_list("user_id", flat=True)
        )
        published = set(voting_queries.published_trackers(poll))
        told_ok = [i for i, n in ok_by_voter.items() if n >= 1]
        missing_marker = [i for i in told_ok if voters[i][0] not in marked]
        missing_tracker = [i for i in told_ok if trackers_told[i] not in published]
        lost = max(0, len(told_ok) - ballots) + len(missing_marker) + len(missing_tracker)
        doubled = max(0, ballots - len(told_ok)) + sum(1 for n in ok_by_voter.values() if n > 1)
        doubled += max(0, ballots - len(marked))
        result = voting_queries.results_for(poll)
        expected = Counter(wanted[i] for i in told_ok)
        counted = {o: result.tally.counts.get(o, 0) for o in ("yes", "no", "abstain")}
        miscounted = sum(abs(counted[o] - expected.get(o, 0)) for o in counted)

        latencies = [s * 1000 for _i, _st, _d, s in results]
        me_ok = sum(1 for status, _d, _s in me_results if status == 200)
        cast_rps = len(results) / vote_seconds
        me_rps = len(me_results) / me_seconds
        ballots_per_s = len(told_ok) / vote_seconds
        print(
            f"vote phase: {len(results)} cast requests ({len(twice)} voters sent theirs twice "
            f"at once) in {vote_seconds:.2f} s: {dict(sorted(statuses.items()))}"
        )
        print(
            f"  counted ballots {ballots}, published trackers {len(published)}, roll markers "
            f"{len(marked)}, voters told 'counted' {len(told_ok)}, voters without success "
            f"{len(failed)}; decrypted tally {counted} in {decrypt_seconds:.1f} s, "
            f"{'as cast' if not miscounted else f'{miscounted} OFF the choices cast'}"
        )
        print(
            f"  cast latency p50 {percentile(latencies, 50):.1f} ms, p90 "
            f"{percentile(latencies, 90):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, max "
            f"{max(latencies):.1f} ms, mean {statistics.fmean(latencies):.1f} ms"
        )
        print(
            f"  within one minute: {'yes' if vote_seconds <= 60 else 'NO'}; "
            f"cast requests/s {cast_rps:.1f}"
        )
        print(
            f"trivial phase: {len(me_results)} GET /api/v1/me in {me_seconds:.2f} s "
            f"({me_ok} ok): {me_rps:.1f} requests/s"
        )
        ok = lost == 0 and doubled == 0 and not failed and me_ok == len(me_results)
        ok = ok and miscounted == 0
        if failed:
            sample = [r for r in results if r[0] == failed[0]]
            print(f"ERROR: {len(failed)} voters got no success; e.g. {sample[0][1:3]}")
        print(
            f"ballots_per_s={ballots_per_s:.1f} p50_ms={percentile(latencies, 50):.1f} "
            f"p99_ms={percentile(latencies, 99):.1f} lost={lost} doubled={doubled} "
            f"ratio_to_trivial={cast_rps / me_rps:.2f}"
        )
        connections.close_all()
        return 0 if ok else 1
    finally:
        if server is not None:
            stop_server(server)
        if pg_name:
            from django.db import connections

            connections.close_all()
            drop_pg_database(ns.database_url, pg_name)
        if ns.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
