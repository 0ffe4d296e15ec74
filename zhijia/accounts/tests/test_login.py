"""Login page: username, 工号 or phone, and password."""

import pytest
from axes.models import AccessAttempt

from zhijia.accounts.backends import axes_username, find_user
from zhijia.accounts.tests.helpers import LOGIN_URL, post_login

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_and_mobile_ready(client):
    response = client.get(LOGIN_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="viewport"' in html
    assert "用户名、工号或手机号" in html
    assert 'autocomplete="current-password"' in html


@pytest.mark.parametrize("identifier", ["branch1", "E0101", "e0101", "Ｅ０１０１"])
def test_login_by_username_or_employee_no(client, personas, identifier):
    response = post_login(client, identifier)
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(personas["branch1"].pk)


def test_login_by_phone(client, personas):
    phone = personas["worker1"].member_record.phone
    response = post_login(client, phone)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas["worker1"].pk)
    # Spaces and the +86 prefix are tolerated.
    client.logout()
    spaced = f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}"
    assert post_login(client, spaced).status_code == 302


def test_login_respects_next(client, personas):
    response = client.post(
        f"{LOGIN_URL}?next=/accounts/security/",
        {"username": "worker1", "password": "zhijia-demo", "next": "/accounts/security/"},
    )
    assert response.status_code == 302
    assert response.url == "/accounts/security/"


def test_login_refuses_foreign_next(client, personas):
    response = client.post(
        LOGIN_URL,
        {"username": "worker1", "password": "zhijia-demo", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_wrong_password_is_reported_on_the_password_field(client, personas):
    response = post_login(client, "E0103", "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    form = response.context["form"]
    assert form.errors["password"][0].startswith("账号或密码不正确。")
    assert "再输错 4 次，账号将被暂时锁定。" in form.errors["password"][0]
    assert "username" not in form.errors
    html = response.content.decode()
    assert 'id="id_password_error"' in html


def test_unknown_identifier_reads_exactly_like_a_wrong_password(client, personas):
    known = post_login(client, "worker1", "wrong-password").context["form"].errors
    unknown = post_login(client, "nobody-here", "wrong-password").context["form"].errors
    assert known == unknown


def test_inactive_account_cannot_sign_in(client, personas):
    user = personas["worker2"]
    user.is_active = False
    user.save()
    response = post_login(client, "worker2")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_axes_counts_failures_of_our_backend_on_the_account(client, personas):
    post_login(client, "E0101", "wrong-password")
    phone = personas["branch1"].member_record.phone
    post_login(client, phone, "wrong-password")
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "branch1"
    assert attempt.failures_since_start == 2
    assert attempt.path_info == LOGIN_URL


def test_success_resets_the_failure_count(client, personas):
    post_login(client, "worker1", "wrong-password")
    assert AccessAttempt.objects.filter(username="worker1").exists()
    assert post_login(client, "worker1").status_code == 302
    assert not AccessAttempt.objects.filter(username="worker1").exists()


def test_find_user_prefers_username_and_refuses_ambiguous_phones(personas):
    branch1 = personas["branch1"]
    worker1 = personas["worker1"]
    assert find_user("branch1") == branch1
    assert find_user(" E0101 ") == branch1
    assert find_user("") is None
    assert find_user("E9999") is None
    # A username that equals somebody else's 工号 still names the username's owner.
    worker1.username = "E0101"
    worker1.save()
    assert find_user("E0101") == worker1
    # A phone number on two records names nobody.
    worker2 = personas["worker2"].member_record
    worker2.phone = branch1.member_record.phone
    worker2.save()
    assert find_user(branch1.member_record.phone) is None


def test_axes_username_maps_every_identifier_to_the_account(personas):
    phone = personas["branch1"].member_record.phone
    for identifier in ["branch1", "E0101", phone]:
        assert axes_username(None, {"username": identifier}) == "branch1"
    assert axes_username(None, {"username": " stranger "}) == "stranger"


def test_the_request_user_comes_with_its_member_record_in_one_query(
    personas, django_assert_num_queries
):
    """A page asks whether its user is a member (role_codes, the member home): the user of a
    session is loaded with her member record, or with its absence, in one query."""
    from zhijia.accounts.backends import LoginBackend

    backend = LoginBackend()
    employee_no = personas["worker1"].member_record.employee_no
    with django_assert_num_queries(1):
        worker = backend.get_user(personas["worker1"].pk)
        assert worker.member_record.employee_no == employee_no
    with django_assert_num_queries(1):
        admin = backend.get_user(personas["admin"].pk)
        assert not hasattr(admin, "member_record")
    assert backend.get_user(10**9) is None
