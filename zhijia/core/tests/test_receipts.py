"""Receipt codes: 80 random bits in readable groups, keyed digests, forgiving input, rate limit."""

from __future__ import annotations

import math
import re

import pytest
import time_machine
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from zhijia.core import crypto, receipts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def _request(ip="127.0.0.11"):
    return RequestFactory().post("/x", REMOTE_ADDR=ip)


def test_code_shape_and_entropy():
    code = receipts.new_receipt_code()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    assert len(receipts.ALPHABET) == 32 and len(set(receipts.ALPHABET)) == 32
    assert receipts.CODE_LENGTH * math.log2(len(receipts.ALPHABET)) >= 80
    codes = {receipts.new_receipt_code() for _ in range(2000)}
    assert len(codes) == 2000
    # every symbol turns up: the generator draws from the whole alphabet
    assert set("".join(codes).replace("-", "")) == set(receipts.ALPHABET)


def test_normalize_forgives_what_people_type():
    code = "7K3M-Q9XD-2HVB-WT61"
    assert receipts.normalize_receipt(code) == "7K3MQ9XD2HVBWT61"
    assert receipts.normalize_receipt(" 7k3m q9xd 2hvb wt6l ") == "7K3MQ9XD2HVBWT61"
    assert (
        receipts.normalize_receipt("７Ｋ３Ｍ－Ｑ９ＸＤ－２ＨＶＢ－ＷＴ６Ｉ") == "7K3MQ9XD2HVBWT61"
    )
    assert receipts.normalize_receipt("7K3M-Q9XD-2HVB-WTOO") == "7K3MQ9XD2HVBWT00"
    assert receipts.format_receipt("7k3mq9xd2hvbwt61") == code


@pytest.mark.parametrize(
    "bad", ["", "7K3M-Q9XD-2HVB", "7K3M-Q9XD-2HVB-WT61-AAAA", "7K3M-Q9XD-2HVB-WTU1", "7K3M;Q9XD"]
)
def test_malformed_codes_are_refused(bad):
    assert receipts.normalize_receipt(bad) == ""
    assert receipts.receipt_digest(bad) == ""
    assert receipts.verify_receipt(bad, receipts.receipt_digest("0000-0000-0000-0000")) is False


def test_digest_is_keyed_stable_and_verifies():
    code = receipts.new_receipt_code()
    digest = receipts.receipt_digest(code)
    assert digest == receipts.receipt_digest(code.lower().replace("-", " "))
    assert code.replace("-", "") not in digest
    assert digest != crypto.digest(code.replace("-", ""))  # its own key, not the default one
    assert receipts.verify_receipt(code, digest)
    assert not receipts.verify_receipt(receipts.new_receipt_code(), digest)
    with override_settings(FIELD_ENCRYPTION_KEYS=["another-installation"]):
        crypto._digest_key.cache_clear()
        assert receipts.receipt_digest(code) != digest  # a dump without the key tests nothing
    crypto._digest_key.cache_clear()


@override_settings(ZHIJIA_RECEIPT_FAILURES=3, ZHIJIA_RECEIPT_WINDOW_SECONDS=600)
def test_rate_limit_blocks_after_failures_then_lifts():
    with time_machine.travel("2026-03-02 09:00:00+08:00", tick=False) as traveller:
        request = _request()
        for n in range(1, 4):
            receipts.check_rate_limit(request, "t.scope")
            assert receipts.register_failure(request, "t.scope") == n
        with pytest.raises(receipts.RateLimited) as exc:
            receipts.check_rate_limit(request, "t.scope")
        assert exc.value.status == 429
        assert 0 < exc.value.retry_after <= 600
        assert "10 分钟后再试" in exc.value.message
        # another scope and another client are counted apart
        receipts.check_rate_limit(request, "other.scope")
        receipts.check_rate_limit(_request("127.0.0.12"), "t.scope")
        traveller.shift(601)
        # The window's end is compared with timezone.now(), moved by time_machine
        receipts.check_rate_limit(request, "t.scope")


def test_store_holds_no_client_address():
    from zhijia.core.models import ThrottleWindow

    request = _request("127.9.8.7")
    receipts.register_failure(request, "t.scope")
    keys = list(ThrottleWindow.objects.values_list("key", flat=True))
    assert keys and not any("127.9.8.7" in k for k in keys)


def test_reset_failures():
    request = _request()
    with override_settings(ZHIJIA_RECEIPT_FAILURES=1):
        receipts.register_failure(request, "s")
        with pytest.raises(receipts.RateLimited):
            receipts.check_rate_limit(request, "s")
        receipts.reset_failures(request, "s")
        receipts.check_rate_limit(request, "s")
