"""The member e-card (会员电子卡) and its public verification page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from zhijia.core.models import AuditEvent
from zhijia.org import rules
from zhijia.org.actions import members as actions
from zhijia.org.models import Member, MemberCard

VERIFY = re.compile(r"https?://[^\"<\s]+/org/card/verify/([A-Za-z0-9_-]+)/")


def card_token(client: Client) -> str:
    response = client.get("/org/card/")
    assert response.status_code == 200
    return response.context["face"].verify_url.rstrip("/").rsplit("/", 1)[1]


def test_mask_name_and_member_number():
    assert rules.mask_name("陈小红") == "陈*红"
    assert rules.mask_name("李明") == "李*"
    assert rules.mask_name("欧阳娜娜") == "欧**娜"
    assert rules.mask_name("王") == "王"
    number = rules.member_number(123)
    assert number.startswith("00000123") and len(number) == 9
    digits = [int(d) for d in number]
    total = sum(digits[-1::-2]) + sum(d * 2 - 9 if d * 2 > 9 else d * 2 for d in digits[-2::-2])
    assert total % 10 == 0  # Luhn
    assert rules.member_number(124) != number


def test_the_member_sees_their_card_with_a_qr_code(personas, login):
    worker = personas["worker1"].member_record
    client = login("worker1")
    response = client.get("/org/card/")
    assert response.status_code == 200
    text = response.content.decode()
    face = response.context["face"]
    assert face.name == "陈小红" and face.valid
    assert face.member_number == rules.member_number(worker.pk)
    assert face.member_number in text and worker.org_unit.name in text
    assert "<svg" in text and 'class="segno"' in text
    assert 'style="' not in text and "<style" not in text
    assert worker.get_id_number() not in text and worker.id_number_masked not in text
    token = card_token(client)
    assert token not in str(worker.pk) and len(token) >= 20
    assert card_token(client) == token  # stable between views
    assert VERIFY.search(face.verify_url)


def test_the_member_home_shows_the_card(personas, login):
    response = login("worker1").get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "会员电子卡" in text and "<svg" in text
    assert rules.member_number(personas["worker1"].member_record.pk) in text


def test_verification_says_valid_for_an_active_member_without_the_id_number(personas, login):
    worker = personas["worker1"].member_record
    token = card_token(login("worker1"))
    response = Client().get(f"/org/card/verify/{token}/")  # public: a cadre's phone scans it
    assert response.status_code == 200
    text = response.content.decode()
    verdict = response.context["verdict"]
    assert verdict.valid and verdict.masked_name == "陈*红"
    assert "有效" in text and "陈*红" in text and worker.org_unit.name in text
    assert "第一分工会 · 发电一班组" in text
    assert rules.member_number(worker.pk) in text
    assert "陈小红" not in text
    assert worker.get_id_number() not in text and worker.id_number_masked not in text
    assert worker.employee_no not in text and (worker.phone or "#") not in text


@pytest.mark.parametrize("status", [Member.Status.EXPELLED, Member.Status.RETIRED])
def test_verification_says_invalid_once_the_member_leaves(personas, login, status):
    worker = personas["worker1"].member_record
    token = card_token(login("worker1"))
    actions.do_change_member_status(actor=personas["branch1"], member=worker, status=status)
    response = Client().get(f"/org/card/verify/{token}/")
    verdict = response.context["verdict"]
    assert not verdict.valid and verdict.known
    text = response.content.decode()
    assert "无效" in text and str(Member.Status(status).label) in text


def test_verification_says_invalid_after_a_transfer_out(personas, login):
    import datetime as dt

    worker = personas["worker1"].member_record
    token = card_token(login("worker1"))
    actions.do_transfer_member(
        actor=personas["branch1"], member=worker, to_unit=None, effective_date=dt.date(2026, 1, 5)
    )
    assert not Client().get(f"/org/card/verify/{token}/").context["verdict"].valid


@pytest.mark.parametrize(
    "token",
    ["x", "A" * 22, "0" * 22, "MTIz:1vXyZa:forged-signature", "a" * 200],
    ids=["short", "A", "0", "signed-looking", "long"],
)
def test_forged_tokens_are_invalid(personas, login, token):
    card_token(login("worker1"))  # a real card exists
    response = Client().get(f"/org/card/verify/{token}/")
    assert response.status_code == 404
    assert "无法识别" in response.content.decode()


def test_renewing_the_card_revokes_the_old_qr_code(personas, login):
    client = login("worker1")
    old = card_token(client)
    response = client.post("/org/card/renew/")
    assert response.status_code == 302
    new = card_token(client)
    assert new != old
    assert Client().get(f"/org/card/verify/{old}/").status_code == 404
    assert Client().get(f"/org/card/verify/{new}/").context["verdict"].valid
    assert AuditEvent.objects.filter(action="org.renew_member_card").count() == 1
    assert MemberCard.objects.count() == 1


def test_a_cadre_without_a_member_record_has_no_card(personas, login):
    response = login("admin").get("/org/card/")
    assert response.status_code == 404
