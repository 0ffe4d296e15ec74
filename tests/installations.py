"""Installations of zhijia of their own for the tests that run the `zhijia` command in
subprocesses (backup and restore, crash recovery): a data directory, its database (SQLite, or
a database of its own on the PostgreSQL test server), each a copy of one migrated, empty
database.

Migrating an empty database runs every migration (about ten seconds); it is done once: for
SQLite once per test run, shared by the run's xdist workers; for PostgreSQL once per test
server and state of the migrations (a template database named after their digest, kept on the
server for the next run).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

ZHIJIA = str(Path(sys.executable).with_name("zhijia"))


def zhijia(
    env: dict[str, str], *args: str, check: bool = True, timeout: int = 300
) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [ZHIJIA, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"zhijia {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def installation(data_dir: Path, database_url: str | None, template: Path | None = None) -> dict:
    """A new installation in data_dir (its database at database_url, else SQLite), migrated.
    template: the data directory of a migrated, empty SQLite installation to start from (its
    database files are copied; migrating it again is then a no-op, seconds instead of a run
    of every migration); the keys are the new installation's own."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ZHIJIA_FIELD_KEYS"}}
    env["ZHIJIA_DATA_DIR"] = str(data_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    data_dir.mkdir(parents=True, exist_ok=True)
    if template is not None and not database_url:
        for db_file in template.glob("zhijia.sqlite3*"):
            shutil.copy(db_file, data_dir / db_file.name)
    # run-syncdb also covers apps whose migrations are still to be written. Every migration
    # from nothing takes about 90 s of one core (Django renders the model states of each
    # operation): on a CI machine shared with the browser run it has taken over 300 s.
    zhijia(env, "manage", "migrate", "--run-syncdb", "--noinput", "-v", "0", timeout=1200)
    return env


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` across the processes of the test run (xdist workers)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def empty_sqlite_installation(tmp_path_factory) -> Path:
    """A migrated, empty SQLite installation, to copy new installations from: made once per
    test run, in the directory the run's xdist workers share (a worker's own without xdist)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    data_dir = shared / "empty-installation"
    done = data_dir / "migrated"
    with _file_lock(shared / "empty-installation.lock"):
        if not done.exists():
            shutil.rmtree(data_dir, ignore_errors=True)
            installation(data_dir, None)
            done.touch()
    return data_dir


def query(env: dict[str, str], sql: str, params: tuple = ()) -> list[tuple]:
    """The rows of one SQL query (placeholders %s) on the installation's database, read
    directly: a check costs a query, not a `zhijia` process."""
    url = env.get("DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as conn:
            return conn.execute(sql, params).fetchall()
    import sqlite3

    conn = sqlite3.connect(Path(env["ZHIJIA_DATA_DIR"]) / "zhijia.sqlite3", timeout=30)
    try:
        return conn.execute(sql.replace("%s", "?"), params).fetchall()
    finally:
        conn.close()


def _postgres() -> tuple[dict, str]:
    db = settings.DATABASES["default"]
    conninfo = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    base = f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return conninfo, base


def _migrations_digest() -> str:
    """A digest of every migration file of the project: the schema an empty database has."""
    root = Path(__file__).resolve().parent.parent / "zhijia"
    digest = hashlib.sha256()
    for path in sorted(root.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


# The advisory lock under which the template is made and copied: CREATE DATABASE ... TEMPLATE
# fails while another session is connected to the template, a concurrent copy included.
_TEMPLATE_LOCK = 0x7A68696A  # "zhij"


def _postgres_template(conn, tmp_path: Path, base: str) -> str:
    """The name of the migrated, empty template database of the current migrations, made if
    missing (call with the advisory lock held). Templates of other migration states are
    dropped."""
    name = f"zhijia_own_template_{_migrations_digest()}"
    existing = {
        row[0]
        for row in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'zhijia_own_template_%'"
        )
    }
    for stale in existing - {name}:
        conn.execute(f'DROP DATABASE IF EXISTS "{stale}" WITH (FORCE)')
    if name not in existing:
        # Made under another name and renamed when complete: an interrupted run leaves no
        # half-migrated template behind.
        building = f"{name}_building"
        conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{building}"')
        installation(tmp_path / "template", f"{base}/{building}")
        conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    return name


def prepare_postgres_template(tmp_path: Path) -> str:
    """Make the migrated, empty template database of the current migrations if it is missing
    (under the advisory lock); its name. make test calls it (`python -m tests.installations`)
    before the test runs start, at normal priority: migrating inside the PostgreSQL run, which
    yields the processor to the others, took over five minutes on a busy machine."""
    import psycopg

    conninfo, base = _postgres()
    with psycopg.connect(autocommit=True, **conninfo) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_TEMPLATE_LOCK,))
        try:
            return _postgres_template(conn, tmp_path, base)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_TEMPLATE_LOCK,))


@contextmanager
def postgres_databases(
    tmp_path: Path, sides: tuple[str, ...], prefix: str = "zhijia_own"
) -> Iterator[dict[str, str]]:
    """Databases of their own on the PostgreSQL test server, one per side, each a copy of the
    migrated, empty template database: {side: database URL}. Dropped afterwards."""
    import psycopg

    conninfo, base = _postgres()
    prefix = f"{prefix}_{secrets.token_hex(4)}"
    names = {side: f"{prefix}_{side}" for side in sides}
    try:
        with psycopg.connect(autocommit=True, **conninfo) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (_TEMPLATE_LOCK,))
            try:
                template = _postgres_template(conn, tmp_path, base)
                for name in names.values():
                    conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (_TEMPLATE_LOCK,))
        yield {side: f"{base}/{name}" for side, name in names.items()}
    finally:
        with psycopg.connect(autocommit=True, **conninfo) as conn:
            for name in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    # python -m tests.installations TMP_DIR (DATABASE_URL set): the PostgreSQL template.
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijia.settings")
    django.setup()
    sys.stdout.write(prepare_postgres_template(Path(sys.argv[1])) + "\n")
