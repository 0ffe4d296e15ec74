"""The accessibility check itself (a11y.py): it runs on a page the test loads, before the test's
next call, and reports a serious violation with its rule, elements and page; once per page."""

from __future__ import annotations

import pytest

from tests.e2e import a11y

pytestmark = pytest.mark.e2e

# A page with two serious or critical violations (an image without a text alternative, an
# unnamed button) and one moderate one (no <main>), served in place of the site's.
BROKEN = """<!doctype html><html lang="zh-hans"><head><title>a11y probe</title></head>
<body><h1>probe</h1><img src="/static/zhijia/favicon.svg"><button></button></body>
</html>"""


def test_a_violation_on_a_loaded_page_is_reported_once(desktop_page):
    page = desktop_page
    page.route(
        "**/a11y-probe/",
        lambda route: route.fulfill(status=200, content_type="text/html", body=BROKEN),
    )
    page.goto("/a11y-probe/")
    assert page.locator("h1").inner_text() == "probe"  # this call runs the check first
    found = a11y.violations()
    # The report is this test's subject, not its failure.
    a11y.start_test()
    assert any(
        v.startswith("/a11y-probe/ at 1366x900") and "image-alt (critical)" in v for v in found
    )
    # Each with the elements (CSS selectors) that fail it.
    assert any("button-name (critical)" in v and "\n    button" in v for v in found), found
    assert not any("landmark-one-main" in v for v in found), "moderate rules are not counted"

    # The same page again at the same size: not checked again.
    page.reload()
    page.locator("h1").inner_text()
    assert a11y.violations() == []
