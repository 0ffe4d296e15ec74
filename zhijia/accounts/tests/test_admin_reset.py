"""A password an administrator sets is not the user's: she is told, and must choose her own at
her next sign-in; until then every page but sign-out and the password page sends her there,
and the API refuses her (issue 11, item 3)."""

import pytest
from django.test import Client

from zhijia.accounts.actions.admin import RESET_NOTICE_KIND
from zhijia.accounts.models import ApiToken
from zhijia.accounts.tests.helpers import add_account_in_console, post_login, post_token
from zhijia.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

ADMIN_SET = "Admin-Chose-This-7"
HER_OWN = "Only-She-Knows-42"


def _reset(admin_client, user, password=ADMIN_SET):
    response = admin_client.post(
        f"/admin/accounts/user/{user.pk}/password/", {"password1": password, "password2": password}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()


def test_the_user_is_told_and_her_tokens_are_revoked(login, personas):
    worker = personas["worker1"]
    ApiToken.issue(worker)
    _reset(login("admin"), worker)
    assert worker.must_change_password is True
    assert not ApiToken.objects.filter(user=worker).exists()
    (notice,) = Notification.objects.filter(user=worker, kind=RESET_NOTICE_KIND)
    assert notice.title == "管理员重置了您的密码"
    assert notice.url == "/accounts/password/"
    assert ADMIN_SET not in notice.title + notice.body
    (event,) = AuditEvent.objects.filter(action="admin.reset_password")
    assert event.data == {
        "password": "(changed)",
        "must_change_password": True,
        "new_account": False,
        "api_tokens_revoked": 1,
    }


def test_every_page_sends_her_to_the_password_page_until_she_sets_her_own(login, personas):
    worker = personas["worker1"]
    _reset(login("admin"), worker)

    client = Client()
    assert post_login(client, "worker1", ADMIN_SET).status_code == 302
    for path in ("/", "/org/members/", "/admin/", "/accounts/security/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/password/?next="), path
    htmx = client.get("/", headers={"HX-Request": "true"})
    assert htmx.status_code == 204 and htmx["HX-Redirect"].startswith("/accounts/password/")
    page = client.get("/accounts/password/?next=/notices/")
    assert page.status_code == 200
    assert b"data-forced-change" in page.content

    response = client.post(
        "/accounts/password/",
        {
            "old_password": ADMIN_SET,
            "new_password1": HER_OWN,
            "new_password2": HER_OWN,
            "next": "/notices/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/notices/"
    worker.refresh_from_db()
    assert worker.must_change_password is False
    assert worker.check_password(HER_OWN)
    event = AuditEvent.objects.filter(action="accounts.change_password").latest("seq")
    assert event.data["replaces_admin_set_password"] is True
    # Free again: the home page answers, and the password page is the ordinary one.
    assert client.get("/").status_code == 200
    assert b"data-forced-change" not in client.get("/accounts/password/").content


def test_sign_out_stays_open(login, personas):
    _reset(login("admin"), personas["worker1"])
    client = Client()
    post_login(client, "worker1", ADMIN_SET)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not response["Location"].startswith("/accounts/password/")
    assert client.get("/").status_code == 302  # signed out: to the login page
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_the_api_refuses_her_with_the_error_body(login, personas, client):
    worker = personas["worker1"]
    _reset(login("admin"), worker)
    response = post_token(client, "worker1", ADMIN_SET)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "管理员重置了您的密码，请先在网页上登录并设置新密码。",
        "errors": {},
    }
    # A token that somehow survived (issued before the flag) is refused as well.
    token = ApiToken.issue(worker)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 403
    assert me.json()["detail"] == "管理员重置了您的密码，请先在网页上登录并设置新密码。"
    worker.must_change_password = False
    worker.save(update_fields=["must_change_password"])
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_an_admin_who_sets_his_own_password_there_is_not_held(login, personas):
    admin_user = personas["admin"]
    _reset(login("admin"), admin_user)
    assert admin_user.must_change_password is False
    assert not Notification.objects.filter(kind=RESET_NOTICE_KIND).exists()
    assert AuditEvent.objects.filter(action="admin.reset_password").count() == 1


def test_a_new_account_chooses_her_own_password_at_first_sign_in(login):
    from zhijia.accounts.models import User

    add_account_in_console(login("admin"))
    user = User.objects.get(username="newstaff")
    assert user.must_change_password is True
    assert not Notification.objects.filter(user=user).exists()
    client = Client()
    post_login(client, "newstaff", "New-Staff-Pass-9")
    assert client.get("/")["Location"].startswith("/accounts/password/")


# --- a counselor's password: a second administrator approves the reset ------------------------


@pytest.fixture
def second_admin(personas):
    from zhijia.accounts.models import Role, RoleAssignment, User

    user = User.objects.create_user("admin2", password="zhijia-demo", full_name="第二管理员")
    RoleAssignment.objects.create(user=user, role=Role.ADMIN)
    return user


def _signed_in(user):
    from tests.access.framework import signed_in_client

    return signed_in_client(user)


def test_a_counselor_reset_waits_for_a_second_administrator(login, personas, second_admin):
    from zhijia.accounts.models import PasswordResetRequest

    counselor = personas["counselor1"]
    old_hash = counselor.password
    first = login("admin")
    _reset(first, counselor)
    # Nothing changed yet: her password, her flag; a request waits, the other admin is told.
    assert counselor.password == old_hash and counselor.must_change_password is False
    reset = PasswordResetRequest.objects.get(user=counselor)
    assert reset.state == "pending" and reset.requested_by == personas["admin"]
    assert not AuditEvent.objects.filter(action="admin.reset_password").exists()
    (asked,) = AuditEvent.objects.filter(action="admin.request_password_reset")
    assert asked.actor_id == personas["admin"].pk and asked.target_id == str(counselor.pk)
    assert asked.data == {"request_id": reset.pk, "roles": ["counselor"], "replaces": []}
    assert reset.password_hash not in str(asked.data)
    (told,) = Notification.objects.filter(kind="accounts.password_reset_approval")
    assert told.user == second_admin
    assert not Notification.objects.filter(user=counselor).exists()

    # The one who asked cannot approve.
    decide = f"/admin/accounts/passwordresetrequest/{reset.pk}/decide/"
    assert "另一位管理员" in first.get(decide).content.decode()
    first.post(decide, {"approve": "1"})
    reset.refresh_from_db()
    counselor.refresh_from_db()
    assert reset.state == "pending" and counselor.password == old_hash

    # A different administrator approves: the password takes effect, both are in the log.
    response = _signed_in(second_admin).post(decide, {"approve": "1"})
    assert response.status_code == 302
    reset.refresh_from_db()
    counselor.refresh_from_db()
    assert reset.state == "approved" and reset.decided_by == second_admin
    assert reset.password_hash == ""
    assert counselor.check_password(ADMIN_SET) and counselor.must_change_password is True
    (approved,) = AuditEvent.objects.filter(action="admin.approve_password_reset")
    assert approved.actor_id == second_admin.pk
    assert approved.data == {"request_id": reset.pk, "requested_by": personas["admin"].pk}
    (applied,) = AuditEvent.objects.filter(action="admin.reset_password")
    assert applied.actor_id == second_admin.pk and applied.target_id == str(counselor.pk)
    assert applied.data["requested_by"] == personas["admin"].pk
    assert applied.data["approved_by"] == second_admin.pk
    assert applied.data["password"] == "(changed)"
    assert counselor.password not in str(applied.data)
    assert asked.seq < approved.seq < applied.seq
    assert Notification.objects.filter(user=counselor, kind=RESET_NOTICE_KIND).count() == 1
    # Decided once: a second decision changes nothing.
    _signed_in(second_admin).post(decide, {"reject": "1"})
    reset.refresh_from_db()
    assert reset.state == "approved"


def test_a_rejected_reset_changes_nothing(login, personas, second_admin):
    from zhijia.accounts.models import PasswordResetRequest

    counselor = personas["counselor1"]
    old_hash = counselor.password
    _reset(login("admin"), counselor)
    reset = PasswordResetRequest.objects.get(user=counselor)
    decide = f"/admin/accounts/passwordresetrequest/{reset.pk}/decide/"
    _signed_in(second_admin).post(decide, {"reject": "1"})
    reset.refresh_from_db()
    counselor.refresh_from_db()
    assert reset.state == "rejected" and reset.password_hash == ""
    assert counselor.password == old_hash and counselor.must_change_password is False
    (event,) = AuditEvent.objects.filter(action="admin.reject_password_reset")
    assert event.actor_id == second_admin.pk
    assert not AuditEvent.objects.filter(action="admin.reset_password").exists()


def test_the_action_refuses_a_direct_reset_of_a_counselor(personas):
    from zhijia.accounts.actions.admin import do_admin_reset_password
    from zhijia.core.errors import ActionRefused

    with pytest.raises(ActionRefused):
        do_admin_reset_password(
            actor=personas["admin"], user=personas["counselor1"], password=ADMIN_SET
        )


def test_a_newer_request_replaces_a_pending_one(login, personas, second_admin):
    from zhijia.accounts.models import PasswordResetRequest

    client = login("admin")
    _reset(client, personas["counselor1"])
    _reset(client, personas["counselor1"], password="Admin-Chose-Again-8")
    older, newer = PasswordResetRequest.objects.order_by("pk")
    assert (older.state, older.password_hash) == ("replaced", "")
    assert newer.state == "pending"
    asked = AuditEvent.objects.filter(action="admin.request_password_reset").latest("seq")
    assert asked.data["replaces"] == [older.pk]


def test_setting_her_password_with_a_code_clears_the_flag(personas):
    from zhijia.accounts.actions.activation import do_complete_activation

    worker = personas["worker1"]
    worker.must_change_password = True
    worker.save(update_fields=["must_change_password"])
    do_complete_activation(user=worker, password=HER_OWN, purpose="reset")
    worker.refresh_from_db()
    assert worker.must_change_password is False
