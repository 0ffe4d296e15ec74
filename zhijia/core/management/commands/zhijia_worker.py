"""`zhijia worker`: the background worker.

Runs django-tasks-db's worker loop (db_worker's: TaskRunner below) in the main thread and,
beside it, a sweeper thread that every --sweep-interval seconds
  - sends pending notification deliveries whose task was lost or whose worker died
    (zhijia.core.notify.deliver_due), and
  - runs the workflow deadline sweeps (zhijia.core.workflow.sweep_all), when that module exists.

SIGTERM / SIGINT stop it cleanly: the task loop ends after the poll or the task it is in (a
second signal aborts a task), the sweeper stops between two deliveries, and the process exits
0. A delivery cut off by a hard kill stays pending and is sent again later (at-least-once, see
core.notify).

--once processes what is queued, sweeps once (without the one-minute grace for fresh
deliveries) and exits: for cron, scripts and tests.
"""

from __future__ import annotations

import importlib
import logging
import signal
import threading
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from zhijia.core.notify import deliver_due

logger = logging.getLogger("zhijia.worker")


def run_sweeps(*, min_age: timedelta = timedelta(minutes=1), should_stop=None) -> dict:
    """One round of the periodic sweeps; each failure is logged, none stops the others."""
    report: dict = {}
    try:
        report["deliveries"] = deliver_due(min_age=min_age, should_stop=should_stop)
    except Exception:
        logger.exception("delivery sweep failed")
    if should_stop is not None and should_stop():
        return report
    try:
        sweep_all = _workflow_sweep()
        if sweep_all is not None:
            report["workflow"] = sweep_all()
    except Exception:
        logger.exception("workflow sweep failed")
    return report


WORKFLOW_MODULE = "zhijia.core.workflow"


def _workflow_sweep():
    """zhijia.core.workflow.sweep_all if that module exists, else None (imported lazily: the
    worker runs without it)."""
    try:
        module = importlib.import_module(WORKFLOW_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name == WORKFLOW_MODULE:
            return None
        raise  # the module exists but is broken: say so
    return getattr(module, "sweep_all", None)


class Sweeper(threading.Thread):
    def __init__(self, interval: float):
        super().__init__(name="zhijia-sweeper", daemon=True)
        self.interval = interval
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            while not self.stop.is_set():
                close_old_connections()
                report = run_sweeps(should_stop=self.stop.is_set)
                if any(report.values()):
                    logger.info("sweep: %s", report)
                self.stop.wait(self.interval)
        finally:
            connections.close_all()


class TaskRunner(Worker):
    """django-tasks-db's worker loop (db_worker), stopped by SIGTERM or SIGINT between two
    polls of the queue or after the task that runs.

    db_worker's own handler exits at once when no task runs, which can land inside the
    transaction that claims the next task, in the middle of its COMMIT: the connection is
    then left mid-command and the worker dies with a traceback and a non-zero status. Here
    the first signal only ends the loop (within one --interval); a second one forces the exit
    as db_worker does."""

    def shutdown(self, signum, frame) -> None:
        if not self.running:
            super().shutdown(signum, frame)
            return
        logger.info("%s: stopping after this poll or task", signal.strsignal(signum))
        self.running = False


def _run_tasks(*, queue_name: str, interval: float, verbosity: int) -> None:
    DbWorkerCommand().configure_logging(verbosity)  # db_worker's log lines, as it shows them
    runner = TaskRunner(
        queue_names=queue_name.split(","),
        interval=interval,
        batch=False,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    runner.configure_signals()
    runner.run()


class Command(BaseCommand):
    help = (
        "Run the background worker: queued tasks plus periodic sweeps (notifications, deadlines)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between polls of the task queue"
        )
        parser.add_argument(
            "--sweep-interval", type=float, default=30.0, help="seconds between sweeps"
        )
        parser.add_argument(
            "--queue-name", default="*", help="task queues to process, comma-separated; * = all"
        )
        parser.add_argument(
            "--once", action="store_true", help="process queued tasks, sweep once, then exit"
        )

    def handle(self, *, interval, sweep_interval, queue_name, once, verbosity, **options):
        worker_options = {
            "queue_name": queue_name,
            "interval": interval,
            "reload": False,
            "startup_delay": False,
            "verbosity": verbosity,
        }
        if once:
            # db_worker installs signal handlers; put back the caller's when done.
            signums = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", signal.SIGTERM)]
            saved = {s: signal.getsignal(s) for s in signums}
            try:
                call_command("db_worker", batch=True, **worker_options)
            finally:
                for signum, handler in saved.items():
                    signal.signal(signum, handler)
            report = run_sweeps(min_age=timedelta(0))
            if verbosity:
                self.stdout.write(f"sweep: {report}")
            return
        sweeper = Sweeper(sweep_interval)
        sweeper.start()
        self.stdout.write("zhijia worker: started (SIGTERM or Ctrl+C to stop)")
        try:
            _run_tasks(queue_name=queue_name, interval=interval, verbosity=verbosity)
        finally:
            sweeper.stop.set()
            sweeper.join(timeout=30)
            self.stdout.write("zhijia worker: stopped")
