"""Benchmark: roster import of 100,000 rows (DESIGN.md: under 60 s on the 2-core machine).

    python bench/import_members.py [--db sqlite|postgres] [--rows 100000]
                                   [--new-departments 0] [--database-url postgres://...]
                                   [--reimport] [--keep]

Generates a valid roster .xlsx (deterministic; valid ID checksums; some full-width characters,
stray spaces and written dates so normalisation does real work; generation is not timed),
then imports it into a fresh database through the CLI's code path (the `import_members`
management command, with --create-missing; every member gets an account) and prints rows per
second. --new-departments N makes the file name N departments the database lacks (a first
import from a new HR system), created by the import. SQLite: a new database in a temporary data
directory. PostgreSQL: a throwaway database created next to the one in --database-url or
DATABASE_URL, dropped at the end. Ends with one line:

    rows=100000 seconds=... rows_per_s=... cpu_seconds=... db=sqlite

cpu_seconds is the benchmark process's CPU time during the import (the database is in-process
for SQLite): steadier than the wall time on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强春梅海燕文博子涵浩然欣怡"
JOBS = [
    "运行值班员",
    "检修工",
    "电气试验工",
    "调度员",
    "线路工",
    "变电运维",
    "会计",
    "营销专员",
    "司机",
]
KINDS = ["正式", "正式工", "劳务派遣", "返聘", "临时", "实习"]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(i: int, gender: str) -> str:
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=i // 500)
    seq = (i % 500) * 2 + (1 if gender == "M" else 0)
    first17 = f"3301{(i // 250_000) % 100:02d}{birth:%Y%m%d}{seq:03d}"
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def generate(path: Path, rows: int, units: list[str], departments: list[str]) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["工号", "姓名", "性别", "身份证号码", "手机号", "所属工会", "部门", "岗位",
                  "用工性质", "入会日期", "月工资收入", "备注"])  # fmt: skip
    for i in range(rows):
        gender = "M" if i % 2 else "F"
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        if i % 3 == 0:
            name += GIVEN[(i * 13) % len(GIVEN)]
        number = id_number(i, gender)
        employee_no = f"B{i:06d}"
        phone = f"139{i:08d}"
        joined: object = dt.date(2000 + i % 24, 1 + i % 12, 1 + i % 28)
        if i % 10 == 1:  # some of the mess an HR export carries
            employee_no, name = full_width(employee_no), name[0] + "\u3000" + name[1:]
            number = number.lower()
            phone = f"+86 {phone[:3]}-{phone[3:7]}-{phone[7:]}"
            joined = f"{2000 + i % 24}年{1 + i % 12}月{1 + i % 28}日"
        elif i % 10 == 2:
            joined = f"{2000 + i % 24}.{1 + i % 12:02d}.{1 + i % 28:02d}"
        wage: object = 4000 + (i * 37) % 9000
        if i % 10 == 3:
            wage = f"¥{wage:,}.00"
        sheet.append(
            [
                employee_no,
                name,
                "男" if gender == "M" else "女",
                number,
                phone,
                units[i % len(units)],
                departments[i % len(departments)],
                JOBS[i % len(JOBS)],
                KINDS[i % len(KINDS)],
                joined,
                wage,
                "",
            ]
        )
    workbook.save(path)


def _maintenance_url(base_url: str) -> str:
    """The server's "postgres" database: the one in the URL need not exist yet."""
    return urlunsplit(urlsplit(base_url)._replace(path="/postgres"))


def create_pg_database(base_url: str) -> tuple[str, str]:
    import psycopg

    name = f"zhijia_bench_import_{os.getpid()}"
    parts = urlsplit(base_url)
    with psycopg.connect(_maintenance_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(parts._replace(path=f"/{name}"))


def drop_pg_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_maintenance_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_schema() -> str:
    """Apply migrations; when the models are ahead of the committed migrations (while the
    modules are being built), create the tables straight from the models instead."""
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command

    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
        up_to_date = True
    except SystemExit:
        up_to_date = False
    if up_to_date:
        call_command("migrate", interactive=False, verbosity=0)
        return "migrate"
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    return "migrate --run-syncdb (models ahead of migrations)"


def timed_import(path: Path, label: str) -> tuple[float, float]:
    from django.core.management import call_command

    out = io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    call_command("import_members", str(path), "--create-missing", stdout=out, stderr=sys.stderr)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label}: {out.getvalue().strip()} in {seconds:.1f} s (CPU {cpu:.1f} s)")
    return seconds, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--new-departments", type=int, default=0, help="departments the database lacks"
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--reimport", action="store_true", help="also time a re-import")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    ns = parser.parse_args()

    if ns.db == "postgres" and not ns.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--db postgres needs --database-url or DATABASE_URL (postgres://...)")
    workdir = Path(tempfile.mkdtemp(prefix="zj-bench-import-"))
    os.environ["ZHIJIA_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijia.settings")
    pg_name = ""
    try:
        if ns.db == "postgres":
            pg_name, os.environ["DATABASE_URL"] = create_pg_database(ns.database_url)
        else:
            os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.db import connection

        from zhijia.org.demo import BRANCHES, DEPARTMENTS, ensure_demo_structure
        from zhijia.org.models import Member

        how = build_schema()
        ensure_demo_structure()
        # Units by name and by code, departments by name and by code, as HR files mix them.
        units = [name for _code, _name, groups in BRANCHES for name in groups[:2]]
        units += [f"{code}-G{g}" for code, _name, _groups in BRANCHES for g in (3, 4)]
        departments = [name for _code, name in DEPARTMENTS] + [c for c, _ in DEPARTMENTS[:2]]
        departments += [f"新部门{k:02d}" for k in range(ns.new_departments)]

        path = workdir / "roster.xlsx"
        started = time.perf_counter()
        generate(path, ns.rows, units, departments)
        print(
            f"generated {ns.rows} rows ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s (not timed); schema: {how}; "
            f"database: {connection.vendor} {connection.settings_dict['NAME']}"
        )

        seconds, cpu = timed_import(path, "import")
        imported = Member.objects.count()
        if imported != ns.rows:
            print(f"ERROR: {imported} members in the database, expected {ns.rows}")
            return 1
        if Member.objects.filter(user__isnull=True).exists():
            print("ERROR: members without an account")
            return 1
        rate = ns.rows / seconds
        print(f"{ns.rows} rows in {seconds:.1f} s: {rate:,.0f} rows/s")
        if ns.reimport:
            again, _cpu = timed_import(path, "re-import (nothing changed)")
            print(f"re-import: {ns.rows / again:,.0f} rows/s")
        connection.close()
        print(
            f"rows={ns.rows} seconds={seconds:.2f} rows_per_s={rate:.0f} "
            f"cpu_seconds={cpu:.2f} db={ns.db}"
        )
        return 0
    finally:
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
