"""core.pagination: bounds of page numbers and sizes, the pager's range, the API envelope."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from ninja import Schema

from zhijia.core import pagination
from zhijia.core.pagination import MAX_PER_PAGE, api_page, page_of, page_schema, paginate

ROWS = list(range(1, 96))  # 95 rows: two full pages of 40 and one of 15


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("1", 1), ("2", 2), ("3", 3), ("0", 1), ("-4", 1), ("abc", 1), (None, 1), ("", 1)],
)
def test_page_numbers_that_are_not_pages_show_the_first(asked, shown):
    page = paginate({"page": asked} if asked is not None else {}, ROWS, per_page=40)
    assert page.page == shown
    assert page.items[0] == (shown - 1) * 40 + 1


def test_a_page_beyond_the_last_shows_the_last():
    for asked in ("4", "99", "99999999999999999999"):
        page = paginate(QueryDict(f"page={asked}"), ROWS, per_page=40)
        assert page.page == 3
        assert page.items == list(range(81, 96))
        assert not page.has_next and page.has_previous


def test_page_figures():
    page = page_of(ROWS, 2, 40)
    assert (page.count, page.count_exact, page.pages) == (95, True, 3)
    assert (page.start_index, page.end_index) == (41, 80)
    assert page.has_next and page.has_prev and page.is_paginated
    assert (page.previous_page, page.next_page) == (1, 3)
    single = page_of(ROWS[:3], 1, 40)
    assert single.pages == 1 and not single.is_paginated
    empty = page_of([], 1, 40)
    assert (empty.count, empty.pages, empty.start_index, empty.end_index) == (0, 1, 0, 0)


@pytest.mark.parametrize(("asked", "used"), [(0, 1), (-5, 1), (10_000, MAX_PER_PAGE), (7, 7)])
def test_per_page_is_bounded(asked, used):
    assert page_of(ROWS, 1, asked).per_page == used


def test_page_range_has_first_last_and_a_window_with_gaps():
    rows = list(range(1000))
    assert page_of(rows, 1, 10).page_range() == [1, 2, 3, None, 100]
    assert page_of(rows, 50, 10).page_range() == [1, None, 48, 49, 50, 51, 52, None, 100]
    assert page_of(rows, 100, 10).page_range() == [1, None, 98, 99, 100]
    assert page_of(rows[:25], 2, 10).page_range() == [1, 2, 3]


@pytest.mark.django_db
def test_a_capped_count_says_so_and_still_knows_the_next_page():
    User = get_user_model()
    User.objects.bulk_create([User(username=f"p{i:03}") for i in range(30)])
    qs = User.objects.filter(username__startswith="p").order_by("username")
    page = page_of(qs, 2, 5, count_cap=12)
    assert [u.username for u in page.items] == [f"p{i:03}" for i in range(5, 10)]
    assert (page.count, page.count_exact) == (12, False)
    assert page.has_next and page.pages == 3
    assert None not in page.page_range()[-1:]  # the last page is unknown: no link to it
    last = page_of(qs, 6, 5, count_cap=12)
    assert (last.count, last.count_exact, last.pages, last.has_next) == (30, True, 6, False)
    beyond = page_of(qs, 50, 5, count_cap=12)  # clamped to the last page the cap knows of
    assert beyond.items and beyond.page == 3


def test_api_envelope_and_a_page_beyond_the_last_is_empty():
    assert api_page(ROWS, 3, 40) == {
        "items": list(range(81, 96)),
        "count": 95,
        "count_exact": True,
        "page": 3,
        "pages": 3,
        "per_page": 40,
    }
    beyond = api_page(ROWS, 4, 40)
    assert beyond["items"] == [] and (beyond["count"], beyond["pages"], beyond["page"]) == (
        95,
        3,
        4,
    )
    assert api_page(ROWS, 1, 2, transform=str)["items"] == ["1", "2"]


class _ThingOut(Schema):
    id: int


class _OtherOut(Schema):
    id: int


def test_page_schema_names_are_unique():
    schema = page_schema(_ThingOut, name="PaginationTestThingPage")
    assert page_schema(_ThingOut, name="PaginationTestThingPage") is schema
    with pytest.raises(ValueError):
        page_schema(_OtherOut, name="PaginationTestThingPage")
    fields = {"items", "count", "count_exact", "page", "pages", "per_page"}
    assert set(schema.model_fields) == fields
    data = schema.model_validate(api_page([{"id": 1}, {"id": 2}], 1, 1)).model_dump()
    assert data == {
        "items": [{"id": 1}],
        "count": 2,
        "count_exact": True,
        "page": 1,
        "pages": 2,
        "per_page": 1,
    }
    with_extra = page_schema(_OtherOut, name="PaginationTestOtherPage", unread=(int, 0))
    assert "unread" in with_extra.model_fields


def test_page_params_bounds():
    assert pagination.PageParams().page == 1
    with pytest.raises(ValueError):
        pagination.PageParams(page=0)
    with pytest.raises(ValueError):
        pagination.PageParams(per_page=MAX_PER_PAGE + 1)


def test_pager_component_keeps_the_query_and_marks_the_current_page():
    page = page_of(list(range(100)), 2, 10)
    html = render_to_string(
        "components/pager.html", {"page": page, "querystring": "q=%E5%BC%A0&unit=3"}
    )
    assert 'href="?q=%E5%BC%A0&amp;unit=3&amp;page=1"' in html
    assert 'aria-current="page"' in html and ">2<" in html
    assert 'rel="next"' in html and "…" in html
    assert "page=10" in html  # the last page
    assert render_to_string("components/pager.html", {"page": page_of([1], 1, 10)}).strip() == ""


def test_pager_tag_keeps_the_other_lists_page_and_drops_its_own():
    request = RequestFactory().get("/x/", {"q": "张", "page": "3", "mq": "2"})
    second = paginate(request, list(range(30)), per_page=5, param="mq")
    html = Template("{% load zhijia_ui %}{% pager second %}").render(
        Context({"second": second, "request": request, "querystring": "q=%E5%BC%A0&mq=2"})
    )
    assert "mq=1" in html and "mq=2&amp;mq" not in html and "q=%E5%BC%A0" in html
    html = Template("{% load zhijia_ui %}{% pager second %}").render(
        Context({"second": second, "request": request})
    )
    assert "page=3&amp;mq=3" in html  # the first list stays on its page
