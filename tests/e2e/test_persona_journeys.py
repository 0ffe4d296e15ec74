"""Each demo persona's main journey, on a laptop (1366×900) and on a phone (390×844).

A persona signs in once, in a browser context of its own, goes from its home page to its main
work page on the laptop, then the window is narrowed to the phone's size and it goes the same
way again (a resized context rather than a mobile one: the pages' layout follows the width
alone). Each step is photographed (test-artifacts/screenshots/journey-*.png) and every page is
checked by axe-core at both sizes (conftest.py).

The personas whose journeys other files walk at both sizes: worker1 (test_phone.py,
test_member_home.py), branch1 (test_member_list.py at a desk; test_phone.py's menu and
test_org_tree.py on a phone), rep1 (test_congress.py on the phone, test_assistance.py at a desk).
Here: worker2 raises a grievance, which branch2 then finds in the work queue (我的待办), and
the chair, handler1, mediator1, counselor1 and the administrator reach their main work page.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.e2e.browser import WOMEN_ONLY_ENTRANCES, WORKER_ENTRANCES, log_in, screenshot
from tests.e2e.conftest import DESKTOP, PHONE, _new_page

pytestmark = pytest.mark.e2e

# The worker of these journeys is worker2, a man: the women-only entrances are not his.
ENTRANCES = [e for e in WORKER_ENTRANCES if e not in WOMEN_ONLY_ENTRANCES]
BRANCH2_UNITS = {"第二分工会", "输配电班组", "变电班组", "调度班组", "线路班组"}
GRIEVANCE = "检修车间更衣室的暖气坏了一个冬天，报修三次仍未修好。"
SIZES = [(DESKTOP, "1366"), (PHONE, "390")]


def _width(page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _at(page, viewport: dict) -> None:
    """Resize the window and open the home page afresh."""
    page.set_viewport_size(viewport)
    page.goto(reverse("home"))
    assert _width(page) <= viewport["width"], f"{page.url} scrolls sideways"


def _member_home(page, name: str, viewport: dict) -> None:
    assert page.locator("h1").first.inner_text() == f"您好，{name}"
    assert page.get_by_role("heading", name="接下来要做").is_visible()
    grid = page.locator("main ul.entrances")
    assert [t.strip() for t in grid.locator("a").all_inner_texts()] == ENTRANCES
    # The tab bar on the phone, the module menu on the laptop.
    on_phone = viewport == PHONE
    assert page.locator("nav.tabbar").is_visible() == on_phone
    assert page.locator("nav.mainnav").is_visible() != on_phone


def _workspace(page, badge: str, *, queues: bool = True) -> None:
    """The cadre's workspace: greeting with the role, and 我的待办 (its queues or none)."""
    assert page.locator("main h1").inner_text() == "工作台"
    assert badge in page.locator(".page-head .badge").all_inner_texts()
    section = page.locator("section[data-queues]")
    if not queues:
        assert section.count() == 0
        return
    assert section.get_by_role("heading", name="我的待办").is_visible()
    # Either queues with work or the sentence that there is none, never an empty box.
    items = section.locator("li.queue").count()
    empty = section.locator("[data-queues-empty]").count()
    assert (items > 0) != (empty > 0), section.inner_text()


def _open(page, link, url_name: str) -> None:
    """Follow a link of the page to url_name's page."""
    link.click()
    page.wait_for_url(re.compile(re.escape(reverse(url_name)) + r"(\?.*)?$"))


def _column(page, header: str) -> list[str]:
    heads = [h.strip() for h in page.locator("table.dense thead th").all_inner_texts()]
    index = heads.index(header)
    cells = page.locator(f"table.dense tbody tr td:nth-child({index + 1})")
    return [c.strip() for c in cells.all_inner_texts()]


def test_worker2_raises_a_grievance_that_branch2_finds_in_the_work_queue(browser, e2e_server):
    context, worker = _new_page(browser, e2e_server, DESKTOP)
    contexts = [context]
    try:
        log_in(worker, "worker2")
        # --- worker2: home → the service entrances → 我要维权, at both sizes ------------------
        for viewport, width in SIZES:
            _at(worker, viewport)
            _member_home(worker, "刘伟", viewport)
            screenshot(worker, f"journey-worker2-home-{width}", full_page=False)
            entrance = worker.locator("main ul.entrances").get_by_role("link", name="我要维权")
            _open(worker, entrance, "cases:grievance-create")
            form = worker.locator("main form.card")
            assert form.get_by_label("反映诉求").is_visible()
            assert form.locator("#id_category option").count() > 3
            assert _width(worker) <= viewport["width"]
            screenshot(worker, f"journey-worker2-grievance-form-{width}", full_page=False)
        # On the phone she sends it: her branch union handles it.
        form.get_by_label("反映诉求").check()
        form.locator("#id_category").select_option("other")
        form.locator("#id_text").fill(GRIEVANCE)
        with worker.expect_navigation():
            form.get_by_role("button", name="提交").click()
        assert re.search(r"/cases/\d+/$", worker.url), worker.url
        assert "已提交，工会将在办理期限内答复您。" in worker.locator("main").inner_text()
        assert "待办理" in worker.locator("h1").inner_text()
        screenshot(worker, "journey-worker2-grievance-sent-390")

        # --- branch2: the workspace's 我的待办 → the queue, at both sizes -----------------------
        context, cadre = _new_page(browser, e2e_server, DESKTOP)
        contexts.append(context)
        log_in(cadre, "branch2")
        for viewport, width in SIZES:
            _at(cadre, viewport)
            _workspace(cadre, "分工会主席 · 第二分工会")
            queue = cadre.locator("[data-queue='cases.to_handle']")
            assert queue.locator(".queue-label").inner_text() == "待办理的诉求"
            assert int(queue.locator("[data-count]").inner_text()) >= 1
            assert re.search(r"最早一项已等 \d+ 天", queue.inner_text()), queue.inner_text()
            screenshot(
                cadre, f"work-queue-branch2-{width}", full_page=False, readme=width == "1366"
            )
            _open(cadre, queue.locator("a.queue-main"), "cases:queue")
            assert cadre.get_by_role("heading", name="诉求办理").is_visible()
            row = cadre.locator("table.dense tbody tr", has_text=GRIEVANCE[:12])
            assert row.count() == 1, cadre.locator("main").inner_text()
            assert "待办理" in row.inner_text()
            units = set(_column(cadre, "所属工会"))
            assert units and units <= BRANCH2_UNITS, f"branch2 sees units outside: {units}"
            screenshot(cadre, f"journey-branch2-queue-{width}", full_page=False)
    finally:
        for context in contexts:
            context.close()


# (persona, role badge on the workspace, has work queues, menu entry, its page, what it shows)
CADRES = [
    (
        "chair",
        "主席 · 示例能源集团工会委员会",
        True,
        "会员名册",
        "org:member-list",
        ["会员名册", "身份证号", "所属工会"],
    ),
    (
        "handler1",
        "专员 · 人力资源部",
        True,
        "承办诉求",
        "cases:department-queue",
        ["承办诉求", "承办部门", "只看超期"],
    ),
    (
        "mediator1",
        "调解委员 · 示例能源集团工会委员会",
        True,
        "劳动争议调解",
        "cases:mediation-list",
        ["劳动争议调解", "待受理", "调解员", "15 日期满"],
    ),
    (
        "counselor1",
        "心理咨询师 · 全局",
        True,
        "咨询日程",
        "services:counseling-desk",
        ["咨询日程", "发布时段", "即将开始", "已结束"],
    ),
    ("admin", "系统管理员 · 全局", False, "系统配置", "zhijia_admin:index", ["系统配置", "账号"]),
]


@pytest.mark.parametrize(
    ("username", "badge", "queues", "entry", "url_name", "shows"),
    CADRES,
    ids=[c[0] for c in CADRES],
)
def test_cadre_goes_from_the_workspace_to_the_main_work_page(
    browser, e2e_server, username, badge, queues, entry, url_name, shows
):
    context, page = _new_page(browser, e2e_server, DESKTOP)
    try:
        log_in(page, username)
        for viewport, width in SIZES:
            _at(page, viewport)
            _workspace(page, badge, queues=queues)
            screenshot(page, f"journey-{username}-home-{width}", full_page=False)
            # The work page is one of the workspace's module cards.
            link = page.locator("main .cards").get_by_role("link", name=entry, exact=True)
            _open(page, link, url_name)
            text = page.locator("main").inner_text()
            missing = [s for s in shows if s not in text]
            assert not missing, f"{username}: {missing} not on {page.url}:\n{text[:1500]}"
            assert _width(page) <= viewport["width"], f"{page.url} scrolls sideways"
            if username == "chair":
                # The committee's chair sees the members of every branch union.
                units = set(_column(page, "所属工会"))
                assert units - BRANCH2_UNITS and units & BRANCH2_UNITS, units
            screenshot(page, f"journey-{username}-work-{width}", full_page=False)
    finally:
        context.close()
