"""`zhijia restore FILE [--force]`: restore a backup written by `zhijia backup`.

Restores the database (SQLite through the online backup API into the configured database file;
PostgreSQL with pg_restore), the uploads and the keys kept in the data directory. The backup's
keys replace the data directory's (the replaced ones are kept beside them with a .replaced-<time>
suffix), since the restored ID numbers can only be decrypted with the keys they were written
with. A database that already holds data is not overwritten without --force.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from zhijia.core.management.commands.zhijia_backup import FORMAT, KEY_FILES, pg_args_env, pg_tool


def _database_has_data() -> bool:
    """True when the installation holds data of its own: accounts, org units or members.

    A freshly migrated database (content types, permissions, search-index shadow tables)
    counts as empty. A database that was never migrated has no tables and is empty too.
    """
    tables = set(connection.introspection.table_names())
    for label in (settings.AUTH_USER_MODEL, "org.OrgUnit", "org.Member"):
        model = apps.get_model(label)
        if model._meta.db_table in tables and model._default_manager.exists():
            return True
    return False


class Command(BaseCommand):
    help = "Restore a backup written by `zhijia backup` (refuses a non-empty database)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that already has data"
        )

    def handle(self, *args, file: str, force: bool, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        engine = "postgresql" if connection.vendor == "postgresql" else connection.vendor
        with tempfile.TemporaryDirectory(prefix="zhijia-restore-") as tmp:
            work = Path(tmp)
            try:
                with tarfile.open(source, "r:gz") as tar:
                    tar.extractall(work, filter="data")
            except (tarfile.TarError, OSError) as exc:
                raise CommandError(f"{source}: not a zhijia backup ({exc})") from exc
            try:
                manifest = json.loads((work / "manifest.json").read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"{source}: not a zhijia backup (no manifest)") from exc
            if manifest.get("format") != FORMAT:
                raise CommandError(f"{source}: unknown backup format {manifest.get('format')}")
            if manifest.get("engine") != engine:
                raise CommandError(
                    f"the backup is of a {manifest.get('engine')} database, "
                    f"this installation uses {engine}"
                )
            if _database_has_data() and not force:
                raise CommandError(
                    "the database already holds data; restore with --force to overwrite it"
                )
            connections.close_all()
            if engine == "sqlite":
                self._restore_sqlite(work / "database.sqlite3")
            else:
                self._restore_pg(work / "database.dump")
            self._restore_files(work, manifest)
        self.stdout.write(f"restore: {engine} database restored from {source}")

    def _restore_sqlite(self, dump: Path) -> None:
        target = Path(connection.settings_dict["NAME"])
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(dump)
        dst = sqlite3.connect(target)
        try:
            # Page by page into the live file: WAL readers see the old or the new database.
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    def _restore_pg(self, dump: Path) -> None:
        db = connection.settings_dict
        args, env = pg_args_env(db)
        cmd = [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            str(db["NAME"]),
            *args,
            str(dump),
        ]
        # The arguments come from the settings and a temporary path, never from a request.
        result = subprocess.run(  # noqa: S603
            cmd, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise CommandError(f"pg_restore failed: {result.stderr.strip()}")

    def _restore_files(self, work: Path, manifest: dict) -> None:
        data_dir = Path(settings.DATA_DIR)
        if manifest.get("uploads") and (work / "uploads").is_dir():
            uploads = data_dir / "uploads"
            if uploads.exists():
                shutil.rmtree(uploads)
            shutil.copytree(work / "uploads", uploads)
        stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
        for name in KEY_FILES:
            restored = work / "keys" / name
            if name not in manifest.get("keys", []) or not restored.is_file():
                continue
            current = data_dir / name
            if current.is_file():
                if current.read_bytes() == restored.read_bytes():
                    continue
                current.rename(data_dir / f"{name}.replaced-{stamp}")
            fd = os.open(current, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(restored.read_bytes())
            self.stdout.write(f"restore: {name} restored into {data_dir}")
