"""The SQLite files are the service user's alone (mode 0600, in a 0700 data directory).

settings.py creates the data directory 0700 and the database file 0600 before SQLite opens
it; SQLite gives the -wal and -shm files the database file's mode. This handler of
`connection_created` re-asserts the mode on every new connection for the files that settings
did not create: a test database, a database restored or copied in by hand, -wal and -shm
files left 0644 by an older version. A no-op on PostgreSQL (its server owns its files).
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
SUFFIXES = ("", "-wal", "-shm", "-journal")


def _tighten(path: Path) -> None:
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if info.st_uid == os.getuid() and info.st_mode & 0o777 & ~FILE_MODE:
        path.chmod(FILE_MODE)


def private_sqlite_files(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in SUFFIXES:
        _tighten(Path(name + suffix))


def secure_delete_on(sender, connection, **kwargs) -> None:
    """`PRAGMA secure_delete=ON` on every SQLite connection: deleted rows and freed cells are
    overwritten with zeros before their page is written, so a copy of the file (or of its
    write-ahead log) does not keep what was deleted: ballots re-stored at close, the
    sequential first cell of a row moved to a random rowid (zhijia.core.unordered), opened box
    items. Some builds (Debian's) have it on by default, others not; this makes it so."""
    if connection.vendor != "sqlite":
        return
    # allow: raw-sql a PRAGMA has no ORM equivalent
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete = ON")
