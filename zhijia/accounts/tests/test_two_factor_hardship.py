"""Hardship reviewers sign in with two factors (issue 11, item 3; docs/security.md): the codes
that open hardship files and applications (assistance.view_hardship and the review steps,
registered two_factor=True) are held only by a session that passed the second factor, or by an
API token exchanged with a code. A cadre signed in with her password alone keeps the rest of
her work and is asked to enrol; an administrator's reset of a cadre's password waits for a
second administrator (or she could enrol her own authenticator on the cadre's account)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhijia.accounts.actions.admin import needs_second_approval
from zhijia.accounts.models import ApiToken
from zhijia.accounts.tests.helpers import T0, current_totp, post_login, post_token
from zhijia.accounts.tests.test_two_factor import _enrol
from zhijia.assistance import permissions as perms
from zhijia.core.permissions import has_perm, withheld_for_two_factor

pytestmark = pytest.mark.django_db

FILES_API = "/api/v1/assistance/files"


def test_a_cadre_signed_in_with_a_password_alone_is_asked_to_enrol(personas):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        assert post_login(client, "branch1").status_code == 302
        # Her other work stays open; the hardship files do not.
        assert client.get(reverse("cases:queue")).status_code == 200
        refused = client.get(reverse("assistance:file-list"))
        assert refused.status_code == 403
        assert client.get(reverse("assistance:application-list")).status_code == 403
        # The refusal says what would open the page.
        assert "data-two-factor-hint" in refused.content.decode()
        assert reverse("accounts:two-factor-setup") in refused.content.decode()
        home = client.get("/").content.decode()
        assert "启用两步验证" in home and reverse("accounts:two-factor-setup") in home
        _enrol(client, traveller)
        assert client.get(reverse("assistance:file-list")).status_code == 200
        assert client.get(reverse("assistance:application-list")).status_code == 200
        assert "困难职工档案和帮扶申请只对用两步验证登录" not in client.get("/").content.decode()
        # The next sign-in asks for the code before anything else, hardship pages included.
        client.logout()
        post_login(client, "branch1")
        response = client.get(reverse("assistance:file-list"))
        assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/")


def test_an_api_token_opens_hardship_files_only_when_exchanged_with_a_code(personas):
    branch1 = personas["branch1"]
    plain = ApiToken.issue(branch1)
    refused = Client(headers={"Authorization": f"Bearer {plain}"}).get(FILES_API)
    assert refused.status_code == 403
    assert "两步验证" in refused.json()["detail"] and "otp" in refused.json()["detail"]
    other = Client(headers={"Authorization": f"Bearer {plain}"}).get("/api/v1/cases/grievances")
    assert other.status_code == 200
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        post_login(client, "branch1")
        device, _codes = _enrol(client, traveller)
        traveller.shift(dt.timedelta(seconds=30))
        device.refresh_from_db()
        exchanged = post_token(Client(), "branch1", otp=current_totp(device))
        assert exchanged.status_code == 200, exchanged.content.decode()
    token = exchanged.json()["token"]
    assert ApiToken.objects.get(key_hash=ApiToken.hash_key(token)).two_factor
    opened = Client(headers={"Authorization": f"Bearer {token}"}).get(FILES_API)
    assert opened.status_code == 200, opened.content.decode()
    # A refusal that is not the second factor's says nothing of it (a worker's token).
    worker = ApiToken.issue(personas["worker1"])
    other = Client(headers={"Authorization": f"Bearer {worker}"}).get(FILES_API)
    assert other.status_code == 403 and "两步验证" not in other.json()["detail"]


def test_the_rule_is_the_permission_layers(personas):
    branch1 = personas["branch1"]
    # Outside a request (the worker, a command) a user object is not a sign-in: not held back.
    assert has_perm(branch1, perms.VIEW_HARDSHIP)
    branch1.is_verified = lambda: False
    for code in (
        perms.VIEW_HARDSHIP,
        perms.MANAGE_HARDSHIP,
        perms.MANAGE_VISIT,
        perms.REVIEW_APPLICATION,
        perms.APPROVE_APPLICATION,
    ):
        assert not has_perm(branch1, code), code
        assert withheld_for_two_factor(branch1, code), code
    assert has_perm(branch1, perms.VIEW_LEDGER)  # no hardship details: no second factor
    worker = personas["worker1"]
    worker.is_verified = lambda: False
    assert not withheld_for_two_factor(worker, perms.VIEW_HARDSHIP)  # would not hold it anyway


def test_a_reset_of_a_cadres_password_needs_a_second_administrator(personas):
    assert "cadre" in needs_second_approval(personas["branch1"])
    assert not needs_second_approval(personas["worker1"])
