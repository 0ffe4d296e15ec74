"""`zhijia backup` and `zhijia restore`, end to end through the real command line.

Each test runs the `zhijia` command in subprocesses against its own data directory (and, in
the PostgreSQL run, its own databases on the test server), so the backup is of a real,
separately running installation: seeded, backed up, restored into an empty installation,
and read back, including an ID number that only the backed-up key can decrypt.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

ZHIJIA = str(Path(sys.executable).with_name("zhijia"))

READ_BACK = (
    "from zhijia.org.models import Member, DuesRecord; import json; "
    "m = Member.objects.get(employee_no='E100007'); "
    "print(json.dumps({'members': Member.objects.count(), 'dues': DuesRecord.objects.count(), "
    "'name': m.name, 'id': m.get_id_number()}))"
)


def zhijia(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [ZHIJIA, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if check and result.returncode != 0:
        pytest.fail(f"zhijia {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


def read_back(env: dict[str, str]) -> dict:
    out = zhijia(env, "manage", "shell", "-c", READ_BACK).stdout
    return json.loads(out.strip().splitlines()[-1])


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


@pytest.fixture(scope="module")
def empty_sqlite(tmp_path_factory) -> Path:
    """A migrated, empty SQLite installation, made once for this module's installations."""
    data_dir = tmp_path_factory.mktemp("empty-installation")
    installation(data_dir, None)
    return data_dir


def round_trip(
    tmp_path: Path, source_url: str | None, target_url: str | None, template: Path | None = None
) -> None:
    source = installation(tmp_path / "source", source_url, template)
    zhijia(source, "seed-demo", "--members", "30")
    (tmp_path / "source" / "uploads" / "2026").mkdir(parents=True)
    (tmp_path / "source" / "uploads" / "2026" / "note.txt").write_text("附件内容")
    before = read_back(source)
    assert before["members"] == 30 + 6  # generated members + the demo accounts' records

    archive = tmp_path / "backup.tar.gz"
    result = zhijia(source, "backup", str(archive))
    assert "sensitive" in result.stderr or "personal data" in result.stderr
    assert archive.stat().st_mode & 0o077 == 0, "the backup is readable by its owner only"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {"manifest.json", "keys/field_key", "keys/secret_key", "uploads/2026/note.txt"} <= names
    assert manifest["engine"] == ("postgresql" if source_url else "sqlite")

    # A fresh installation: its own, different keys; an empty database.
    target = installation(tmp_path / "target", target_url, template)
    field_key = tmp_path / "target" / "field_key"
    assert field_key.read_text() != (tmp_path / "source" / "field_key").read_text()
    zhijia(target, "restore", str(archive))
    assert field_key.read_text() == (tmp_path / "source" / "field_key").read_text()
    assert list((tmp_path / "target").glob("field_key.replaced-*")), "the old key is kept"
    after = read_back(target)
    assert after == before
    assert (tmp_path / "target" / "uploads" / "2026" / "note.txt").read_text() == "附件内容"

    # The database now holds data: a second restore is refused without --force.
    refused = zhijia(target, "restore", str(archive), check=False)
    assert refused.returncode != 0
    assert "--force" in refused.stderr
    zhijia(target, "restore", "--force", str(archive))
    assert read_back(target) == before


# The SQLite installations below are the same whatever database the test run has: make test
# runs them once, in its SQLite run (the marker), and the PostgreSQL round trip in the other.
@pytest.mark.own_installation
def test_backup_and_restore_sqlite(tmp_path, empty_sqlite):
    round_trip(tmp_path, None, None, empty_sqlite)


@pytest.mark.own_installation
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, empty_sqlite):
    env = installation(tmp_path / "data", None, empty_sqlite)
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not a tarball")
    result = zhijia(env, "restore", str(bogus), check=False)
    assert result.returncode != 0
    assert "not a zhijia backup" in result.stderr


@pytest.mark.skipif(not settings.DB_IS_POSTGRES, reason="needs the PostgreSQL test server")
def test_backup_and_restore_postgresql(tmp_path):
    import psycopg

    db = settings.DATABASES["default"]
    conninfo = {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    prefix = f"zhijia_bk_{secrets.token_hex(4)}"
    empty, source, target = names = [f"{prefix}_{side}" for side in ("empty", "src", "dst")]
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    base = f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    try:
        # One migrated, empty database; the source and the target start as copies of it.
        with psycopg.connect(autocommit=True, **conninfo) as conn:
            conn.execute(f'CREATE DATABASE "{empty}"')
        installation(tmp_path / "empty", f"{base}/{empty}")
        with psycopg.connect(autocommit=True, **conninfo) as conn:
            for name in (source, target):
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{empty}"')
        round_trip(tmp_path, f"{base}/{source}", f"{base}/{target}")
    finally:
        with psycopg.connect(autocommit=True, **conninfo) as conn:
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
