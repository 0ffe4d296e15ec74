"""Nobody can lock an account out from outside (issue 11, finding 7; docs/security.md,
"Sign-in lockout"): 5 failures lock the account for the client that made them, 50 from all
clients lock it for every client but the owner's trusted devices."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client

from zhijia.accounts.lockout import DEVICE_COOKIE, lockout_until
from zhijia.accounts.tests.helpers import T0, post_login, post_token
from zhijia.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _device_of(username: str, address: str = "127.0.0.1") -> str:
    """Sign in once from a browser and return its trusted-device cookie."""
    browser = Client(REMOTE_ADDR=address)
    assert post_login(browser, username).status_code == 302
    return browser.cookies[DEVICE_COOKIE].value


def _browser(address: str, device: str | None = None) -> Client:
    browser = Client(REMOTE_ADDR=address)
    if device:
        browser.cookies[DEVICE_COOKIE] = device
    return browser


def test_five_failures_from_client_a_lock_a_but_not_b(personas):
    a, b = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    with time_machine.travel(T0, tick=False):
        for _ in range(4):
            assert post_login(a, "branch1", "wrong-password").status_code == 200
        assert post_login(a, "branch1", "wrong-password").status_code == 429
        response = post_login(a, "branch1")  # the right password, from A
        assert response.status_code == 429 and response["Retry-After"] == "1800"
        assert not _signed_in(a)
        response = post_login(b, "branch1")
        assert response.status_code == 302 and _signed_in(b)
    # The lock is audited once, with the client.
    event = AuditEvent.objects.get(action="accounts.lock_out")
    assert event.data == {"failures": 5, "ip": "198.51.100.1"}


def test_the_chair_signs_in_while_an_attacker_hammers_her_account(personas):
    device = _device_of("chair", "10.1.1.7")
    with time_machine.travel(T0, tick=False):
        attacker = Client(REMOTE_ADDR="203.0.113.66")
        codes = [post_login(attacker, "chair", f"guess-{i}").status_code for i in range(20)]
        assert codes[:4] == [200] * 4 and set(codes[4:]) == {429}
        # Only 5 failures counted: a locked client cannot push the account towards rule 2.
        assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 5
        # The chair, from her own client (a fresh browser too), signs in.
        chair = _browser("10.1.1.7")
        assert post_login(chair, "chair").status_code == 302 and _signed_in(chair)
        # Even behind the attacker's address (one factory NAT), her browser gets in.
        chair = _browser("203.0.113.66", device)
        assert post_login(chair, "chair").status_code == 302 and _signed_in(chair)
        # The API obeys the same rules.
        assert post_token(Client(REMOTE_ADDR="203.0.113.66"), "chair").status_code == 429
        assert post_token(Client(REMOTE_ADDR="10.1.1.7"), "chair").status_code == 200
        # ... and her success clears only her own client's failures, not the attacker's lock.
        assert post_login(Client(REMOTE_ADDR="203.0.113.66"), "chair").status_code == 429


def test_the_account_wide_threshold_and_the_owners_way_in(personas, settings):
    assert settings.ZHIJIA_LOCKOUT_ACCOUNT_FAILURES == 50
    device = _device_of("chair", "10.1.1.7")
    with time_machine.travel(T0, tick=False):
        # A guessing run spread over ten addresses: 5 failures each, 50 in all.
        for n in range(10):
            attacker = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
            for i in range(5):
                post_login(attacker, "chair", f"guess-{n}-{i}")
        # Now every client without a trusted-device cookie is refused, right password or not.
        stranger = Client(REMOTE_ADDR="198.51.100.9")
        response = post_login(stranger, "chair")
        assert response.status_code == 429 and not _signed_in(stranger)
        assert "请于 14:35 后再试" in response.content.decode()
        assert post_login(Client(REMOTE_ADDR="198.51.100.10"), "chair", "x").status_code == 429
        assert post_token(Client(REMOTE_ADDR="198.51.100.11"), "chair").status_code == 429
        assert lockout_until("chair") == T0 + dt.timedelta(minutes=30)
        # Other accounts are not affected.
        assert post_login(Client(REMOTE_ADDR="198.51.100.9"), "branch1").status_code == 302
        # The owner's browser that signed in before is a trusted device: it gets in.
        chair = _browser("10.1.1.7", device)
        assert post_login(chair, "chair").status_code == 302 and _signed_in(chair)
        # A forged or another account's device cookie is worth nothing.
        other = _device_of("branch2", "10.1.1.8")
        for cookie in (device[:-2] + "xx", other):
            forged = _browser("198.51.100.12", cookie)
            assert post_login(forged, "chair").status_code == 429
    with time_machine.travel(T0 + dt.timedelta(minutes=30, seconds=1), tick=False):
        assert post_login(Client(REMOTE_ADDR="198.51.100.9"), "chair").status_code == 302


def test_a_trusted_device_has_a_limit_of_its_own(personas):
    device = _device_of("worker1", "10.1.1.9")
    with time_machine.travel(T0, tick=False):
        thief = _browser("10.1.1.9", device)  # a stolen cookie gives 5 tries, no more
        codes = [post_login(thief, "worker1", f"guess-{i}").status_code for i in range(6)]
        assert codes == [200, 200, 200, 200, 429, 429]
        # Those failures also count for the address: a browser without the cookie there is
        # locked too; elsewhere the owner signs in.
        assert post_login(Client(REMOTE_ADDR="10.1.1.9"), "worker1").status_code == 429
        assert post_login(Client(REMOTE_ADDR="10.1.2.1"), "worker1").status_code == 302
    with time_machine.travel(T0 + dt.timedelta(minutes=30, seconds=1), tick=False):
        assert post_login(_browser("10.1.1.9", device), "worker1").status_code == 302


def test_behind_a_trusted_proxy_clients_are_told_apart(personas, settings):
    settings.ZHIJIA_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.ZHIJIA_TRUSTED_PROXY_HOPS = 1

    def via_proxy(address: str) -> Client:
        return Client(REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": address})

    with time_machine.travel(T0, tick=False):
        for _ in range(5):
            post_login(via_proxy("198.51.100.1"), "branch2", "wrong-password")
        assert post_login(via_proxy("198.51.100.1"), "branch2").status_code == 429
        # A forged entry in front of the proxy's is not believed.
        forged = Client(
            REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": "198.51.100.7, 198.51.100.1"}
        )
        assert post_login(forged, "branch2").status_code == 429
        assert post_login(via_proxy("198.51.100.2"), "branch2").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.1"}
