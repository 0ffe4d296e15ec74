"""The error pages (core/views_errors.py): in the site's layout and the user's language, with a
way back; the 500 page with the database unavailable; the CSRF failure page; the API keeps
answering JSON; the favicon."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from zhijia.core import views_errors

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _html(response) -> str:
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def _assert_site_layout(html: str) -> None:
    assert 'class="topbar"' in html and 'class="footer"' in html
    assert 'rel="stylesheet"' in html and "zhijia/app.css" in html
    assert "<style" not in html and "style=" not in html  # within the CSP


# --- 404 -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_in_chinese_in_the_layout_with_the_way_home_and_back(login):
    c = login("worker1")
    response = c.get("/no-such-page/", HTTP_REFERER="http://testserver/core/inbox/")
    assert response.status_code == 404
    html = _html(response)
    _assert_site_layout(html)
    assert 'lang="zh-hans"' in html
    assert "找不到这个页面" in html and "错误代码 404" in html
    assert 'href="/">回到首页</a>' in html
    assert 'href="http://testserver/core/inbox/" rel="prev">返回上一页</a>' in html
    assert 'class="mainnav"' in html  # the signed-in user keeps the menu


@pytest.mark.django_db
def test_404_in_english(login):
    c = login("worker1")
    html = _html(c.get("/no-such-page/", **EN))
    assert 'lang="en"' in html
    assert "Page not found" in html and "Error code 404" in html
    assert "Go to the home page" in html and "找不到这个页面" not in html


@pytest.mark.django_db
def test_a_record_out_of_scope_answers_the_page_without_its_details(login):
    response = login("branch1").get("/org/members/999999/")
    assert response.status_code == 404
    main = _html(response).split("<main", 1)[1].split("</main>", 1)[0]
    assert "找不到这个页面" in main and "999999" not in main


@pytest.mark.django_db
def test_back_is_offered_only_for_a_page_of_this_site(login):
    c = login("worker1")
    html = _html(c.get("/no-such-page/", HTTP_REFERER="https://evil.example/phish"))
    assert "evil.example" not in html and "返回上一页" not in html
    assert "回到首页" in html


# --- 403 -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_403_says_the_page_needs_a_role_and_names_no_permission(login):
    c = login("worker1")
    response = c.get(reverse("org:member-list"), HTTP_REFERER="http://testserver/")
    assert response.status_code == 403
    html = _html(response)
    _assert_site_layout(html)
    assert "没有权限打开此页" in html and "需要您的账号没有的角色" in html
    assert "org.view_member" not in html  # the exception's permission code stays inside
    assert 'href="http://testserver/" rel="prev">返回上一页</a>' in html
    assert 'href="/">回到首页</a>' in html


@pytest.mark.django_db
def test_403_in_english(login):
    c = login("worker1")
    html = _html(c.get(reverse("org:member-list"), **EN))
    assert "You may not open this page" in html and "needs a role" in html
    assert "Error code 403" in html


# --- 400 -------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "title", "home"),
    [
        ({}, "请求无法处理", "回到首页"),
        (EN, "The request could not be handled", "Go to the home page"),
    ],
)
def test_400_for_a_request_to_an_unknown_host(headers, title, home):
    response = Client().get("/", HTTP_HOST="evil.example", **headers)
    assert response.status_code == 400
    html = _html(response)
    _assert_site_layout(html)
    assert title in html and home in html and "evil.example" not in html


# --- 500 -------------------------------------------------------------------------------------


def _broken_database_client() -> Client:
    """A client whose first request needs the database, in a test without one: pytest-django
    refuses every connection here, as a database that is down would."""
    c = Client(raise_request_exception=False)
    c.cookies["sessionid"] = "x" * 32  # the session must be loaded from the database
    return c


def test_500_renders_with_the_database_unavailable():
    response = _broken_database_client().get(reverse("core:inbox"))
    assert response.status_code == 500
    html = _html(response)
    _assert_site_layout(html)
    assert 'lang="zh-hans"' in html
    assert "系统出错了" in html and "错误代码 500" in html
    assert 'href="/">回到首页</a>' in html
    assert 'class="mainnav"' not in html  # the minimal layout: no user, no navigation


def test_500_in_english_with_the_way_back():
    response = _broken_database_client().get(
        reverse("core:inbox"), HTTP_REFERER="http://testserver/org/me/", **EN
    )
    assert response.status_code == 500
    html = _html(response)
    assert 'lang="en"' in html and "Something went wrong" in html
    assert 'href="http://testserver/org/me/" rel="prev">Back to the previous page</a>' in html


def test_500_view_reads_nothing_from_the_request_context():
    # Called directly on a request without session or user: no context processor runs.
    response = views_errors.server_error(RequestFactory().get("/somewhere/"))
    assert response.status_code == 500 and "系统出错了" in response.content.decode()


def test_500_under_the_api_is_json():
    response = views_errors.server_error(RequestFactory().get("/api/v1/org/members"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"detail": "系统出错，请稍后重试。", "errors": {}}


# --- CSRF --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_csrf_failure_page_says_reload_and_send_again(personas):
    c = Client(enforce_csrf_checks=True)
    c.force_login(personas["worker1"])
    response = c.post(reverse("core:inbox-read-all"), HTTP_REFERER="http://testserver/core/inbox/")
    assert response.status_code == 403
    html = _html(response)
    _assert_site_layout(html)
    assert "页面已过期，未能提交" in html and "请刷新页面" in html
    assert 'href="http://testserver/core/inbox/" rel="prev">回到刚才的页面</a>' in html
    # Django's reason (a missing cookie, a bad token) and its help stay out of the page.
    assert "CSRF" not in html and "cookie" not in html.lower()


@pytest.mark.django_db
def test_csrf_failure_page_in_english(personas):
    c = Client(enforce_csrf_checks=True)
    html = _html(c.post(reverse("accounts:login"), {"username": "x", "password": "y"}, **EN))
    assert "The page had expired: nothing was sent" in html
    assert "Reload the page" in html


# --- the anonymous channels ------------------------------------------------------------------


@pytest.mark.django_db
def test_an_error_on_the_anonymous_box_keeps_to_the_box(login):
    c = login("worker1")
    response = c.get("/cases/box/no-such-page/")
    assert response.status_code == 404
    html = _html(response)
    assert "找不到这个页面" in html
    assert 'href="/cases/box/">回到首页</a>' in html
    assert 'class="mainnav"' not in html and "usermenu" not in html  # no one's name here


# --- the API keeps answering JSON --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/no-such-endpoint", "/api/no-such-thing/"])
def test_a_404_under_the_api_stays_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in json.loads(response.content)


def test_the_handlers_answer_json_under_the_api():
    request = RequestFactory().get("/api/v1/x")
    for handler, status in (
        (views_errors.bad_request, 400),
        (views_errors.permission_denied, 403),
        (views_errors.page_not_found, 404),
    ):
        response = handler(request, Exception("inside"))
        assert response.status_code == status
        assert response["Content-Type"] == "application/json"
        assert set(json.loads(response.content)) == {"detail", "errors"}


# --- favicon -------------------------------------------------------------------------------------


def test_favicon_answers_an_image_with_a_long_cache(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert f"max-age={views_errors.FAVICON_MAX_AGE}" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_link_the_icon(login):
    html = _html(login("worker1").get("/"))
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert 'rel="icon" href="/static/zhijia/favicon.svg" type="image/svg+xml"' in html
    svg = Client().get("/static/zhijia/favicon.svg")
    assert svg.status_code == 200
