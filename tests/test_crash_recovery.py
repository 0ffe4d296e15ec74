"""Crash recovery: the web server and the worker killed with SIGKILL in the middle of their
work, restarted, and nothing acknowledged lost, nothing done twice, the queue drained.

An installation of its own (SQLite; in the PostgreSQL run, databases of its own on the test
server) runs `zhijia serve` (two gunicorn workers) and `zhijia worker` in process groups of
their own. Four storms:

- a vote storm: voters cast over HTTP from eight threads; the server is killed after about
  half were acknowledged, restarted, and every voter whose answer never came tries again;
- a registration storm: members register for an activity with fewer places than them over
  HTTP from eight threads; the server is killed after about half were answered, restarted,
  and whoever got no answer registers again: one registration each, never over capacity, the
  waiting list numbered without gaps, every acknowledged place kept;
- a payment run: its approval is sent and the server killed a moment later, restarted, and
  the approval sent again;
- the notification queue: the worker is killed while it sends a backlog, restarted.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.installations import (
    ZHIJIA,
    empty_sqlite_installation,
    installation,
    postgres_databases,
    query,
    zhijia,
)

pytestmark = pytest.mark.slow  # run first under xdist (conftest.py)

VOTERS = 80
NOTIFICATIONS = 600
APPLICATIONS = 12
REGISTRANTS = 60
PLACES = 40

SEED = """
from django.core.management import call_command
call_command("seed_demo", "--members", "30")
"""

SETUP = """
import json
from zhijia.accounts.models import ApiToken, User
from zhijia.org.demo import ensure_demo_accounts
from zhijia.org.models import OrgUnit
from zhijia.voting import actions as voting

people = ensure_demo_accounts()
chair = people["chair"]
unit = OrgUnit.objects.get(code="U")
voters = [User.objects.create(username=f"voter{i:03d}", full_name=f"投票人{i}")
          for i in range(%(voters)d)]
poll = voting.do_create_poll(actor=chair, title="崩溃恢复测试", kind="yes_no_abstain", unit=unit)
voting.do_open_poll(actor=chair, poll=poll, voters=voters)
vote_storm = {
    "poll": poll.pk,
    "voters": {u.username: ApiToken.issue(u) for u in voters},
    "chair": ApiToken.issue(chair),
}
"""

SETUP_RUN = """
import json
from zhijia.accounts.models import ApiToken
from zhijia.assistance.actions import applications as apps
from zhijia.assistance.actions import ledger
from zhijia.assistance.models import Application
from zhijia.assistance.tests.support import after_notice, make_cadre, make_campaign, publish, review
from zhijia.org.demo import ensure_demo_accounts
from zhijia.org.models import Member

chair = ensure_demo_accounts()["chair"]
campaign = make_campaign(chair, income="100000")
ids = []
for member in Member.objects.filter(status=Member.Status.ACTIVE).order_by("pk")[:%(n)d]:
    application = apps.do_submit_application(
        actor=chair, campaign=campaign, member=member, amount="500",
        situation="家中老人重病，长期住院。",
    )
    review(chair, application)
    publish(chair, application)
    with after_notice(application):
        apps.do_approve_application(actor=chair, application=application)
    ids.append(application.pk)
run = ledger.do_prepare_payment_run(
    actor=chair, fund=campaign.fund, applications=Application.objects.filter(pk__in=ids)
)
checker = make_cadre("finance1", "U", "财务委员")
payment_run = {"run": run.pk, "fund": campaign.fund.pk, "checker": ApiToken.issue(checker)}
print(json.dumps({
    "vote_storm": vote_storm, "payment_run": payment_run,
    "registration_storm": registration_storm,
}))
"""

SETUP_REGISTRATION = """
from zhijia.services.tests.activities_support import make_activity, make_member_users
activity = make_activity(chair, unit, capacity=%(places)d, title="崩溃恢复羽毛球赛")
registrants = make_member_users(%(n)d, unit, prefix="storm")
registration_storm = {
    "activity": activity.pk,
    "members": {u.username: ApiToken.issue(u) for u in registrants},
}
"""

SETUP_NOTES = """
from zhijia.core.notify import notify
from zhijia.org.demo import ensure_demo_accounts
people = ensure_demo_accounts()
for i in range(%(n)d):
    notify(recipients=[people["worker1"]], kind="test.crash", title=f"第{i}条", body="崩溃恢复测试")
"""


def _votes(env, poll: int) -> dict:
    """Who voted, how many ballots, which trackers: read straight from the database (a check
    is a query, not a `zhijia` process)."""
    return {
        "voted": sorted(
            name
            for (name,) in query(
                env,
                "SELECT u.username FROM voting_voterroll r JOIN accounts_user u ON u.id = r.user_id"
                " WHERE r.poll_id = %s AND r.voted",
                (poll,),
            )
        ),
        "ballots": query(env, "SELECT count(*) FROM voting_ballot WHERE poll_id = %s", (poll,))[0][
            0
        ],
        "trackers": sorted(
            code
            for (code,) in query(env, "SELECT code FROM voting_tracker WHERE poll_id = %s", (poll,))
        ),
    }


def _payment_state(env, run: int, fund: int) -> dict:
    payments = [
        application
        for (application,) in query(
            env,
            "SELECT application_id FROM assistance_ledgerentry"
            " WHERE fund_id = %s AND kind = 'payment'",
            (fund,),
        )
    ]
    return {
        "state": query(env, "SELECT status FROM assistance_paymentrun WHERE id = %s", (run,))[0][0],
        "payments": len(payments),
        "paid_applications": sorted(set(payments)),
        "items": sorted(
            application
            for (application,) in query(
                env,
                "SELECT application_id FROM assistance_paymentrunitem WHERE run_id = %s",
                (run,),
            )
        ),
    }


def _deliveries(env) -> dict:
    rows = query(
        env,
        "SELECT d.id, d.status FROM core_delivery d"
        " JOIN core_notification n ON n.id = d.notification_id WHERE n.kind = 'test.crash'",
    )
    counts = {status: 0 for status in ("pending", "sent", "failed", "skipped")}
    for _, status in rows:
        counts[status] += 1
    return counts | {"ids": sorted(pk for pk, _ in rows)}


def _setup(env) -> dict:
    """The demo union (as `zhijia seed-demo --members 30` makes it), the poll of the vote storm,
    the activity of the registration storm and the payment run, made in one `zhijia manage
    shell`: {"vote_storm": {...}, "registration_storm": {...}, "payment_run": {...}}."""
    script = (
        SEED
        + SETUP % {"voters": VOTERS}
        + SETUP_REGISTRATION % {"n": REGISTRANTS, "places": PLACES}
        + SETUP_RUN % {"n": APPLICATIONS}
    )
    out = zhijia(env, "manage", "shell", "--no-imports", "-c", script).stdout
    return json.loads(out.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Process:
    """A `zhijia` command in a process group of its own, so SIGKILL reaches every process."""

    def __init__(self, env, log: Path, *args: str):
        self.env, self.log, self.args = env, log, args
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [ZHIJIA, *self.args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class Server(Process):
    def __init__(self, env, log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__(env, log, "serve", "--host", "127.0.0.1", "--port", str(self.port))
        self.args = (*self.args, "--workers", "2")

    def start(self) -> None:
        super().start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/", timeout=5):  # noqa: S310
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        pytest.fail(f"zhijia serve did not start:\n{self.log.read_text()[-4000:]}")


def _post(url: str, token: str, payload: dict) -> tuple[int | None, dict]:
    """(status, body); status None when no answer came (the server died or was down)."""
    request = urllib.request.Request(  # noqa: S310 - our own loopback server
        url,
        data=json.dumps(payload).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None, {}
    except http.client.HTTPException:  # the answer was cut off (IncompleteRead): none came
        return None, {}


def _vote_storm(env, server: Server, setup: dict) -> None:
    poll, tokens = setup["poll"], setup["voters"]
    cast = lambda name: _post(  # noqa: E731
        f"{server.url}/api/v1/voting/polls/{poll}/cast",
        tokens[name],
        {"choice": [["yes", "no", "abstain"][len(name) % 3]]},
    )
    answered, unknown = _storm(server, tokens, cast)
    acked = {name: body["tracker"] for name, body in answered.items()}
    server.start()
    # Whoever got no answer tries again: a vote that was committed is refused as a second one
    # (409), one that was not is cast now; nobody is refused who never voted.
    already = set()
    for name in sorted(unknown):
        status, body = cast(name)
        if status == 200:
            acked[name] = body["tracker"]
        else:
            assert status == 409, (name, status, body)
            already.add(name)
    state = _votes(env, poll)
    assert set(acked) | already == set(tokens), "every voter voted once in the end"
    assert state["voted"] == sorted(tokens)
    assert state["ballots"] == VOTERS, "no ballot lost, none doubled"
    assert set(acked.values()) <= set(state["trackers"]), "every acknowledged tracker is kept"
    assert len(state["trackers"]) == VOTERS


def _registrations(env, activity: int) -> list[tuple[str, str, int | None]]:
    """(username, status, waiting position) of each registration of the activity."""
    return sorted(
        query(
            env,
            "SELECT u.username, r.status, r.position FROM services_activityregistration r"
            " JOIN accounts_user u ON u.id = r.user_id WHERE r.activity_id = %s",
            (activity,),
        )
    )


def _storm(server: Server, tokens: dict[str, str], send) -> tuple[dict, set]:
    """Eight threads send one request per name (send(name) -> (status, body)); the server is
    killed once half of them were answered 2xx. ({name: body} answered, {names} unanswered)."""
    acked: dict[str, dict] = {}
    unknown: set[str] = set()
    lock = threading.Lock()
    pending = list(tokens)
    killed = threading.Event()

    def sender() -> None:
        while True:
            with lock:
                if not pending:
                    return
                name = pending.pop()
            status, body = send(name)
            with lock:
                if status in (200, 201):
                    acked[name] = body
                elif status is None:
                    unknown.add(name)
                else:
                    raise AssertionError(f"{name}: {status} {body}")

    def killer() -> None:
        while len(acked) < len(tokens) // 2:
            time.sleep(0.01)
        server.kill()
        killed.set()

    threads = [threading.Thread(target=sender) for _ in range(8)]
    threads.append(threading.Thread(target=killer))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert killed.is_set(), "the server was killed during the storm"
    assert unknown, "some requests were cut off by the kill"
    return acked, unknown


def _registration_storm(env, server: Server, setup: dict) -> None:
    activity, tokens = setup["activity"], setup["members"]
    register = lambda name: _post(  # noqa: E731
        f"{server.url}/api/v1/services/activities/{activity}/register", tokens[name], {}
    )
    acked, unknown = _storm(server, tokens, register)
    server.start()
    # Whoever got no answer registers again: a registration that was committed is refused as
    # a second one (409), one that was not is made now.
    for name in sorted(unknown):
        status, body = register(name)
        if status == 201:
            acked[name] = body
        else:
            assert status == 409, (name, status, body)
    rows = _registrations(env, activity)
    assert [name for name, _, _ in rows] == sorted(tokens), "one registration each"
    registered = {name for name, status, _ in rows if status == "registered"}
    waiting = sorted(position for _, status, position in rows if status == "waiting")
    assert len(registered) == PLACES, "every place taken, none over capacity"
    assert waiting == list(range(1, REGISTRANTS - PLACES + 1)), "the waiting list has no gaps"
    placed = {name for name, body in acked.items() if body["status"] == "registered"}
    assert placed <= registered, "every acknowledged place is kept"


def _payment_run(env, server: Server, setup: dict) -> None:
    approve = f"{server.url}/api/v1/assistance/payment-runs/{setup['run']}/approve"
    answer: list = []
    sender = threading.Thread(
        target=lambda: answer.append(_post(approve, setup["checker"], {"note": "核对无误"}))
    )
    sender.start()
    time.sleep(0.05)
    server.kill()
    sender.join(timeout=60)
    server.start()
    status, body = _post(approve, setup["checker"], {"note": "核对无误"})
    first = answer[0][0] if answer else None
    # Approved exactly once: by the first request (acknowledged or cut off after its commit)
    # or by the second.
    assert (first, status) in {(200, 409), (None, 200), (None, 409)}, (first, status, body)
    state = _payment_state(env, setup["run"], setup["fund"])
    assert state["state"] == "paid"
    assert state["payments"] == APPLICATIONS, "each application paid once"
    assert state["paid_applications"] == state["items"]


def _notification_queue(env, worker: Process) -> None:
    zhijia(env, "manage", "shell", "--no-imports", "-c", SETUP_NOTES % {"n": NOTIFICATIONS})
    worker.start()
    # Kill it as soon as its log shows a third of the backlog sent.
    deadline = time.monotonic() + 60
    while worker.log.read_text().count("[zhijia 通知] #") < NOTIFICATIONS // 3:
        assert time.monotonic() < deadline, "the worker sends"
        time.sleep(0.01)
    worker.kill()
    killed_at = _deliveries(env)
    assert killed_at["pending"] > 0, "the worker was killed with work left"
    worker.start()
    deadline = time.monotonic() + 120
    state = killed_at
    while state["pending"]:
        assert time.monotonic() < deadline, f"the queue drains: {state}"
        time.sleep(0.5)
        state = _deliveries(env)
    assert state["sent"] == len(state["ids"]) == NOTIFICATIONS, state
    # At-least-once: a delivery is claimed, sent and marked one at a time, so only what a
    # killed worker was sending at that moment (one per thread: the task runner and the
    # sweeper) can be sent again; nothing else twice.
    log = worker.log.read_text()
    sent_ids = [int(i) for i in state["ids"]]
    counts = {pk: log.count(f"[zhijia 通知] #{pk} ") for pk in sent_ids}
    assert min(counts.values()) >= 1, "every notification reached its channel"
    assert sum(1 for n in counts.values() if n > 1) <= 2, "only what was being sent is resent"


def _run_storms(tmp_path: Path, database_url: str | None, template: Path | None) -> None:
    env = installation(tmp_path / "data", database_url, template)
    env.update(
        {
            "PYTHONUNBUFFERED": "1",
            "ZHIJIA_NOTIFY_CHANNELS": "console",
            "ZHIJIA_NOTIFY_LEASE_SECONDS": "2",
        }
    )
    setup = _setup(env)
    server = Server(env, tmp_path / "server.log")
    worker = Process(
        env,
        tmp_path / "worker.log",
        "manage",
        "zhijia_worker",
        "--interval",
        "0.2",
        "--sweep-interval",
        "1",
    )
    server.start()
    try:
        _vote_storm(env, server, setup["vote_storm"])
        _registration_storm(env, server, setup["registration_storm"])
        _payment_run(env, server, setup["payment_run"])
        server.stop()
        _notification_queue(env, worker)
    finally:
        server.stop()
        worker.stop()


@pytest.fixture(scope="module")
def empty_sqlite(tmp_path_factory) -> Path:
    return empty_sqlite_installation(tmp_path_factory)


@pytest.mark.own_installation
def test_killed_server_and_worker_lose_nothing_acknowledged_sqlite(tmp_path, empty_sqlite):
    _run_storms(tmp_path, None, empty_sqlite)


@pytest.mark.skipif(not settings.DB_IS_POSTGRES, reason="needs the PostgreSQL test server")
def test_killed_server_and_worker_lose_nothing_acknowledged_postgresql(tmp_path):
    with postgres_databases(tmp_path, ("crash",), prefix="zhijia_crash") as urls:
        _run_storms(tmp_path, urls["crash"], None)
