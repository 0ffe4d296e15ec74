"""Deployment hardening (docs/security.md): the data files are the service user's alone, and
`zhijia manage check --deploy` reports nothing with ZHIJIA_HTTPS=1.

Both run zhijia in a fresh process with its own environment and data directory, as an
installation does (settings are read once per process, so that is where they are proven).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

# Installations of their own, the same whatever database the test run has: make test runs
# them once, in its SQLite run.
pytestmark = [pytest.mark.own_installation, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent

# Opens the database, writes a row and, with the connection still open (so that the WAL and
# shared-memory files exist), reports the mode of every file in the data directory.
WRITE_AND_STAT = """
import json, os, sys
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "zhijia.settings"
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
    cursor.execute("INSERT INTO probe VALUES (1)")
data = os.environ["ZHIJIA_DATA_DIR"]
modes = {name: os.stat(os.path.join(data, name)).st_mode & 0o777 for name in os.listdir(data)}
modes["."] = os.stat(data).st_mode & 0o777
print(json.dumps(modes))
"""


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ZHIJIA_", "DJANGO_", "PYTEST_")) and k != "DATABASE_URL"
    }
    env.update(PYTHONPATH=str(ROOT), ZHIJIA_DATA_DIR=str(data_dir), **extra)
    return env


def _write_and_stat(data_dir: Path) -> dict[str, int]:
    result = subprocess.run(
        [sys.executable, "-c", WRITE_AND_STAT],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sqlite_files_are_0600_in_a_0700_data_directory(tmp_path):
    data = tmp_path / "data"
    modes = _write_and_stat(data)
    assert modes["."] == 0o700
    for name in ("zhijia.sqlite3", "zhijia.sqlite3-wal", "zhijia.sqlite3-shm"):
        assert modes[name] == 0o600, (name, oct(modes[name]))
    assert modes["secret_key"] == modes["field_key"] == 0o600


def test_an_older_installation_is_tightened_at_the_next_start(tmp_path):
    """A data directory made before (0755, a database and its WAL 0644) is made private."""
    data = tmp_path / "old"
    _write_and_stat(data)
    data.chmod(0o755)
    for name in ("zhijia.sqlite3", "zhijia.sqlite3-wal", "zhijia.sqlite3-shm"):
        if (data / name).exists():
            (data / name).chmod(0o644)
    modes = _write_and_stat(data)
    assert modes["."] == 0o700
    assert {modes[n] for n in modes if n.startswith("zhijia.sqlite3")} == {0o600}


def test_uploads_are_written_0600(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    storage = FileSystemStorage(location=tmp_path / "uploads")
    name = storage.save("cases/2026/evidence.txt", ContentFile(b"x"))
    path = Path(storage.path(name))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def _check_deploy(data_dir: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zhijia.cli", "manage", "check", "--deploy", "--fail-level", "INFO"],
        env=_env(data_dir, ZHIJIA_ALLOWED_HOSTS="union.example.org", **extra),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


# Behind a TLS proxy (the default header) and with TLS reaching the server directly ("").
@pytest.mark.parametrize("proxy", [None, ""], ids=["proxy", "direct"])
def test_check_deploy_reports_nothing_with_https(tmp_path, proxy):
    extra = {"ZHIJIA_HTTPS": "1"}
    if proxy is not None:
        extra["ZHIJIA_PROXY_SSL_HEADER"] = proxy
    result = _check_deploy(tmp_path / "data", **extra)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output and "ERRORS" not in output


def test_check_deploy_without_https_names_what_is_missing(tmp_path):
    """The same check without ZHIJIA_HTTPS does warn: the test above is not vacuous."""
    result = _check_deploy(tmp_path / "data")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in output, output


def test_https_settings(tmp_path):
    """What ZHIJIA_HTTPS=1 turns on, as the running process sees it."""
    script = (
        "import json, os, django;"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'zhijia.settings';"
        "django.setup();"
        "from django.conf import settings as s;"
        "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " s.SECURE_PROXY_SSL_HEADER]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(tmp_path / "data", ZHIJIA_HTTPS="1"),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        True,
        True,
        True,
        365 * 24 * 3600,
        True,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
    ]
