"""Activation on a phone: a newly imported worker activates her account with her 工号, the
last six characters of her ID number and the SMS code the console channel printed; a branch
chair prints the activation slips of a union group.

The members are imported with `zhijia import-members` into the e2e server's database. The
SMS travels the real way: the action queues it, `zhijia manage zhijia_worker --once` delivers
it through the console adapter, and the test reads the code from the worker's standard output.
"""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from django.urls import reverse

from tests.e2e.browser import log_in, screenshot
from tests.e2e.conftest import _SERVER_LOG, ZHIJIA
from zhijia.accounts.tests.activation_helpers import pdf_page_count, pdf_slip_numbers
from zhijia.org.demo import demo_person
from zhijia.org.normalize import COLUMNS

pytestmark = pytest.mark.e2e

NEW_WORKER = "N90001"
GROUP_CODE = "B1-G3"  # 检修班组 of 第一分工会
GROUP_NEW = [f"N9{n:04d}" for n in range(10, 15)]
PASSWORD = "Qiao-mai-2026"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"ZHIJIA_DATA_DIR": str(_SERVER_LOG[0].parent), "PYTHONUNBUFFERED": "1"})
    return env


def _zhijia(*args: str) -> str:
    result = subprocess.run(
        [ZHIJIA, *args], env=_env(), capture_output=True, text=True, check=False, timeout=180
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def new_people(e2e_server):
    """Imports one new worker (B1-G4) and five new members of GROUP_CODE; 工号 -> person."""
    people = {}
    lines = [",".join(COLUMNS)]
    for n, (employee_no, unit) in enumerate(
        [(NEW_WORKER, "B1-G4")] + [(no, GROUP_CODE) for no in GROUP_NEW]
    ):
        person = demo_person(90_000 + n)
        if n == 0:
            while person.gender != "F":  # "she": pick a woman
                n += 1000
                person = demo_person(90_000 + n)
        people[employee_no] = person
        cells = {
            "工号": employee_no,
            "姓名": person.name,
            "性别": "女" if person.gender == "F" else "男",
            "身份证号": person.id_number,
            "手机号": person.phone,
            "所属工会": unit,
        }
        lines.append(",".join(cells.get(column, "") for column in COLUMNS))
    roster = _SERVER_LOG[0].parent / "new-members.csv"
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _zhijia("import-members", str(roster))
    return people


def _sms_code_for(employee_no: str) -> str:
    """Deliver the queued notifications (console adapter) and read the member's code."""
    out = _zhijia("manage", "zhijia_worker", "--once")
    blocks = out.split("=" * 60)
    for block in reversed(blocks):
        if f"→ m.{employee_no} " in block:
            match = re.search(r"验证码 (\d{6})", block)
            if match:
                return match.group(1)
    raise AssertionError(f"no SMS for {employee_no} in the worker's output:\n{out[-3000:]}")


def test_new_worker_activates_on_her_phone(phone_page, new_people):
    page = phone_page
    person = new_people[NEW_WORKER]
    # The login page leads to activation.
    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="首次使用？激活账号").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("accounts:activate"))
    # An account without a password cannot sign in yet.
    page.fill("input[name=identifier]", NEW_WORKER)
    page.fill("input[name=id_tail]", person.id_number[-6:].lower())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"activation page is {width}px wide on a 390px phone"
    screenshot(page, "activation-start")
    with page.expect_navigation():
        page.get_by_role("button", name="获取短信验证码").click()
    assert page.url.endswith(reverse("accounts:activate-code"))
    assert "验证码已通过短信发送" in page.locator("main").inner_text()

    code = _sms_code_for(NEW_WORKER)
    page.fill("input[name=code]", code)
    with page.expect_navigation():
        page.get_by_role("button", name="下一步").click()
    assert page.url.endswith(reverse("accounts:activate-password")), page.url
    assert person.name in page.locator("main").inner_text()
    page.fill("input[name=password]", "12345678")
    page.fill("input[name=password2]", "12345678")
    with page.expect_navigation():
        page.get_by_role("button", name="完成激活并登录").click()
    assert page.locator(".acc-field.has-error").count() >= 1  # the password rules said no
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="完成激活并登录").click()
    assert page.url.endswith(reverse("home")), page.url
    assert person.name in page.locator("main").inner_text()
    screenshot(page, "activation-done")

    # From now on she signs in with her 工号 and the new password.
    page.context.clear_cookies()
    log_in(page, NEW_WORKER, PASSWORD)
    assert person.name in page.locator("main").inner_text()


def test_branch_chair_prints_slips_for_a_union_group(desktop_page, new_people, tmp_path):
    page = desktop_page
    log_in(page, "branch1")
    page.goto(reverse("accounts:activation-manage"))
    option = page.locator("select[name=unit] option", has_text="检修班组")
    page.select_option("select[name=unit]", value=option.get_attribute("value"))
    with page.expect_navigation():
        page.get_by_role("button", name="筛选").click()
    body = page.locator("main").inner_text()
    for employee_no in GROUP_NEW:
        assert employee_no in body
    with page.expect_navigation():
        page.get_by_role("button", name="打印激活单").click()
    text = page.locator("main").inner_text()
    assert f"将为 {len(GROUP_NEW)} 名未激活的会员" in text
    screenshot(page, "activation-slips-confirm")
    page.get_by_role("button", name="生成并下载 PDF").click()
    dialog = page.locator("dialog.confirm")  # the earlier slips stop working: it asks first
    assert "此前打印的激活单随之作废" in dialog.locator(".confirm-message").inner_text()
    with page.expect_download() as info:
        dialog.locator(".confirm-ok").click()
    path = tmp_path / "slips.pdf"
    info.value.save_as(path)
    pdf = path.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert sorted(pdf_slip_numbers(pdf)) == sorted(GROUP_NEW)
    assert pdf_page_count(pdf) == 2  # five slips, three to a page
