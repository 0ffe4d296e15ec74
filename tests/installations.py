"""Installations of zhijia of their own for the tests that run the `zhijia` command in
subprocesses (backup and restore, crash recovery): a data directory, its database (SQLite, or
a database of its own on the PostgreSQL test server), migrated once and copied."""

from __future__ import annotations

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


def zhijia(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [ZHIJIA, *args], env=env, capture_output=True, text=True, timeout=300, check=False
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
    # run-syncdb also covers apps whose migrations are still to be written.
    zhijia(env, "manage", "migrate", "--run-syncdb", "--noinput", "-v", "0")
    return env


def empty_sqlite_installation(tmp_path_factory) -> Path:
    """A migrated, empty SQLite installation, to copy new installations from."""
    data_dir = tmp_path_factory.mktemp("empty-installation")
    installation(data_dir, None)
    return data_dir


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


@contextmanager
def postgres_databases(
    tmp_path: Path, sides: tuple[str, ...], prefix: str = "zhijia_own"
) -> Iterator[dict[str, str]]:
    """Databases of their own on the PostgreSQL test server, one per side, each a copy of one
    migrated, empty database: {side: database URL}. Dropped afterwards."""
    import psycopg

    conninfo, base = _postgres()
    prefix = f"{prefix}_{secrets.token_hex(4)}"
    empty = f"{prefix}_empty"
    names = {side: f"{prefix}_{side}" for side in sides}
    try:
        with psycopg.connect(autocommit=True, **conninfo) as conn:
            conn.execute(f'CREATE DATABASE "{empty}"')
        installation(tmp_path / "empty", f"{base}/{empty}")
        with psycopg.connect(autocommit=True, **conninfo) as conn:
            for name in names.values():
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{empty}"')
        yield {side: f"{base}/{name}" for side, name in names.items()}
    finally:
        with psycopg.connect(autocommit=True, **conninfo) as conn:
            for name in [empty, *names.values()]:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
