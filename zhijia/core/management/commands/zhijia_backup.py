"""`zhijia backup FILE`: the whole installation in one .tar.gz.

What goes in:
  manifest.json      format, database engine, time, the applied migrations
  database.sqlite3   SQLite: a consistent copy made with SQLite's online backup API, safe while
                     the site is running
  database.dump      PostgreSQL: `pg_dump --format=custom`
  uploads/           attachments under the data directory
  keys/              secret_key and field_key from the data directory, when the keys are kept
                     there: without the field key the encrypted ID numbers cannot be read back

While an online poll is open the command warns (stderr and manifest "warnings"): the archive
holds that poll's ballots in clear (zhijia.core.hooks.backup_warnings; docs/security.md).

The archive therefore holds everything needed to read members' ID numbers: it is as sensitive
as the live system. It is written with mode 600; keep it encrypted and off the server.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from zhijia.core.hooks import backup_warnings

FORMAT = "zhijia-backup-1"
KEY_FILES = ("secret_key", "field_key")


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: from PATH, else the newest Debian PostgreSQL installed."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise CommandError(f"{name} not found: install PostgreSQL's client tools")
    return str(candidates[-1])


def pg_args_env(db: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for the PostgreSQL command-line tools."""
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(dt.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


class Command(BaseCommand):
    help = "Write a backup (database, uploads, keys) to FILE (.tar.gz). The file is sensitive."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        target = Path(file).resolve()
        if target.is_dir():
            raise CommandError(f"{target} is a directory")
        target.parent.mkdir(parents=True, exist_ok=True)
        db = connection.settings_dict
        engine = "postgresql" if connection.vendor == "postgresql" else connection.vendor
        if engine not in {"sqlite", "postgresql"}:
            raise CommandError(f"unsupported database engine {engine}")
        data_dir = Path(settings.DATA_DIR)
        keys: list[str] = []
        manifest: dict[str, object] = {
            "format": FORMAT,
            "engine": engine,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "migrations": sorted(
                f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
            ),
            "keys": keys,
            "uploads": False,
        }
        warnings = backup_warnings()
        if warnings:
            manifest["warnings"] = warnings
        for warning in warnings:
            self.stderr.write(f"backup: WARNING: {warning}")
        with tempfile.TemporaryDirectory(prefix="zhijia-backup-") as tmp:
            if engine == "sqlite":
                dump = Path(tmp) / "database.sqlite3"
                self._sqlite_copy(Path(db["NAME"]), dump)
            else:
                dump = Path(tmp) / "database.dump"
                self._pg_dump(db, dump)

            partial = target.with_name(target.name + ".partial")
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                tar.add(dump, arcname=dump.name)
                uploads = data_dir / "uploads"
                if uploads.is_dir():
                    tar.add(uploads, arcname="uploads")
                    manifest["uploads"] = True
                for name in KEY_FILES:
                    key = data_dir / name
                    if key.is_file():
                        tar.add(key, arcname=f"keys/{name}")
                        keys.append(name)
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
            os.replace(partial, target)

        self.stdout.write(f"backup: {engine} database written to {target}")
        if "field_key" not in keys:
            self.stderr.write(
                "backup: the field encryption keys come from ZHIJIA_FIELD_KEYS and are NOT in the "
                "archive; keep them safely, without them ID numbers cannot be decrypted."
            )
        self.stderr.write(
            "backup: this file contains personal data and the keys to decrypt it; "
            "store it encrypted and restrict who can read it."
        )

    def _sqlite_copy(self, source: Path, dest: Path) -> None:
        if not source.exists():
            raise CommandError(f"database {source} does not exist")
        # The online backup API gives a consistent snapshot even while others write.
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(dest)
        try:
            with dst:
                src.backup(dst)
        finally:
            dst.close()
            src.close()

    def _pg_dump(self, db: dict, dest: Path) -> None:
        args, env = pg_args_env(db)
        cmd = [pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dest), *args]
        cmd.append(f"--dbname={db['NAME']}")
        # The arguments come from the settings, never from a request.
        result = subprocess.run(  # noqa: S603
            cmd, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
