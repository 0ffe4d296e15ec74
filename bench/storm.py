"""What the HTTP storm benchmarks (vote_storm.py, registration_storm.py) share: a throwaway
PostgreSQL database, the schema, a real `zhijia serve` on a loopback port, keep-alive client
threads and the latency percentiles. Imported by the scripts (bench/ is on sys.path when one is
run as `python bench/<name>.py`)."""

from __future__ import annotations

import http.client
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HOST = "127.0.0.1"


def _maintenance_url(base_url: str) -> str:
    return urlunsplit(urlsplit(base_url)._replace(path="/postgres"))


def create_pg_database(base_url: str, prefix: str) -> tuple[str, str]:
    import psycopg

    name = f"zhijia_bench_{prefix}_{os.getpid()}"
    with psycopg.connect(_maintenance_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(urlsplit(base_url)._replace(path=f"/{name}"))


def drop_pg_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(_maintenance_url(base_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_schema() -> str:
    """Apply the migrations; when the models are ahead of the committed migrations (while the
    modules are being built), create the tables from the models and mark the existing
    migrations applied, so that `zhijia serve` (which migrates first) finds nothing to do."""
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
    saved = getattr(settings, "MIGRATION_MODULES", {})
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
    settings.MIGRATION_MODULES = saved
    call_command("migrate", fake=True, interactive=False, verbosity=0)
    return "migrate --run-syncdb + --fake (models ahead of migrations)"


# --- server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, env: dict, log: Path, workers: int | None, threads: int | None):
    zhijia = Path(sys.executable).with_name("zhijia")
    command = [str(zhijia), "serve", "--host", HOST, "--port", str(port)]
    if workers:
        command += ["--workers", str(workers)]
    if threads:
        command += ["--threads", str(threads)]
    out = log.open("wb")
    proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"zhijia serve exited with {proc.returncode}; see {log}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/api/v1/me")
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("zhijia serve did not answer within 120 s")


def stop_server(proc) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- load ---------------------------------------------------------------------------------------


class Clients:
    """One keep-alive HTTP connection per client thread."""

    def __init__(self, port: int):
        self.port = port
        self.local = threading.local()

    def request(self, method: str, path: str, token: str, body: bytes | None = None):
        headers = {"Authorization": f"Bearer {token}", "Connection": "keep-alive"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            self.local.conn = None
            return 0, f"{type(exc).__name__}: {exc}".encode(), time.perf_counter() - started
        return status, data, time.perf_counter() - started


def run_phase(pool: ThreadPoolExecutor, tasks) -> tuple[list, float]:
    started = time.perf_counter()
    results = list(pool.map(lambda task: task(), tasks))
    return results, time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)  # nearest rank
    k = min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))
    return ordered[k]
