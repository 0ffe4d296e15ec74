from django.test import override_settings

from zhijia.core import crypto


def _clear():
    crypto._fernet.cache_clear()
    crypto._digest_key.cache_clear()


def test_round_trip_and_ciphertext_hides_the_value():
    token = crypto.encrypt("11010519491231002X")
    assert "11010519491231002X" not in token
    assert crypto.decrypt(token) == "11010519491231002X"


def test_digest_is_stable_and_keyed():
    assert crypto.digest("110105194912310021") == crypto.digest("110105194912310021")
    assert crypto.digest("110105194912310021") != crypto.digest("110105194912310022")


def test_key_rotation_keeps_old_ciphertexts_readable():
    with override_settings(FIELD_ENCRYPTION_KEYS=["old-key"]):
        _clear()
        token = crypto.encrypt("secret")
        digest_old = crypto.digest("secret")
    with override_settings(FIELD_ENCRYPTION_KEYS=["new-key", "old-key"]):
        _clear()
        assert crypto.decrypt(token) == "secret"
        assert crypto.digest("secret") == digest_old
    _clear()


def test_mask():
    assert crypto.mask_id_number("110101199003071234") == "1101**********1234"


def test_purpose_keys_are_separate_and_default_unchanged():
    token = crypto.encrypt("心理咨询记录", purpose="counseling")
    assert crypto.decrypt(token, purpose="counseling") == "心理咨询记录"
    import pytest
    from cryptography.fernet import InvalidToken

    with pytest.raises(InvalidToken):
        crypto.decrypt(token)  # the default key does not open a counseling ciphertext
    with pytest.raises(InvalidToken):
        crypto.decrypt(crypto.encrypt("x"), purpose="counseling")
    assert crypto.digest("abc", purpose="receipt") != crypto.digest("abc")
    assert crypto.digest("abc", purpose="receipt") == crypto.digest("abc", purpose="receipt")
