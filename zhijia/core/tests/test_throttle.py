"""The one brake (core.throttle): fixed windows per client, per code tried and for everyone,
in the database; the client address behind a trusted proxy; as used by the receipt-code
limit, the joining page and the sign-in lockout."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from zhijia.core import receipts, throttle
from zhijia.core.errors import ActionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _request(address: str):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_window_counts_blocks_and_tells_how_long():
    key = throttle.client_key(_request("10.0.0.1"), "test.scope")
    assert "10.0.0.1" not in key  # the address is kept only as a digest
    assert throttle.blocked(key, limit=3, seconds=600) is None
    assert [throttle.hit(key, seconds=600) for _ in range(3)] == [1, 2, 3]
    wait = throttle.blocked(key, limit=3, seconds=600)
    assert wait is not None and 1 <= wait <= 600
    throttle.reset(key)
    assert throttle.count(key) == 0 and throttle.blocked(key, limit=3, seconds=600) is None


def test_a_window_ends_with_its_counter(settings):
    settings.ZHIJIA_RECEIPT_CACHE = "default"
    key = throttle.client_key(_request("10.0.0.1"), "test.scope")
    for _ in range(5):
        throttle.hit(key, seconds=600)
    cache.delete(key)  # what the cache does when the window's timeout passes
    assert throttle.hit(key, seconds=600) == 1
    assert throttle.blocked(key, limit=3, seconds=600) is None


def test_addresses_and_scopes_count_apart():
    one, two = _request("10.0.0.1"), _request("10.0.0.2")
    assert throttle.client_key(one, "a") != throttle.client_key(two, "a")
    assert throttle.client_key(one, "a") != throttle.client_key(one, "b")
    throttle.hit(throttle.client_key(one, "a"), seconds=60)
    assert throttle.count(throttle.client_key(two, "a")) == 0


def test_count_submission_refuses_past_the_limit():
    request = _request("10.0.0.9")
    for _ in range(2):
        throttle.count_submission(request, "test.submit", limit=2, seconds=3600)
    with pytest.raises(throttle.Throttled) as refused:
        throttle.count_submission(request, "test.submit", limit=2, seconds=3600)
    assert isinstance(refused.value, ActionRefused) and refused.value.status == 429
    assert 1 <= refused.value.retry_after <= 3600
    assert "分钟后再试" in refused.value.message
    # Another address is not braked.
    throttle.count_submission(_request("10.0.0.10"), "test.submit", limit=2, seconds=3600)


def test_receipt_limit_per_address_never_for_everyone(settings):
    settings.ZHIJIA_RECEIPT_FAILURES = 3
    settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES = 5
    settings.ZHIJIA_RECEIPT_FAILURES_UNDER_ATTACK = 1
    first = _request("10.0.1.1")
    for _ in range(3):
        receipts.check_rate_limit(first, "test.box")
        receipts.register_failure(first, "test.box")
    with pytest.raises(receipts.RateLimited):
        receipts.check_rate_limit(first, "test.box")
    receipts.check_rate_limit(first, "test.other")  # another scope is not affected
    second = _request("10.0.1.2")
    receipts.check_rate_limit(second, "test.box")
    for _ in range(2):
        receipts.register_failure(second, "test.box")
    # Five wrong codes in all: a third address that has not failed still gets its lookup.
    assert receipts.under_attack("test.box")
    third = _request("10.0.1.3")
    receipts.check_rate_limit(third, "test.box")
    # ... but under attack one wrong code uses up its allowance for the window.
    receipts.register_failure(third, "test.box")
    with pytest.raises(receipts.RateLimited) as limited:
        receipts.check_rate_limit(third, "test.box")
    assert limited.value.status == 429 and limited.value.retry_after >= 1
    assert isinstance(limited.value, throttle.Throttled)


def test_receipt_limit_per_code_tried(settings):
    """A code with a second factor (joining: code and phone ending) cannot be walked from many
    addresses: its wrong tries count for the code, whoever types them."""
    settings.ZHIJIA_RECEIPT_CODE_FAILURES = 3
    code = "7K3M-Q9XD-2HVB-WT61"
    for i in range(3):
        request = _request(f"10.0.2.{i}")
        receipts.check_rate_limit(request, "test.join", code)
        receipts.register_failure(request, "test.join", code)
    # The same code, typed another way, from a fresh address: refused until the window ends.
    with pytest.raises(receipts.RateLimited):
        receipts.check_rate_limit(_request("10.0.2.99"), "test.join", "7k3m q9xd 2hvb wt61")
    # Another code from that address is not.
    receipts.check_rate_limit(_request("10.0.2.99"), "test.join", "0000-0000-0000-0000")


# --- the client address ---------------------------------------------------------------------


def _via(remote: str, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_client_address_is_remote_addr_unless_a_proxy_header_is_trusted(settings):
    settings.ZHIJIA_TRUSTED_PROXY_HEADER = ""
    # Without configuration a forged header is ignored.
    assert throttle.client_address(_via("198.51.100.7", X_Forwarded_For="1.2.3.4")) == (
        "198.51.100.7"
    )
    settings.ZHIJIA_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.ZHIJIA_TRUSTED_PROXY_HOPS = 1
    # One proxy of ours appends the address it saw: the last entry; what the client wrote
    # before it (a forged "1.2.3.4") is not believed.
    request = _via("10.0.0.2", X_Forwarded_For="1.2.3.4, 203.0.113.9")
    assert throttle.client_address(request) == "203.0.113.9"
    settings.ZHIJIA_TRUSTED_PROXY_HOPS = 2
    assert throttle.client_address(request) == "1.2.3.4"
    # Fewer entries than trusted hops, no header, or rubbish: REMOTE_ADDR.
    assert throttle.client_address(_via("10.0.0.2", X_Forwarded_For="203.0.113.9")) == "10.0.0.2"
    assert throttle.client_address(_via("10.0.0.2")) == "10.0.0.2"
    settings.ZHIJIA_TRUSTED_PROXY_HOPS = 1
    assert throttle.client_address(_via("10.0.0.2", X_Forwarded_For="nonsense")) == "10.0.0.2"
    # A port is dropped; X-Real-IP works the same way.
    assert throttle.client_address(_via("10.0.0.2", X_Forwarded_For="203.0.113.9:5123")) == (
        "203.0.113.9"
    )
    settings.ZHIJIA_TRUSTED_PROXY_HEADER = "X-Real-IP"
    assert throttle.client_address(_via("10.0.0.2", X_Real_IP="203.0.113.10")) == "203.0.113.10"


def test_behind_a_proxy_clients_count_apart(settings):
    """Finding 5: behind a reverse proxy every client used to share the proxy's bucket."""
    settings.ZHIJIA_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.ZHIJIA_TRUSTED_PROXY_HOPS = 1
    one = _via("10.0.0.2", X_Forwarded_For="203.0.113.1")
    two = _via("10.0.0.2", X_Forwarded_For="203.0.113.2")
    assert throttle.client_key(one, "s") != throttle.client_key(two, "s")


def test_an_ipv6_client_is_its_64(settings):
    a = _via("2001:db8:1:2:aaaa::1")
    b = _via("2001:db8:1:2:bbbb::2")
    c = _via("2001:db8:1:3::1")
    assert throttle.client_address(a) == "2001:db8:1:2::"
    assert throttle.client_key(a, "s") == throttle.client_key(b, "s")
    assert throttle.client_key(a, "s") != throttle.client_key(c, "s")
    assert throttle.client_address(_via("::ffff:198.51.100.7")) == "198.51.100.7"


def test_axes_uses_the_same_client_address(settings):
    from axes.helpers import get_client_ip_address

    settings.ZHIJIA_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    request = _via("10.0.0.2", X_Forwarded_For="1.2.3.4, 203.0.113.9")
    assert get_client_ip_address(request) == "203.0.113.9"


# --- the store ------------------------------------------------------------------------------


def test_counters_live_in_the_database_without_addresses(settings):
    """Shared by every worker process and kept across restarts: rows of core.ThrottleWindow."""
    from zhijia.core.models import ThrottleWindow

    assert settings.ZHIJIA_RECEIPT_CACHE == "database"
    request = _request("127.9.8.7")
    receipts.register_failure(request, "t.scope", "7K3M-Q9XD-2HVB-WT61")
    rows = list(ThrottleWindow.objects.values_list("key", "count"))
    assert len(rows) == 3  # the client, the code tried, everyone
    assert all(n == 1 for _, n in rows)
    assert not any("127.9.8.7" in k or "7K3M" in k for k, _ in rows)


def test_a_hit_is_an_atomic_update(settings):
    """Each hit is UPDATE count = count + 1: what another process added is never overwritten."""
    from zhijia.core.models import ThrottleWindow

    key = throttle.everyone_key("t.atomic")
    throttle.hit(key, seconds=60)
    # Another process counts 5 in between (its own UPDATE on the same row).
    ThrottleWindow.objects.filter(key=key).update(count=6)
    assert throttle.hit(key, seconds=60) == 7


def test_a_window_ends_in_the_database(settings):
    import time_machine

    key = throttle.everyone_key("t.window")
    with time_machine.travel("2026-03-02 09:00:00+08:00", tick=False) as traveller:
        for _ in range(3):
            throttle.hit(key, seconds=600)
        assert throttle.blocked(key, limit=3, seconds=600) == 600
        traveller.shift(400)
        assert throttle.blocked(key, limit=3, seconds=600) == 200
        traveller.shift(201)
        assert throttle.count(key) == 0 and throttle.blocked(key, limit=3, seconds=600) is None
        assert throttle.hit(key, seconds=600) == 1


def test_the_memory_cache_still_works_when_configured(settings):
    settings.ZHIJIA_RECEIPT_CACHE = "default"
    key = throttle.everyone_key("t.cache")
    assert [throttle.hit(key, seconds=60) for _ in range(2)] == [1, 2]
    assert throttle.blocked(key, limit=2, seconds=60) is not None
    throttle.reset(key)
    assert throttle.count(key) == 0
