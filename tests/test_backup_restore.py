"""`zhijia backup` and `zhijia restore`, end to end through the real command line.

Each test runs the `zhijia` command in subprocesses against its own data directory (and, in
the PostgreSQL run, its own databases on the test server), so the backup is of a real,
separately running installation: seeded, backed up, restored into an empty installation,
and read back, including an ID number that only the backed-up key can decrypt.
"""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.installations import (
    empty_sqlite_installation,
    installation,
    postgres_databases,
    zhijia,
)

pytestmark = pytest.mark.slow  # run first under xdist (conftest.py)

READ_BACK = (
    "from zhijia.org.models import Member, DuesRecord; import json; "
    "m = Member.objects.get(employee_no='E100007'); "
    "print(json.dumps({'members': Member.objects.count(), 'dues': DuesRecord.objects.count(), "
    "'name': m.name, 'id': m.get_id_number()}))"
)


def read_back(env: dict[str, str]) -> dict:
    out = zhijia(env, "manage", "shell", "-c", READ_BACK).stdout
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def empty_sqlite(tmp_path_factory) -> Path:
    """A migrated, empty SQLite installation, made once for this module's installations."""
    return empty_sqlite_installation(tmp_path_factory)


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
    with postgres_databases(tmp_path, ("src", "dst"), prefix="zhijia_bk") as urls:
        round_trip(tmp_path, urls["src"], urls["dst"])
