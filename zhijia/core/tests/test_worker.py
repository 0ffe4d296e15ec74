"""`zhijia worker`: real worker processes, killed with SIGKILL mid-send or stopped with SIGTERM,
against real SMTP servers on 127.0.0.1; the database is shared with the test process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from zhijia.core.management.commands import zhijia_worker
from zhijia.core.models import Delivery
from zhijia.core.notify import notify
from zhijia.core.tests.test_notify import make_user, smtp_server

pytestmark = pytest.mark.slow  # run first under xdist (conftest.py)

# Runs the worker command in a fresh interpreter against the test database.
WORKER_SCRIPT = """
import sys
import django
from django.conf import settings
settings.DATABASES["default"]["NAME"] = sys.argv[1]
django.setup()
from django.core.management import call_command
call_command("zhijia_worker", *sys.argv[2:])
"""

ROOT = Path(__file__).resolve().parents[3]


class StallingSmtpServer:
    """Accepts TCP connections on 127.0.0.1 and never says a word (no SMTP greeting)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.accepted = threading.Event()
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            self.accepted.set()

    def close(self):
        for conn in self.connections:
            conn.close()
        self.sock.close()


def start_worker(tmp_path: Path, name: str, *args: str, **env: str) -> subprocess.Popen:
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "zhijia.settings",
        "PYTHONUNBUFFERED": "1",
        "ZHIJIA_NOTIFY_CHANNELS": "email",
        "ZHIJIA_SMTP_HOST": "127.0.0.1",
        "ZHIJIA_MAIL_FROM": "zhijia@zhijia.localhost",
        **env,
    }
    environ.pop("ZHIJIA_DEBUG", None)
    return subprocess.Popen(
        [sys.executable, "-c", WORKER_SCRIPT, str(connection.settings_dict["NAME"]), *args],
        cwd=ROOT,
        env=environ,
        stdout=(tmp_path / f"{name}.out").open("w"),
        stderr=(tmp_path / f"{name}.err").open("w"),
    )


def wait_for(predicate, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def output(tmp_path: Path, name: str) -> str:
    return (tmp_path / f"{name}.out").read_text() + (tmp_path / f"{name}.err").read_text()


def test_worker_killed_mid_send_delivers_after_restart(transactional_db, settings, tmp_path):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["email"]
    alice = make_user("alice", "alice@zhijia.localhost")
    notify(
        recipients=[alice],
        kind="assistance.application_approved",
        title="您的帮扶申请已审批通过",
        body="请留意后续通知。",
    )
    delivery = Delivery.objects.get()
    assert DBTaskResult.objects.count() == 1

    # 1. A worker takes the task, claims the delivery and hangs in the SMTP conversation.
    stall = StallingSmtpServer()
    first = start_worker(
        tmp_path,
        "first",
        "--interval",
        "0.2",
        ZHIJIA_SMTP_PORT=str(stall.port),
        ZHIJIA_NOTIFY_LEASE_SECONDS="2",
    )
    try:
        wait_for(stall.accepted.is_set, what="the worker to connect to SMTP")
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and delivery.status == "pending"
        # 2. kill -9 while it waits for the server's greeting.
        first.kill()
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
        stall.close()
    assert first.returncode == -signal.SIGKILL
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == ("pending", 1, None)
    # The dead worker's task stays "running" for ever: only the sweep can recover the message.
    assert DBTaskResult.objects.get().status == "RUNNING"

    # 3. After the dead worker's lease runs out, a new worker sends it to a working server.
    wait_for(lambda: timezone.now() > delivery.not_before, timeout=10, what="the lease")
    with smtp_server() as (sink, port):
        second = start_worker(
            tmp_path,
            "second",
            "--once",
            ZHIJIA_SMTP_PORT=str(port),
            ZHIJIA_NOTIFY_LEASE_SECONDS="2",
        )
        assert second.wait(timeout=120) == 0, output(tmp_path, "second")
    assert len(sink.envelopes) == 1  # at least once; here the first try never reached DATA
    assert sink.envelopes[0].rcpt_tos == ["alice@zhijia.localhost"]
    assert sink.messages[0]["Subject"].strip() == "您的帮扶申请已审批通过"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert delivery.sent_at is not None


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_worker_runs_tasks_and_sweeps_then_stops_cleanly(
    transactional_db, settings, tmp_path, signum
):
    settings.ZHIJIA_NOTIFY_CHANNELS = ["email"]
    user = make_user("bob", "bob@zhijia.localhost")
    with smtp_server() as (sink, port):
        # One notification whose task is queued, one whose task was lost two minutes ago.
        notify(recipients=[user], kind="k", title="任务送达", body="b")
        DBTaskResult.objects.all().delete()
        Delivery.objects.update(created_at=timezone.now() - timedelta(minutes=2))
        notify(recipients=[user], kind="k", title="队列送达", body="b")
        worker = start_worker(
            tmp_path,
            "worker",
            "--interval",
            "0.2",
            "--sweep-interval",
            "0.5",
            ZHIJIA_SMTP_PORT=str(port),
        )
        try:
            wait_for(
                lambda: Delivery.objects.filter(status="sent").count() == 2,
                what="both deliveries",
            )
            assert "zhijia worker: started" in output(tmp_path, "worker")
            worker.send_signal(signum)
            assert worker.wait(timeout=60) == 0, output(tmp_path, "worker")
        finally:
            if worker.poll() is None:
                worker.kill()
    assert "zhijia worker: stopped" in output(tmp_path, "worker")
    subjects = sorted(m["Subject"].strip() for m in sink.messages)
    assert subjects == ["任务送达", "队列送达"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_sweeps_call_the_workflow_sweep_when_it_exists(db, monkeypatch):
    calls = []
    fake = types.ModuleType(zhijia_worker.WORKFLOW_MODULE)
    fake.sweep_all = lambda: calls.append("swept") or {"escalated": 0}
    monkeypatch.setitem(sys.modules, zhijia_worker.WORKFLOW_MODULE, fake)
    assert zhijia_worker.run_sweeps() == {"deliveries": {}, "workflow": {"escalated": 0}}
    assert calls == ["swept"]


def test_sweeps_skip_the_workflow_sweep_when_the_module_is_absent(db, monkeypatch):
    monkeypatch.setitem(sys.modules, zhijia_worker.WORKFLOW_MODULE, None)
    assert zhijia_worker.run_sweeps() == {"deliveries": {}}


def test_a_failing_workflow_sweep_does_not_stop_the_worker(db, monkeypatch, caplog):
    fake = types.ModuleType(zhijia_worker.WORKFLOW_MODULE)

    def boom():
        raise RuntimeError("sweep bug")

    fake.sweep_all = boom
    monkeypatch.setitem(sys.modules, zhijia_worker.WORKFLOW_MODULE, fake)
    assert zhijia_worker.run_sweeps() == {"deliveries": {}}
    assert "workflow sweep failed" in caplog.text


def test_a_first_signal_ends_the_task_loop_without_exiting_mid_transaction():
    """db_worker's handler raised SystemExit wherever the signal landed, the claim
    transaction's COMMIT included (the worker then died with a traceback, status 1): the
    runner's first signal only ends the loop; a second one still forces the exit."""
    runner = zhijia_worker.TaskRunner(
        queue_names=["*"],
        interval=0,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-runner",
        excluded_queue_names=[],
    )
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        runner.shutdown(signal.SIGTERM, None)
        assert runner.running is False
        with pytest.raises(SystemExit):
            runner.shutdown(signal.SIGTERM, None)  # resets the handlers, then exits
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
