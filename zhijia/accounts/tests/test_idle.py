"""Idle timeout by role: 15 minutes for admins, 30 for cadres, configurable."""

import datetime as dt

import pytest
import time_machine

from zhijia.accounts.tests.helpers import LOGIN_URL, T0

pytestmark = pytest.mark.django_db

PAGE = "/accounts/security/"


def _signed_in(response) -> bool:
    return response.status_code == 200


@pytest.mark.parametrize(("persona", "minutes"), [("admin", 15), ("branch1", 30), ("chair", 30)])
def test_idle_session_ends_after_the_role_limit(login, persona, minutes):
    with time_machine.travel(T0, tick=False) as traveller:
        client = login(persona)
        assert _signed_in(client.get(PAGE))
        traveller.shift(dt.timedelta(minutes=minutes - 1))
        assert _signed_in(client.get(PAGE))  # activity restarts the clock
        traveller.shift(dt.timedelta(minutes=minutes - 1))
        assert _signed_in(client.get(PAGE))
        traveller.shift(dt.timedelta(minutes=minutes, seconds=1))
        response = client.get(PAGE)
        assert response.status_code == 302
        assert response.url == f"{LOGIN_URL}?next=%2Faccounts%2Fsecurity%2F"
        assert "_auth_user_id" not in client.session
        page = client.get(response.url)
        assert "您长时间未操作，为保护账号安全已自动退出，请重新登录。" in page.content.decode()
        # Said once, not on every later visit.
        assert "长时间未操作" not in client.get(LOGIN_URL).content.decode()


def test_members_keep_their_session_much_longer(login):
    with time_machine.travel(T0, tick=False) as traveller:
        client = login("worker1")
        assert _signed_in(client.get(PAGE))
        traveller.shift(dt.timedelta(hours=8))
        assert _signed_in(client.get(PAGE))


def test_idle_limits_are_configurable(login, settings):
    settings.ZHIJIA_IDLE_MINUTES = {**settings.ZHIJIA_IDLE_MINUTES, "cadre": 5}
    with time_machine.travel(T0, tick=False) as traveller:
        client = login("branch2")
        assert _signed_in(client.get(PAGE))
        traveller.shift(dt.timedelta(minutes=5, seconds=30))
        assert client.get(PAGE).status_code == 302


def test_htmx_requests_are_sent_to_the_login_page_whole(login):
    with time_machine.travel(T0, tick=False) as traveller:
        client = login("admin")
        client.get(PAGE)
        traveller.shift(dt.timedelta(minutes=16))
        response = client.get(PAGE, headers={"HX-Request": "true"})
        assert response.status_code == 204
        assert response["HX-Redirect"].startswith(LOGIN_URL)
