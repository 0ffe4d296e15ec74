"""Benchmark: the activity registration storm (issue #13: registration never exceeds capacity,
also when a thousand workers press "register" in the same second), over HTTP against a real
`zhijia serve`.

    python bench/registration_storm.py [--db sqlite|postgres] [--workers-n 1000]
                                       [--capacity 200] [--clients 50] [--duplicates 0.1]
                                       [--database-url postgres://...] [--workers N]
                                       [--threads N] [--keep]

1. A fresh data directory (SQLite) or a throwaway PostgreSQL database created next to the one
   in --database-url / DATABASE_URL (dropped at the end); migrations applied (or, while the
   models are ahead of the committed migrations, the tables created from the models).
2. Seeds, fast (bulk inserts, one precomputed password hash, API tokens): the demo union,
   N members of branch 1 with accounts and bearer tokens, and one activity of branch 1 with
   capacity C, published through the actions, registration open.
3. Starts the real CLI, `zhijia serve`, on a free loopback port (gunicorn, gthread).
4. The storm: the N members register over HTTP (POST
   /api/v1/services/activities/{id}/register with their bearer tokens) from a pool of
   --clients threads, each with its own keep-alive connection. A fraction of them
   (--duplicates) presses twice, concurrently: exactly one may succeed (201), the other 409.
5. The server is stopped and the database is checked against the answers:
   over_capacity = places held (registered + offered) beyond C;
   doubled = registrations beyond one per member, members told 201 twice, and waiting-list
   positions given twice.

Prints the figures and ends with one line:

    registrations_per_s=... p50_ms=... p99_ms=... over_capacity=0 doubled=0
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


def seed(n: int, capacity: int) -> tuple[int, list[tuple[int, str]]]:
    """The union, n members of branch 1 with accounts and tokens, an activity open for
    registration. Returns the activity id and (user id, bearer token) per member."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from zhijia.accounts.models import ApiToken
    from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Member
    from zhijia.services.actions import activities as actions

    units = ensure_demo_structure()
    branch1 = ensure_demo_accounts()["branch1"]
    groups = [u for code, u in units.items() if code.startswith("B1-G")]
    user_model = get_user_model()
    password = make_password(secrets.token_urlsafe(16))  # one hash for everyone: seeding only
    with transaction.atomic():
        user_model.objects.bulk_create(
            user_model(username=f"bench-act-{i:05d}", full_name=f"职工{i}", password=password)
            for i in range(n)
        )
        users = list(
            user_model.objects.filter(username__startswith="bench-act-").order_by("username")
        )
        Member.objects.bulk_create(
            Member(
                employee_no=f"A{i:06d}",
                name=f"职工{i}",
                gender="F" if i % 3 == 0 else "M",
                org_unit=groups[i % len(groups)],
                user=users[i],
            )
            for i in range(n)
        )
        tokens = [secrets.token_urlsafe(32) for _ in users]
        ApiToken.objects.bulk_create(
            ApiToken(user=u, key_hash=ApiToken.hash_key(t))
            for u, t in zip(users, tokens, strict=True)
        )
        now = timezone.now()
        starts = now + dt.timedelta(days=7)
        activity = actions.do_create_activity(
            actor=branch1,
            title="职工登山比赛",
            description="",
            kind="sports",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=4),
            place="西山森林公园",
            org_unit=units["B1"],
            audience_units=[],
            club=None,
            capacity=capacity,
            opens_at=now - dt.timedelta(minutes=5),
            closes_at=starts - dt.timedelta(days=1),
            fee="",
            draw=False,
            offer_hours=24,
        )
        activity = actions.do_publish_activity(actor=branch1, activity=activity)
    return activity.pk, [(u.pk, t) for u, t in zip(users, tokens, strict=True)]


# --- main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workers-n", type=int, default=1000, help="members registering")
    parser.add_argument("--capacity", type=int, default=200)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duplicates", type=float, default=0.1, help="share pressing twice")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=None, help="gunicorn threads per worker")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    ns = parser.parse_args()
    if ns.db == "postgres" and not ns.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--db postgres needs --database-url or DATABASE_URL (postgres://...)")

    workdir = Path(tempfile.mkdtemp(prefix="zj-bench-reg-"))
    os.environ["ZHIJIA_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijia.settings")
    os.environ.pop("ZHIJIA_DEBUG", None)
    pg_name = ""
    server = None
    try:
        if ns.db == "postgres":
            pg_name, os.environ["DATABASE_URL"] = create_pg_database(ns.database_url, "reg")
        else:
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.db import connection, connections

        how = build_schema()
        started = time.perf_counter()
        activity_id, members = seed(ns.workers_n, ns.capacity)
        print(
            f"seeded {len(members)} members with accounts and tokens, activity {activity_id} "
            f"with {ns.capacity} places open, in {time.perf_counter() - started:.1f} s; "
            f"schema: {how}; database: {connection.vendor}"
        )
        connections.close_all()

        port = free_port()
        env = dict(os.environ)
        server = start_server(port, env, workdir / "serve.log", ns.workers, ns.threads)
        print(
            f"zhijia serve on {HOST}:{port} (workers={ns.workers or 'default'}, "
            f"threads={ns.threads or 'default'}); {ns.clients} client threads"
        )
        clients = Clients(port)
        path = f"/api/v1/services/activities/{activity_id}/register"
        rng = random.Random(20261205)
        twice = set(rng.sample(range(len(members)), int(len(members) * ns.duplicates)))

        def press(index: int):
            _user_id, token = members[index]
            status, data, seconds = clients.request("POST", path, token, b"{}")
            return index, status, data, seconds

        tasks = [lambda i=i: press(i) for i in range(len(members))]
        tasks += [lambda i=i: press(i) for i in twice]
        rng.shuffle(tasks)
        with ThreadPoolExecutor(ns.clients) as pool:
            results, seconds = run_phase(pool, tasks)
        stop_server(server)
        server = None

        # --- verification ------------------------------------------------------------------------
        from django.db.models import Count

        from zhijia.services.models import ActivityRegistration

        statuses = Counter(status for _i, status, _d, _s in results)
        ok_by_member: Counter[int] = Counter()
        told: Counter[str] = Counter()
        for index, status, data, _s in results:
            if status == 201:
                ok_by_member[index] += 1
                told[json.loads(data)["status"]] += 1
        failed = [i for i in range(len(members)) if ok_by_member[i] == 0]
        regs = ActivityRegistration.objects.filter(activity_id=activity_id)
        held = regs.filter(status__in=ActivityRegistration.HOLDING).count()
        by_status = dict(regs.values_list("status").annotate(n=Count("id")).order_by("status"))
        over_capacity = max(0, held - ns.capacity)
        per_member = regs.values("member_id").annotate(n=Count("id")).filter(n__gt=1).count()
        positions = list(regs.exclude(position=None).values_list("position", flat=True))
        doubled = (
            per_member
            + sum(1 for n in ok_by_member.values() if n > 1)
            + (len(positions) - len(set(positions)))
        )
        consistent = (
            told["registered"] == by_status.get("registered", 0)
            and told["waiting"] == by_status.get("waiting", 0)
            and held == min(ns.capacity, len(members))
        )

        latencies = [s * 1000 for _i, _st, _d, s in results]
        registrations_per_s = sum(ok_by_member.values()) / seconds
        print(
            f"storm: {len(results)} register requests ({len(twice)} members pressed twice at "
            f"once) in {seconds:.2f} s: {dict(sorted(statuses.items()))}"
        )
        print(
            f"  database: {by_status}; places held {held} of {ns.capacity}; answers: "
            f"{dict(told)}; members without success {len(failed)}; answers agree with the "
            f"database: {'yes' if consistent else 'NO'}"
        )
        print(
            f"  latency p50 {percentile(latencies, 50):.1f} ms, p90 "
            f"{percentile(latencies, 90):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, max "
            f"{max(latencies):.1f} ms, mean {statistics.fmean(latencies):.1f} ms; "
            f"requests/s {len(results) / seconds:.1f}"
        )
        ok = over_capacity == 0 and doubled == 0 and not failed and consistent
        if failed:
            sample = [r for r in results if r[0] == failed[0]]
            print(f"ERROR: {len(failed)} members got no success; e.g. {sample[0][1:3]}")
        print(
            f"registrations_per_s={registrations_per_s:.1f} "
            f"p50_ms={percentile(latencies, 50):.1f} p99_ms={percentile(latencies, 99):.1f} "
            f"over_capacity={over_capacity} doubled={doubled}"
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
