"""The one brake: fixed windows per address and for everyone (core.throttle), as used by
the receipt-code limit and the joining page."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from zhijia.core import receipts, throttle
from zhijia.core.errors import ActionRefused


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


def test_a_window_ends_with_its_counter():
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


def test_receipt_limit_per_address_and_for_everyone(settings):
    settings.ZHIJIA_RECEIPT_FAILURES = 3
    settings.ZHIJIA_RECEIPT_GLOBAL_FAILURES = 5
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
    # Five wrong codes in all: a third address is refused too (a spread-out guessing run).
    with pytest.raises(receipts.RateLimited) as limited:
        receipts.check_rate_limit(_request("10.0.1.3"), "test.box")
    assert limited.value.status == 429 and limited.value.retry_after >= 1
