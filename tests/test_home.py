"""The home page: the member home for members and representatives, the workspace for staff."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from zhijia.org.models import DuesRecord, Member


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("username", ["worker1", "worker2", "rep1"])
def test_members_get_the_member_home(login, username, personas):
    page = html(login(username).get(reverse("home")))
    assert "接下来要做" in page and "我的记录" in page
    assert personas[username].full_name in page
    assert "工作台" not in page
    assert f'href="{reverse("org:me")}"' in page
    # Honest empty state for notifications; no notices card until a notices module exists.
    assert "暂无通知" in page
    assert "工会公告" not in page
    # The representative's badge (the navigation names 职工代表听证 to every member).
    assert ('class="badge accent">职工代表</span>' in page) == (username == "rep1")


def test_member_home_lists_unpaid_dues_as_a_todo(login, personas):
    """Only a self-payer has dues to pay herself: the to-do says where (zhijia.org.home)."""
    member = Member.objects.get(user=personas["worker1"])
    member.dues_mode = "self"
    member.save()
    member.org_unit.dues_payment_note = "请向分工会财务缴纳"
    member.org_unit.save()
    month = timezone.localdate().replace(day=1)
    DuesRecord.objects.create(
        member=member, month=month, wage_income=Decimal("8000"), amount=Decimal("40.00")
    )
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    DuesRecord.objects.create(
        member=member,
        month=previous,
        wage_income=Decimal("8000"),
        amount=Decimal("40.00"),
        paid_at=timezone.now(),
    )
    page = html(login("worker1").get(reverse("home")))
    todo = page.split("接下来要做")[1].split("</section>")[0]
    assert "缴纳会费" in todo and "¥40.00" in todo and "请向分工会财务缴纳" in todo
    assert reverse("org:dues-member", args=[member.pk]) in todo
    assert "会费自缴：1 个月未缴" in page


def test_member_home_without_a_member_record(login, personas):
    member = Member.objects.get(user=personas["worker1"])
    member.user = None
    member.save()
    page = html(login("worker1").get(reverse("home")))
    assert "还没有关联会员档案" in page
    assert "我的记录" not in page


@pytest.mark.parametrize("username", ["branch1", "branch2", "chair"])
def test_cadres_get_the_workspace_with_their_scope(login, username, personas):
    page = html(login(username).get(reverse("home")))
    assert "工作台" in page and "接下来要做" not in page
    figures = page.split('class="figures"')[1].split("</ul>")[0]
    expected = {
        "branch1": Member.objects.filter(org_unit__code__startswith="B1"),
        "branch2": Member.objects.filter(org_unit__code__startswith="B2"),
        "chair": Member.objects.all(),
    }[username].filter(status=Member.Status.ACTIVE)
    values = re.findall(r'figure-value">([\d,]+)', figures)
    assert values and int(values[0].replace(",", "")) == expected.count()
    assert "在册会员" in figures and "欠缴会费会员" in figures
    assert f'href="{reverse("org:member-list")}"' in page


def test_handler_workspace_shows_no_member_figures(login):
    page = html(login("handler1").get(reverse("home")))
    assert "工作台" in page
    assert "在册会员" not in page and "欠缴会费会员" not in page


def test_shell_has_skip_link_language_switch_and_navigation(login):
    page = html(login("branch1").get(reverse("home")))
    assert 'href="#main"' in page and 'id="main"' in page
    assert f'action="{reverse("set_language")}"' in page
    assert 'name="language" value="en"' in page
    assert 'aria-label="主导航"' in page
    assert reverse("core:inbox") in page


@pytest.fixture
def restore_language():
    # LocaleMiddleware activates the request's language in this thread and leaves it active:
    # put the default back so that later tests see Chinese again.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_home_in_english(login, restore_language):
    client = login("worker1")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = html(client.get(reverse("home")))
    assert '<html lang="en">' in page
    assert "What to do next" in page and "My records" in page
    assert 'name="language" value="zh-hans"' in page


def test_modules_add_their_todos_and_a_failing_one_is_skipped(login, personas):
    from zhijia.core import home

    def votes(user):
        if user == personas["worker1"]:
            yield home.Todo("参加表决", "/voting/", "1 项表决等您投票", urgent=True)

    def broken(user):
        raise RuntimeError("module bug")

    saved = list(home._PROVIDERS)
    home.register_todos(votes)
    home.register_todos(broken)
    try:
        page = html(login("worker1").get(reverse("home")))
        other = html(login("worker2").get(reverse("home")))
    finally:
        home._PROVIDERS[:] = saved
    todo = page.split("接下来要做")[1].split("</section>")[0]
    assert "参加表决" in todo and "1 项表决等您投票" in todo
    assert todo.index("参加表决") < todo.index("核对我的会员档案"), "urgent items come first"
    assert "参加表决" not in other


def test_modules_add_their_todos_to_the_member_home(login, personas):
    from zhijia.disclosure.demo import ensure_demo_disclosures

    page = html(login("worker1").get(reverse("home")))
    assert "项公开事项未读" not in page
    assert ensure_demo_disclosures() > 0  # items addressed to branch 1, unread by worker1
    page = html(login("worker1").get(reverse("home")))
    assert "项公开事项未读" in page


def test_modules_add_their_figures_and_a_failing_one_is_skipped(login):
    from zhijia.core import home

    def cases(user):
        yield home.Figure("待办诉求", 7, url="/cases/", order=15)

    def broken(user):
        raise RuntimeError("module bug")

    saved = list(home._FIGURE_PROVIDERS)
    home.register_figures(cases)
    home.register_figures(broken)
    try:
        page = html(login("branch1").get(reverse("home")))
    finally:
        home._FIGURE_PROVIDERS[:] = saved
    figures = page.split('class="figures"')[1].split("</ul>")[0]
    assert "待办诉求" in figures
    # By order: org's members (10), this one (15), org's arrears (20), core's unread last.
    labels = ["在册会员", "待办诉求", "欠缴会费会员", "未读通知"]
    assert [figures.index(label) for label in labels] == sorted(
        figures.index(label) for label in labels
    )
