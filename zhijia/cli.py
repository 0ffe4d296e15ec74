"""The `zhijia` command.

  zhijia serve [--host H] [--port P]   serve the site (gunicorn, threads)
  zhijia worker                        run the background worker (notifications, imports, sweeps)
  zhijia seed-demo [--members N]       create or refresh the demo union (idempotent)
  zhijia import-members FILE [--create-missing] [--dry-run] [--report R.xlsx]
                                       import a roster (.xlsx/.csv), all or nothing
  zhijia backup FILE / restore FILE [--force]  back up or restore the whole installation
  zhijia audit-verify                  check the audit log's hash chain
  zhijia manage ...                    Django's manage.py

Every subcommand applies the migrations it needs first.
"""

from __future__ import annotations

import argparse
import os
import sys


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhijia.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _static_sources() -> str:
    """A digest of the static files collectstatic would collect (path, size, modification
    time of each), to tell whether the collected copy is still theirs."""
    import hashlib

    from django.apps import apps
    from django.contrib.staticfiles.finders import get_finders

    config = apps.get_app_config("staticfiles")
    ignore = getattr(config, "ignore_patterns", [])  # StaticFilesConfig's, ours extended
    entries = []
    for finder in get_finders():
        for path, storage in finder.list(ignore):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(entries)).encode()).hexdigest()


def _collect_static() -> None:
    """collectstatic, unless the collected copy is of the same sources: it hashes and
    compresses every file again (seconds at every start of the server, a restart after a
    crash included), even when nothing changed."""
    from pathlib import Path

    from django.conf import settings
    from django.core.management import call_command

    root = Path(settings.STATIC_ROOT)
    stamp = root.with_name(f"{root.name}.collected-from")  # beside it: not served
    sources = _static_sources()
    manifest = root / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == sources:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(sources)


def _call(name: str, *args: str) -> int:
    from django.core.management import CommandError, call_command

    try:
        result = call_command(name, *args)
    except CommandError as exc:
        # As manage.py does: the message on stderr and the command's exit code, no traceback.
        print(f"zhijia: {exc}", file=sys.stderr)
        return exc.returncode
    return int(result) if isinstance(result, int) else 0


def cmd_serve(ns: argparse.Namespace) -> int:
    _setup()
    _migrate()
    from django.conf import settings

    if not settings.DEBUG:
        _collect_static()
    argv = [
        "gunicorn",
        "zhijia.wsgi:application",
        "--bind",
        f"{ns.host}:{ns.port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(ns.workers),
        "--threads",
        str(ns.threads),
        "--access-logfile",
        "-",
        # Log method, path without query string, status and size; never request bodies.
        "--access-logformat",
        '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
        # gunicorn's control socket defaults to one path per machine user; several servers
        # (tests, benchmarks, a demo) would fight over it.
        "--no-control-socket",
    ]
    from gunicorn.app.wsgiapp import run

    sys.argv = argv
    print(f"zhijia: serving http://{ns.host}:{ns.port}", flush=True)
    run()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "manage":
        _setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["zhijia manage", *argv[1:]])
        return 0

    parser = argparse.ArgumentParser(prog="zhijia", description="职工之家 zhijia")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve the site")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    # One process per core: an encrypted ballot's proofs cost ~35 ms of one core to check, and
    # threads of one process share one core for it (bench/vote_storm.py).
    workers = os.environ.get("ZHIJIA_WORKERS") or str(os.cpu_count() or 1)
    p.add_argument("--workers", type=int, default=int(workers))
    p.add_argument("--threads", type=int, default=int(os.environ.get("ZHIJIA_THREADS", "8")))

    sub.add_parser("worker", help="run the background worker")
    p = sub.add_parser("seed-demo", help="create the demo union (idempotent)")
    p.add_argument("--members", type=int, default=2000)
    p = sub.add_parser("import-members", help="import a roster file, all or nothing")
    p.add_argument("file")
    p.add_argument("--create-missing", action="store_true", help="create missing departments/units")
    p.add_argument("--dry-run", action="store_true", help="check and list, write nothing")
    p.add_argument("--report", help="save the error report as .xlsx")
    p = sub.add_parser("backup", help="write a backup of the database to FILE")
    p.add_argument("file")
    p = sub.add_parser("restore", help="restore the database from FILE")
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help="overwrite a database that has data")
    sub.add_parser("audit-verify", help="verify the audit log's hash chain")
    sub.add_parser("manage", help="Django's manage.py")

    ns = parser.parse_args(argv)
    if ns.command == "serve":
        return cmd_serve(ns)
    _setup()
    if ns.command != "restore":
        _migrate()
    if ns.command == "worker":
        return _call("zhijia_worker")
    if ns.command == "seed-demo":
        return _call("seed_demo", "--members", str(ns.members))
    if ns.command == "import-members":
        flags = [
            f
            for f, on in (("--create-missing", ns.create_missing), ("--dry-run", ns.dry_run))
            if on
        ]
        report = ["--report", ns.report] if ns.report else []
        return _call("import_members", ns.file, *flags, *report)
    if ns.command == "backup":
        return _call("zhijia_backup", ns.file)
    if ns.command == "restore":
        return _call("zhijia_restore", ns.file, *(["--force"] if ns.force else []))
    if ns.command == "audit-verify":
        return _call("audit_verify")
    parser.error(f"unknown command {ns.command}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
