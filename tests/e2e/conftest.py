"""End-to-end fixtures: a real `zhijia serve` on a free loopback port and Debian's chromium.

The server gets its own data directory (SQLite), migrated and seeded with
`zhijia seed-demo --members 200`, once per test session. The browser is Playwright's Python
package driving /usr/bin/chromium headless (never `playwright install`); set
ZHIJIA_CHROMIUM to use another binary. Screenshots go to test-artifacts/screenshots, and the
README's pictures also to $ZHIJIA_SCREENSHOTS_DIR when set (`make screenshots` points it at
docs/screenshots).

Every page of every test is watched: a Content-Security-Policy violation (the browser's
"Refused to ..." console message or a securitypolicyviolation event) or an uncaught script error
fails the test that caused it, and so does a serious or critical accessibility violation that
axe-core finds on a page the test loaded (a11y.py: each path once per run and viewport size).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e import a11y

ROOT = Path(__file__).resolve().parents[2]
ZHIJIA = str(Path(sys.executable).with_name("zhijia"))
CHROMIUM = os.environ.get("ZHIJIA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


_SERVER_LOG: list[Path] = []
# Refusals and script errors seen by the pages of the running test, and its open contexts.
_REFUSALS: list[str] = []
_CONTEXTS: list = []
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("securitypolicyviolation: " + e.violatedDirective + " refused "
    + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _watch(context) -> None:
    """Record what the Content-Security-Policy refuses, and uncaught errors, on every page."""
    context.add_init_script(_REPORT_VIOLATIONS)

    def on_console(message) -> None:
        text = message.text
        if "Refused to" in text or "securitypolicyviolation" in text:
            where = message.page.url if message.page else "?"
            _REFUSALS.append(f"{where}: {text}")

    context.on("console", on_console)
    context.on("weberror", lambda error: _REFUSALS.append(f"uncaught script error: {error.error}"))
    a11y.watch(context)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail a test whose pages saw a policy violation, a script error or a serious or critical
    accessibility violation (after its own checks)."""
    del _REFUSALS[:]
    a11y.start_test()
    try:
        result = yield
    except Exception as error:
        # The pages are now marked checked: say what axe found, or no test ever would.
        if a11y.violations():
            error.add_note("axe-core also found:\n" + "\n".join(a11y.violations()))
        raise
    # The pages loaded since the test's last browser call.
    a11y.check_pending()
    for context in list(_CONTEXTS):
        for page in context.pages:
            # A round trip: events sent before it have arrived (a closed or navigating page
            # has nothing pending).
            with contextlib.suppress(Exception):
                page.evaluate("0")
    problems = []
    if _REFUSALS:
        refusals = "\n".join(dict.fromkeys(_REFUSALS))
        problems.append(f"the browser refused or failed:\n{refusals}")
    if a11y.violations():
        found = "\n".join(a11y.violations())
        problems.append(f"axe-core found serious or critical accessibility violations:\n{found}")
    if problems:
        raise AssertionError("\n".join(problems))
    return result


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failed end-to-end test, show the end of the server's log (tracebacks of 500s)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _SERVER_LOG and _SERVER_LOG[0].exists():
        report.sections.append(("zhijia serve log", _SERVER_LOG[0].read_text()[-6000:]))


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the marker into the nodeid
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist with --dist loadgroup (e.g. `pytest -n 2 --dist loadgroup` by hand;
    make test runs the e2e tests in a run of their own) every end-to-end test goes to the same
    worker: one seeded server and one browser instead of one per worker, and as the largest
    group it starts first rather than trailing at the end of the run."""
    if not config.pluginmanager.hasplugin("xdist"):
        return  # (the marker is xdist's: unknown to --strict-markers without it)
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.xdist_group("e2e"))


# After xdist's own hook has added the group to the nodeid (pytest reads conftest hooks by
# their "pytest_" names; specname says which hook this one is).
@pytest.hookimpl(specname="pytest_collection_modifyitems", trylast=True)
def pytest_collection_modifyitems_check_e2e_group(config, items):
    """On an xdist worker with --dist loadgroup, an end-to-end test whose nodeid lacks the
    "@e2e" suffix would be scheduled alone (a second server and browser on another worker, as
    pytest 9.2 with pytest-xdist 3.8 did): stop rather than run on, slower, unnoticed."""
    if not getattr(config.option, "loadgroup", False):
        return
    lost = [item.nodeid for item in items if item.get_closest_marker("e2e")]
    lost = [nodeid for nodeid in lost if not nodeid.endswith("@e2e")]
    if lost:
        raise pytest.UsageError(
            f"pytest-xdist did not group the end-to-end tests ({lost[0]}): check the pytest "
            "and pytest-xdist versions in pyproject.toml"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("a") as out:
        result = subprocess.run(args, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def e2e_server(tmp_path_factory):
    """The base URL of a seeded zhijia server running in a subprocess."""
    data_dir = tmp_path_factory.mktemp("e2e-data")
    log = data_dir / "server.log"
    _SERVER_LOG[:] = [log]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"ZHIJIA_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    # run-syncdb also creates the tables of apps without migrations yet; a no-op otherwise.
    _run([ZHIJIA, "manage", "migrate", "--run-syncdb", "--noinput", "-v", "0"], env, log)
    _run([ZHIJIA, "seed-demo", "--members", "200"], env, log)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("a") as out:
        proc = subprocess.Popen(
            [ZHIJIA, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                login = f"{url}/accounts/login/"  # our own loopback server
                with urllib.request.urlopen(login, timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"zhijia serve did not start:\n{log.read_text()[-4000:]}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="package")
def browser():
    # Playwright only here: its event loop must not linger into the database tests.
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    if not a11y.AXE_JS.exists():
        pytest.fail(f"{a11y.AXE_JS} not found: run scripts/js-deps.sh (npm ci in tests/e2e/axe)")
    a11y.install()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
            a11y.write_log()


def _new_page(browser, base_url: str, viewport: dict, **kwargs):
    context = browser.new_context(
        base_url=base_url, viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai", **kwargs
    )
    context.set_default_timeout(15_000)
    _watch(context)
    _CONTEXTS.append(context)
    context.on("close", lambda _: _CONTEXTS.remove(context) if context in _CONTEXTS else None)
    page = context.new_page()
    a11y.watch_page(page)
    return context, page


@pytest.fixture
def phone_page(browser, e2e_server):
    context, page = _new_page(browser, e2e_server, PHONE, is_mobile=True, has_touch=True)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser, e2e_server):
    context, page = _new_page(browser, e2e_server, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def new_desktop_page(browser, e2e_server):
    """A factory of further independent sessions (another user at the same time)."""
    contexts = []

    def make():
        context, page = _new_page(browser, e2e_server, DESKTOP)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()
