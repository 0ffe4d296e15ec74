"""Benchmark: global search and dashboard figures over 1,000,000 members and 1,000,000
grievances (DESIGN.md "Figures that matter": search under 100 ms at p95, dashboards under
300 ms, on the 2-core machine).

    python bench/dashboard_search.py [--db sqlite|postgres] [--members 1000000]
                                     [--grievances N (default: as many as members)]
                                     [--repeat 3] [--database-url postgres://...] [--keep]
                                     [--reuse DATA_DIR [--reuse-db NAME]]

1. A fresh data directory (SQLite) or a throwaway PostgreSQL database created next to the one
   in --database-url / DATABASE_URL (dropped at the end); migrations applied; the demo union
   and its accounts (the enterprise chair `chair`, the branch chair `branch1`).
2. Loads the members and the grievances with bulk paths, timed: rows built from one template
   row per model (the ORM's own prepared values), then executemany in big batches in one
   transaction (SQLite) or COPY (PostgreSQL); their search entries the same way, segmented as
   `zhijia.core.search.segment` does (each distinct name or text cut once; checked against
   the ORM path on a sample). SQLite: the FTS5 triggers are dropped during the load and the
   index rebuilt once; PostgreSQL: the search indexes are made after the load. Members are
   spread over the twelve union groups of three branches; grievances likewise, in all states.
3. Global search as the page runs it (`zhijia.core.searchables.search_all`: every declared
   type, each within the user's scope, each hit re-checked by its module), over a fixed set
   of queries (names, pinyin, initials, 工号, grievance words), as the branch chair and as the
   enterprise chair, --repeat times each after one warm-up: p50 / p95 / max.
4. Dashboards as the page reads them (zhijia.dashboard.queries.dashboard: every declared
   figure through the dashboards' cache, zhijia.core.figure_cache) as the enterprise chair and
   as branch1, --repeat times after one warm-up; the same figures computed without the cache
   (the first view of a unit and period); views each after a new grievance (the page shows
   the figures reading grievances as last counted, marked, and queues their counting: the
   worker's time to count them is measured apart); the exports' view after a new grievance
   (always counted on the data); the slowest figure uncached. With no figure declared, it
   says so (figures=0).

Ends with one line:

    members=... grievances=... load_s=... search_p50_ms=... search_p95_ms=...
    search_branch_p95_ms=... search_chair_p95_ms=... search_cpu_p95_ms=... figures=...
    dashboard_p95_ms=... dashboard_cpu_p95_ms=... dashboard_uncached_p95_ms=...
    dashboard_after_write_p95_ms=... dashboard_worker_p95_ms=...
    dashboard_export_after_write_p95_ms=... db=...
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storm import (  # noqa: E402  (bench/storm.py: what the benchmarks share)
    build_schema,
    create_pg_database,
    drop_pg_database,
    percentile,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志春梅海燕文博子涵浩然欣怡"
TOPICS = [
    "加班工资没有按时足额发放",
    "食堂饭菜质量差价格偏高",
    "宿舍空调坏了一直没人修",
    "劳动合同到期未续签",
    "社保缴费基数低于实际工资",
    "夜班补贴标准多年未调整",
    "安全帽和劳保用品发放不足",
    "工伤认定材料迟迟不给盖章",
    "年休假申请被拒绝",
    "倒班人员休息时间不足",
    "女职工产假工资被扣",
    "劳务派遣工同工不同酬",
]
PLACES = ["一车间", "二车间", "检修班", "运行部", "调度中心", "仓库", "营销部", "办公楼", "变电站"]
STATES = ["submitted", "assigned", "answered", "closed", "closed", "closed"]
CATEGORIES = ["wages", "social_insurance", "working_hours", "contract", "safety", "other"]
QUERIES = [
    "张伟",
    "王芳",
    "李秀英",
    "zhangwei",
    "wangfang",
    "zw",
    "lxy",
    "M0012345",
    "加班",
    "加班工资",
    "食堂饭菜",
    "宿舍空调",
    "劳动合同续签",
    "社保缴费",
    "夜班补贴",
    "工伤认定",
    "年休假",
    "劳务派遣同工同酬",
    "检修班 安全帽",
    "产假",
]
BATCH = 50_000


def member_name(i: int) -> str:
    """A plausible name, the same for the same i (a multiplicative hash spreads the
    combinations: about 75,000 distinct names)."""
    h = (i * 2654435761) % 2**32
    name = SURNAMES[h % len(SURNAMES)] + GIVEN[(h // 64) % len(GIVEN)]
    if (h >> 20) % 3 == 0:
        name += GIVEN[(h >> 12) % len(GIVEN)]
    return name


def _spread(i: int) -> int:
    return (i * 2654435761 + 12345) % 2**32


def grievance_text(i: int) -> str:
    """One of 108 texts (a place and a topic), independent of the grievance's unit."""
    h = _spread(i)
    return (
        f"{PLACES[(h >> 16) % len(PLACES)]}{TOPICS[(h >> 8) % len(TOPICS)]}，请工会帮助协调解决。"
    )


# --- bulk rows --------------------------------------------------------------------------------


def template(model, obj, connection) -> tuple[list[str], list]:
    """The columns of `model` and the values the ORM would write for `obj` (prepared)."""
    fields = [f for f in model._meta.concrete_fields]
    columns = [f.column for f in fields]
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    return columns, values


class Rows:
    """Rows from a template: `make(i)` returns {column: value} overrides."""

    def __init__(self, columns: list[str], values: list, make) -> None:
        self.columns, self.values, self.make = columns, values, make
        self.index = {c: k for k, c in enumerate(columns)}

    def __call__(self, n: int, start: int = 0) -> Iterator[tuple]:
        for i in range(start, start + n):
            row = list(self.values)
            for column, value in self.make(i).items():
                row[self.index[column]] = value
            yield tuple(row)


def write_rows(connection, table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """executemany in batches (SQLite) or COPY (PostgreSQL); returns how many."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    done = 0
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                done += 1
        return done
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({placeholders})"  # noqa: S608
    batch: list[tuple] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                done += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            done += len(batch)
    return done


class Cut:
    """search.segment, once per distinct text."""

    def __init__(self) -> None:
        from zhijia.core.search import segment

        self.segment = segment
        self.cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self.segment(text)
        return found


def load(connection, n_members: int, n_grievances: int) -> dict:
    from django.utils import timezone

    from zhijia.cases.models import Grievance
    from zhijia.cases.rules import summary
    from zhijia.core import search_sql, searchables
    from zhijia.core.models import SearchEntry
    from zhijia.org.models import Member, OrgUnit
    from zhijia.org.search import name_initials, name_pinyin

    groups = list(OrgUnit.objects.filter(kind="group").order_by("code"))
    now = timezone.now()
    today = now.date()
    cut = Cut()
    keys: dict[str, tuple[str, str]] = {}

    def pinyin(name: str) -> tuple[str, str]:
        if name not in keys:
            keys[name] = (name_pinyin(name), name_initials(name))
        return keys[name]

    proto_member = Member(
        employee_no="X",
        name="模板",
        gender="M",
        org_unit=groups[0],
        job="职工",
        employment_type=Member.EmploymentType.REGULAR,
        join_date=dt.date(2015, 6, 1),
        status=Member.Status.ACTIVE,
    )
    proto_member.set_id_number("110101198001010011")
    m_columns, m_values = template(Member, proto_member, connection)
    first_member = (Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def member_row(i: int) -> dict:
        name = member_name(i)
        full, initials = pinyin(name)
        unit = groups[i % len(groups)]
        return {
            "id": first_member + i,
            "employee_no": f"M{i:07d}",
            "name": name,
            "name_pinyin": full,
            "name_initials": initials,
            "gender": "M" if i % 2 else "F",
            "id_number_digest": None,
            "org_unit_id": unit.pk,
        }

    proto_grievance = Grievance(
        kind="grievance",
        category="wages",
        text="模板",
        org_unit=groups[0],
        handling_unit=groups[0].parent,
        received_on=today,
        state="submitted",
    )
    g_columns, g_values = template(Grievance, proto_grievance, connection)
    first_account, n_accounts = submitters(n_members)
    branch_of = {g.pk: g.parent for g in groups}

    def grievance_row(i: int) -> dict:
        unit = groups[_spread(i) % len(groups)]
        received = today - dt.timedelta(days=i % 365)
        return {
            "id": 10**12 + i,
            "number": f"SQ{received.year}-B{i:07d}",
            "category": CATEGORIES[i % len(CATEGORIES)],
            "text": grievance_text(i),
            "is_anonymous": i % 10 == 0,
            # An anonymous grievance has no submitter; the others one of the workers' accounts.
            "submitter_id": None if i % 10 == 0 else first_account + i % n_accounts,
            "org_unit_id": unit.pk,
            "handling_unit_id": branch_of[unit.pk].pk,
            "received_on": received,
            "state": STATES[i % len(STATES)],
            "state_changed_at": now,
            "deadline_at": now + dt.timedelta(days=10 - i % 20),
        }

    paths = {u.pk: u.path for u in OrgUnit.objects.all()}
    e_columns = [
        "target_type",
        "target_id",
        "unit_path",
        "also_path",
        "title",
        "body",
        "title_segmented",
        "body_segmented",
        "updated_at",
    ]
    stamp = SearchEntry._meta.get_field("updated_at").get_db_prep_save(now, connection)

    def member_entries() -> Iterator[tuple]:
        for i in range(n_members):
            r = member_row(i)
            title = f"{r['name']}（{r['employee_no']}）"
            text = f"{r['name_pinyin']} {r['name_initials']} {r['employee_no']}"
            title_cut = f"{cut(r['name'])} {r['employee_no']}"
            yield (
                "org.member",
                str(r["id"]),
                paths[r["org_unit_id"]],
                None,
                title,
                text,
                title_cut,
                text,
                stamp,
            )

    def grievance_entries() -> Iterator[tuple]:
        for i in range(n_grievances):
            r = grievance_row(i)
            title = f"{r['number']} {summary(r['text'])}"
            yield (
                "cases.grievance",
                str(r["id"]),
                paths[r["org_unit_id"]],
                paths[r["handling_unit_id"]],
                title,
                r["text"],
                f"{cut(r['number'])} {cut(summary(r['text']))}",
                cut(r["text"]),
                stamp,
            )

    # The bulk path's entries equal the ORM path's (zhijia.core.search.entry) on a sample.
    from zhijia.core.search import entry

    for rows, sample in ((member_entries(), 50), (grievance_entries(), 50)):
        for _k, row in zip(range(min(sample, n_members, n_grievances)), rows, strict=False):
            orm = entry(row[0], row[1], title=row[4], text=row[5], unit_path=row[2])
            assert (orm.title_segmented, orm.body_segmented) == (row[6], row[7]), row

    from django.db import transaction

    timings = {}
    started = time.perf_counter()
    with transaction.atomic():
        write_rows(
            connection,
            Member._meta.db_table,
            m_columns,
            Rows(m_columns, m_values, member_row)(n_members),
        )
    timings["members"] = time.perf_counter() - started
    mark = time.perf_counter()
    with transaction.atomic():
        write_rows(
            connection,
            Grievance._meta.db_table,
            g_columns,
            Rows(g_columns, g_values, grievance_row)(n_grievances),
        )
    timings["grievances"] = time.perf_counter() - mark
    mark = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in search_sql.SQLITE_BACKWARD[:3]:  # the triggers; the index is rebuilt
                cursor.execute(sql)
    else:
        search_sql.drop_postgres_indexes(connection)  # made again after the load
    with transaction.atomic():
        write_rows(connection, SearchEntry._meta.db_table, e_columns, member_entries())
        write_rows(connection, SearchEntry._meta.db_table, e_columns, grievance_entries())
    timings["entries"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            search_sql.rebuild_sqlite_index(connection)
        search_sql.ensure_search_schema(connection, [s.type for s in searchables.declared()])
        cursor.execute("ANALYZE")
    timings["index"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return timings


def submitters(n_members: int) -> tuple[int, int]:
    """(first id, count) of the workers' accounts that submit the grievances: one per hundred
    members, created in one go (a grievance is submitted by a worker signed in, so the
    database's statistics see many submitters, as in a union's real data)."""
    from zhijia.accounts.models import User

    count = max(1, n_members // 100)
    first = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    User.objects.bulk_create(
        [User(pk=first + k, username=f"bench{k:07d}", password="!") for k in range(count)],
        batch_size=5000,
    )
    return first, count


# --- measuring --------------------------------------------------------------------------------


CPU_MS: list[float] = []  # the process's CPU time of each measured call (see measure)


def measure(fn, repeat: int) -> list[float]:
    """Wall milliseconds of `repeat` calls after a warm-up; their CPU milliseconds go to
    CPU_MS (steadier than the wall time on a shared machine; on SQLite the database runs in
    this process, on PostgreSQL the server's time is not in it)."""
    fn()  # warm-up
    out = []
    for _ in range(repeat):
        t, cpu = time.perf_counter(), time.process_time()
        fn()
        out.append((time.perf_counter() - t) * 1000)
        CPU_MS.append((time.process_time() - cpu) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--grievances", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--keep", action="store_true", help="keep the data directory (and the PostgreSQL database)"
    )
    parser.add_argument(
        "--reuse",
        default="",
        help="measure a database kept by --keep instead of loading one: its data directory "
        "(and with --db postgres, --reuse-db its database name); migrations are applied first",
    )
    parser.add_argument("--reuse-db", default="", help="with --reuse and --db postgres")
    ns = parser.parse_args()
    n_grievances = ns.members if ns.grievances is None else ns.grievances

    if ns.db == "postgres" and not ns.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--db postgres needs --database-url or DATABASE_URL (postgres://...)")
    if ns.reuse and ns.db == "postgres" and not ns.reuse_db:
        parser.error("--reuse with --db postgres needs --reuse-db (the kept database's name)")
    workdir = Path(ns.reuse or tempfile.mkdtemp(prefix="zj-bench-search-"))
    os.environ["ZHIJIA_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijia.settings")
    pg_name = ""
    keep = ns.keep or bool(ns.reuse)
    try:
        if ns.db == "postgres" and ns.reuse:
            pg_name = ns.reuse_db
            os.environ["DATABASE_URL"] = urlunsplit(
                urlsplit(ns.database_url)._replace(path=f"/{pg_name}")
            )
        elif ns.db == "postgres":
            pg_name, os.environ["DATABASE_URL"] = create_pg_database(ns.database_url, "search")
        else:
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.db import connection

        from zhijia.core import figures, searchables
        from zhijia.org.demo import ensure_demo_accounts, ensure_demo_structure
        from zhijia.org.models import OrgUnit

        how = build_schema()
        ensure_demo_structure()
        personas = ensure_demo_accounts()
        if ns.reuse:
            from zhijia.cases.models import Grievance
            from zhijia.org.models import Member

            ns.members, n_grievances = Member.objects.count(), Grievance.objects.count()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            print(
                f"schema: {how}; database: {connection.vendor} "
                f"{connection.settings_dict['NAME']} reused: {ns.members:,} members and "
                f"{n_grievances:,} grievances"
            )
            timings = {"total": 0.0}
        else:
            print(
                f"schema: {how}; database: {connection.vendor} "
                f"{connection.settings_dict['NAME']}; loading {ns.members:,} members and "
                f"{n_grievances:,} grievances"
            )
            timings = load(connection, ns.members, n_grievances)
            print(
                "load: "
                + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
                + f" ({(ns.members + n_grievances) / timings['total']:,.0f} records/s with "
                "entries)"
            )

        search_ms: dict[str, list[float]] = {}
        hits: dict[str, int] = {}
        search_cpu: list[float] = []
        for persona in ("branch1", "chair"):
            user = personas[persona]
            times: list[float] = []
            CPU_MS.clear()
            for query in QUERIES:

                def run(user=user, query=query):
                    return searchables.search_all(user, query)

                times += measure(run, ns.repeat)
                hits[f"{persona}:{query}"] = run().total
            search_ms[persona] = times
            search_cpu += CPU_MS
            print(
                f"search as {persona}: {len(QUERIES)} queries × {ns.repeat}: "
                f"p50 {statistics.median(times):.1f} ms, p95 {percentile(times, 95):.1f} ms, "
                f"max {max(times):.1f} ms (CPU p95 {percentile(CPU_MS, 95):.1f} ms)"
            )
        print(
            "hits (branch1 / chair): "
            + ", ".join(f"{q} {hits[f'branch1:{q}']}/{hits[f'chair:{q}']}" for q in QUERIES)
        )
        slowest = sorted(
            ((percentile(search_ms[p][k * ns.repeat : (k + 1) * ns.repeat], 95), p, q)
             for p in search_ms for k, q in enumerate(QUERIES)),
            reverse=True,
        )[:5]  # fmt: skip
        print("slowest queries: " + ", ".join(f"{q} as {p} {ms:.0f} ms" for ms, p, q in slowest))

        declared = figures.declared()
        year = dt.date.today().year
        scopes = {
            code: figures.Scope(
                unit_path=OrgUnit.objects.get(code=code).path,
                start=dt.date(year, 1, 1),
                end=dt.date(year, 12, 31),
            )
            for code in ("U", "B1")
        }
        # The page's path (zhijia.dashboard.queries.dashboard, behind_ok as the page asks):
        # every figure through the dashboards' cache (zhijia.core.figure_cache), as the chair
        # (the enterprise) and as branch1 (branch 1). Uncached: every figure counted from the
        # records (the first view of a unit and period). After a write: one new grievance
        # before each view; the page shows the figures reading grievances as last counted,
        # marked, and queues their counting; the worker's time to count them again is
        # measured too, and the exports' view after a write (always counted on the data).
        from django_tasks_db.models import DBTaskResult

        from zhijia.cases.models import Grievance
        from zhijia.core import figure_cache
        from zhijia.dashboard import queries as board_queries

        viewers = {"U": personas["chair"], "B1": personas["branch1"]}
        units = {code: OrgUnit.objects.get(code=code) for code in viewers}
        dashboard_ms: list[float] = []
        CPU_MS.clear()
        for code, viewer in viewers.items():
            dashboard_ms += measure(
                lambda v=viewer, u=units[code]: board_queries.dashboard(v, u, year, behind_ok=True),
                ns.repeat,
            )
        dashboard_cpu = list(CPU_MS)
        # Uncached: every figure counted from the records, each timed (the slowest figure) and
        # the whole dashboard as their sum, --repeat times after one warm-up.
        uncached_ms: list[float] = []
        figure_ms: dict[str, list[float]] = {f.key: [] for f in declared}
        for scope in scopes.values():
            for k in range(ns.repeat + 1):
                total = 0.0
                for f in declared:
                    t = time.perf_counter()
                    f.compute(scope)
                    elapsed = (time.perf_counter() - t) * 1000
                    total += elapsed
                    if k:
                        figure_ms[f.key].append(elapsed)
                if k:
                    uncached_ms.append(total)
        group = OrgUnit.objects.get(code="B1-G1")

        def new_grievance() -> None:
            Grievance.objects.create(
                kind="grievance",
                category="wages",
                text="加班工资",
                org_unit=group,
                handling_unit=group,
                received_on=dt.date(year, 1, 2),
                state="submitted",
            )

        def run_queued() -> int:
            """What the worker does with the queued counts (their rows taken off the queue)."""
            queued = list(DBTaskResult.objects.filter(task_path__endswith="refresh_figure"))
            for task in queued:
                figure_cache.refresh(*task.args_kwargs["args"])
            DBTaskResult.objects.filter(pk__in=[t.pk for t in queued]).delete()
            return len(queued)

        after_write_ms: list[float] = []
        worker_ms: list[float] = []
        current_after_write_ms: list[float] = []
        behind = 0

        def timed_worker() -> None:
            t = time.perf_counter()
            if run_queued():
                worker_ms.append((time.perf_counter() - t) * 1000)

        for code, viewer in viewers.items():
            for k in range(ns.repeat + 1):  # the first one a warm-up
                timed_worker()  # the previous view's queue
                new_grievance()
                t = time.perf_counter()
                board = board_queries.dashboard(viewer, units[code], year, behind_ok=True)
                if k:
                    after_write_ms.append((time.perf_counter() - t) * 1000)
                    behind += board.behind_since is not None
            timed_worker()

            def write_then_export(v=viewer, u=units[code]):
                new_grievance()
                return board_queries.dashboard(v, u, year)

            current_after_write_ms += measure(write_then_export, ns.repeat)
        figure_p95 = {key: percentile(times, 95) for key, times in figure_ms.items() if times}
        if declared:
            worst = max(figure_p95, key=figure_p95.__getitem__)
            print(
                f"dashboards: {len(declared)} figures for the enterprise and branch 1: "
                f"p95 {percentile(dashboard_ms, 95):.1f} ms per page (cached); "
                f"uncached p95 {percentile(uncached_ms, 95):.1f} ms; after a new grievance "
                f"p95 {percentile(after_write_ms, 95):.1f} ms ({behind} of "
                f"{len(after_write_ms)} views showed the last count, marked), the "
                f"worker counting again p95 {percentile(worker_ms, 95):.1f} ms, the exports' view "
                f"after a new grievance p95 {percentile(current_after_write_ms, 95):.1f} ms; "
                f"slowest figure uncached {worst} p95 {figure_p95[worst]:.1f} ms"
            )
        else:
            print("dashboards: no figure is declared (zhijia.core.figures.declared() is empty)")
        everything = search_ms["branch1"] + search_ms["chair"]
        connection.close()
        print(
            f"members={ns.members} grievances={n_grievances} "
            f"load_s={'reused' if ns.reuse else format(timings['total'], '.1f')} "
            f"search_p50_ms={statistics.median(everything):.1f} "
            f"search_p95_ms={percentile(everything, 95):.1f} "
            f"search_branch_p95_ms={percentile(search_ms['branch1'], 95):.1f} "
            f"search_chair_p95_ms={percentile(search_ms['chair'], 95):.1f} "
            f"search_cpu_p95_ms={percentile(search_cpu, 95):.1f} "
            f"figures={len(declared)} "
            f"dashboard_p95_ms={percentile(dashboard_ms, 95) if declared else 0:.1f} "
            f"dashboard_cpu_p95_ms={percentile(dashboard_cpu, 95) if declared else 0:.1f} "
            f"dashboard_uncached_p95_ms={percentile(uncached_ms, 95) if declared else 0:.1f} "
            f"dashboard_after_write_p95_ms={percentile(after_write_ms, 95) if declared else 0:.1f} "
            f"dashboard_worker_p95_ms={percentile(worker_ms, 95) if declared else 0:.1f} "
            f"dashboard_export_after_write_p95_ms="
            f"{percentile(current_after_write_ms, 95) if declared else 0:.1f} "
            f"db={ns.db}"
        )
        return 0
    finally:
        if pg_name:
            from django.db import connections

            connections.close_all()
            if keep:
                print(f"kept the database {pg_name}", file=sys.stderr)
            else:
                drop_pg_database(ns.database_url, pg_name)
        if keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
