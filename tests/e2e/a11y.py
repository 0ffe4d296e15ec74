"""axe-core on every page the end-to-end tests load, at every viewport they load it in.

axe-core comes from the npm registry, pinned in tests/e2e/axe/package-lock.json and installed by
scripts/js-deps.sh (make test). It is put into each page with `page.evaluate`, which runs in the
page's main world through the DevTools protocol: the site's Content-Security-Policy, which
forbids inline scripts, does not apply to it, so the policy stays on (no `bypass_csp`) and the
suite still sees every refusal (conftest.py).

When: after each page load, before the test's next browser call. A `load` listener notes the
page; the next call the test makes through Playwright's synchronous API (a goto, a click, an
assertion, closing the context) first runs axe on every noted page, and the end of the test runs
it on those still noted. So axe sees each document as it was loaded, while nothing else drives
the page, and never races with the test. (Running axe in the `load` listener itself would not
do: Playwright runs listeners in a greenlet of their own while the test goes on, and the test's
next navigation would end the check half-way, the more often the faster the test.) The one
place every call of Playwright's synchronous API goes through is its private `SyncBase._sync`;
`install()` wraps it (playwright is pinned in pyproject.toml; `install()` fails loudly if the
method is gone).

What: each page once per test run for each path (without the query), viewport size and kind of
page (the language and the body's classes: / is the member home of a member and the workspace
of a cadre, /org/members/ a list or a 404 page). A serious or critical violation fails the test
that loaded the page, with the rule, its impact, the elements (CSS selectors) and the page.
Moderate and minor ones are not counted. test-artifacts/axe-pages.txt lists what was checked.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import greenlet

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
# Rules switched off, each with the reason it is a false positive here (none so far).
DISABLED_RULES: dict[str, str] = {}
# Parts of pages left out, each with the reason: path -> CSS selector.
EXCLUDED: dict[str, str] = {
    # The API's docs page is Swagger UI, a third-party script (django-ninja's copy) that builds
    # the whole page at run time: its colours (white on light green method badges) and its
    # expanding operation rows (a button holding buttons) are its design, not zhijia's
    # templates, and the page is a developer's tool, not a member's or a cadre's page. The page
    # around it (zhijia/templates/ninja/swagger.html) is checked.
    "/api/v1/docs": "#swagger-ui",
}
# What Playwright says when the page moved on or closed under a check: not the check's fault,
# and the page's next load is checked. Any other error fails the test (a broken check must not
# pass everything).
_GONE = re.compile(r"context was destroyed|has been closed|frame was detached", re.IGNORECASE)

# The kind of page: its language and the body's classes (None: not an HTML page).
_KIND = """() => document.contentType === "text/html" && document.body
  ? `${document.documentElement.lang} ${document.body.className}`.trim() : null"""
# axe gives each rule one impact, and every failure of the rule has it (axe.js, finalizeRuleResult):
# the rules of a lesser impact can never fail a test, so they are not run (a quarter of axe's
# time). The impacts are in axe's own rule table (axe._audit.rules; axe.getRules() omits them).
_RUN = """async ([exclude, failing, disabled]) => {
  const rules = {};
  for (const rule of axe._audit.rules) {
    if (!failing.includes(rule.impact) || disabled.includes(rule.id)) {
      rules[rule.id] = {enabled: false};
    }
  }
  const options = {resultTypes: ["violations"], rules};
  const result = await axe.run(exclude ? {exclude: [[exclude]]} : document, options);
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({impact: n.impact, target: n.target.flat().join(" "),
                              summary: n.failureSummary}))
  }));
}"""

_source: list[str] = []
_checked: set[tuple[str, str, str]] = set()  # path, viewport, language and body classes
_pending: dict = {}  # page -> True: a document loaded since the last check
_violations: list[str] = []
_busy: list[bool] = []
# What was checked, for test-artifacts/axe-pages.txt: path, viewport, kind, seconds, rules
# failed; and the seconds spent in checks, the pages already checked included.
_log: list[str] = []
_spent: list[float] = [0.0]


def _axe_source() -> str:
    if not _source:
        if not AXE_JS.exists():
            raise RuntimeError(
                f"{AXE_JS} is missing: run scripts/js-deps.sh (npm ci in tests/e2e/axe)"
            )
        _source.append(AXE_JS.read_text())
    return _source[0]


def watch_page(page) -> None:
    """Note every load of this page's main frame; forget the page when it closes."""
    if getattr(page, "_zhijia_axe", False):
        return
    page._zhijia_axe = True
    page.on("load", lambda: _pending.__setitem__(page, True))
    page.on("close", lambda: _pending.pop(page, None))


def watch(context) -> None:
    context.on("page", watch_page)


def _check(page) -> None:
    url = page.url
    if not url.startswith("http"):
        return
    size = page.viewport_size or {"width": 0, "height": 0}
    # One address serves different pages: the member home or the workspace at /, a page or
    # its 403/404 at /org/members/; the body's classes and the language tell them apart.
    kind = _evaluate(page, _KIND)
    if kind is None:  # not an HTML page (a JSON answer, a file)
        return
    key = (urlsplit(url).path, f"{size['width']}x{size['height']}", kind)
    if key in _checked:
        return
    started = time.monotonic()
    if _evaluate(page, _axe_source() + "\n;true") is None:
        return
    arg = [EXCLUDED.get(key[0]), list(FAILING_IMPACTS), list(DISABLED_RULES)]
    violations = _evaluate(page, _RUN, arg)
    if violations is None:
        return
    _checked.add(key)
    rules = [v["id"] for v in violations if v["impact"] in FAILING_IMPACTS]
    _log.append("\t".join([*key, f"{time.monotonic() - started:.2f}s", " ".join(rules)]))
    for v in violations:
        nodes = [n for n in v["nodes"] if (n["impact"] or v["impact"]) in FAILING_IMPACTS]
        if not nodes:
            continue
        targets = "; ".join(n["target"] for n in nodes[:6])
        more = f" (and {len(nodes) - 6} more)" if len(nodes) > 6 else ""
        _violations.append(
            f"{key[0]} at {key[1]} ({key[2]}): {v['id']} ({v['impact']}): {v['help']}\n"
            f"    {targets}{more}\n    {nodes[0]['summary']}".rstrip()
        )


def _evaluate(page, script: str, arg=None):
    """page.evaluate, or None when the page moved on or closed meanwhile."""
    try:
        return page.evaluate(script, arg)
    except Exception as error:
        if _GONE.search(str(error)):
            return None
        raise


def check_pending() -> None:
    """Run axe on every page loaded since the last check (not re-entered by its own calls)."""
    if _busy or not _pending:
        return
    _busy.append(True)
    started = time.monotonic()
    try:
        while _pending:
            page = next(iter(_pending))
            del _pending[page]
            if page.is_closed():
                continue
            try:
                _check(page)
            except Exception as error:  # noqa: BLE001 - reported as the test's failure
                _violations.append(f"{page.url}: axe-core could not run: {error}")
    finally:
        _busy.clear()
        _spent[0] += time.monotonic() - started


def write_log() -> Path:
    """The pages checked in this run, one a line (test-artifacts/axe-pages.txt)."""
    out = ROOT / "test-artifacts" / "axe-pages.txt"
    out.parent.mkdir(parents=True, exist_ok=True)
    axe = sum(float(line.split("\t")[3].rstrip("s")) for line in _log)
    head = f"# {len(_log)} pages, {axe:.1f} s in axe, {_spent[0]:.1f} s in all checks\n"
    out.write_text(head + "".join(f"{line}\n" for line in _log))
    return out


def start_test() -> None:
    del _violations[:]


def violations() -> list[str]:
    return list(dict.fromkeys(_violations))


def install() -> None:
    """Wrap Playwright's synchronous call so that axe runs before the test's next call."""
    from playwright._impl import _sync_base

    sync = _sync_base.SyncBase._sync
    if getattr(sync, "_zhijia_axe", False):
        return

    def _sync(self, awaitable):
        # Only the test's own calls (the root greenlet), not those of event listeners.
        if _pending and not _busy and greenlet.getcurrent().parent is None:
            check_pending()
        return sync(self, awaitable)

    _sync._zhijia_axe = True  # type: ignore[attr-defined]
    _sync_base.SyncBase._sync = _sync
