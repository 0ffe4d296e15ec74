"""One pagination for every list page and every API list.

Pages: ``paginate(request, queryset)`` returns a :class:`Page` that the pager component
(``components/pager.html``) renders. A page number beyond the last shows the last page; a
number that is not a number shows the first.

API: ``api_page(queryset, page, per_page)`` returns the one envelope
``{"items", "count", "count_exact", "page", "pages", "per_page"}`` that every list operation
answers, described in the OpenAPI document by ``page_schema(ItemSchema, name="...")``; list
operations take :class:`PageParams` (``?page=`` and ``?per_page=``). A page beyond the last
answers an empty ``items`` with the true ``count`` and ``pages`` (never 404: 404 is for
records). See docs/api.md, "Lists".

Counting: a million-row list is not counted on every page. The count comes free on the last
page; otherwise at most ``count_cap`` + 1 rows are counted, and beyond that ``count`` is the
cap and ``count_exact`` is false (the pager says "100,000+"). ``pages`` is then the pages
known so far (at least one past the current page while there is a next one), so
``page < pages`` always means "there is a next page".

A slice that is not a user's list (the three newest notifications on the home page, the five
similar proposals) is not pagination: name its size as a constant next to the query and show
a "查看全部" link where a full list exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Field, Schema

T = TypeVar("T")

PER_PAGE = 50  # rows of a list page unless the view says otherwise
MAX_PER_PAGE = 200  # the most rows one API page answers
MAX_PAGE = 1_000_000  # beyond any real list; keeps offsets within what databases take
COUNT_CAP = 100_000  # lists say "100,000+" beyond this instead of counting a million rows


def parse_page(value: Any) -> int:
    """A page number from user input: 1 for anything that is not a positive number."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, MAX_PAGE))


def clamp_per_page(value: Any, default: int = PER_PAGE) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return max(1, min(number, MAX_PER_PAGE))


@dataclass
class Page(Generic[T]):
    """One page of a list: its rows and where it stands in the whole."""

    items: list[T]
    page: int
    per_page: int
    count: int
    count_exact: bool = True
    has_next: bool = False
    window: int = field(default=2, repr=False)  # page links either side of the current one
    param: str = field(default="page", repr=False)  # the query parameter of the page number

    @property
    def pages(self) -> int:
        known = max(1, -(-self.count // self.per_page))
        if self.count_exact:
            return known
        return max(known, self.page + (1 if self.has_next else 0))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    has_prev = has_previous

    @property
    def previous_page(self) -> int:
        return max(1, self.page - 1)

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def start_index(self) -> int:
        """1-based position of the first row shown (0 on an empty page)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.page - 1) * self.per_page + len(self.items)

    @property
    def is_paginated(self) -> bool:
        return self.has_previous or self.has_next

    def page_range(self) -> list[int | None]:
        """Page numbers for the pager: first, last and a window round the current page;
        None stands for a gap ("…"). The last page is left out while the count is capped."""
        last = self.pages
        shown = {1, self.page}
        if self.count_exact:
            shown.add(last)
        lo, hi = max(1, self.page - self.window), min(last, self.page + self.window)
        shown.update(range(lo, hi + 1))
        result: list[int | None] = []
        previous = 0
        for number in sorted(n for n in shown if 1 <= n <= last):
            if number - previous > 1:
                result.append(None)
            result.append(number)
            previous = number
        return result

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        return self.items[index]

    def envelope(self) -> dict[str, Any]:
        """The API's one list envelope for this page."""
        return {
            "items": self.items,
            "count": self.count,
            "count_exact": self.count_exact,
            "page": self.page,
            "pages": self.pages,
            "per_page": self.per_page,
        }


def count_capped(rows: QuerySet | Sequence, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(count, exact): counts at most `cap` + 1 rows, so a million-row table stays cheap."""
    if not isinstance(rows, QuerySet):
        return len(rows), True
    n = rows.order_by().values("pk")[: cap + 1].count()
    if n > cap:
        return cap, False
    return n, True


def _cut(rows: QuerySet | Sequence, number: int, per_page: int, cap: int) -> Page:
    offset = (number - 1) * per_page
    chunk = list(rows[offset : offset + per_page + 1])
    has_next = len(chunk) > per_page
    if not has_next and (chunk or number == 1):
        count, exact = offset + len(chunk), True
    else:
        count, exact = count_capped(rows, cap)
    return Page(
        items=chunk[:per_page],
        page=number,
        per_page=per_page,
        count=count,
        count_exact=exact,
        has_next=has_next,
    )


def page_of(
    rows: QuerySet | Sequence,
    page: Any = 1,
    per_page: int = PER_PAGE,
    count_cap: int = COUNT_CAP,
    *,
    clamp: bool = True,
) -> Page:
    """Page `page` of `rows` (a queryset, or a list already in order).

    The count comes free when the page is the last one; otherwise it is counted up to
    `count_cap` (searches pass a lower cap: a text search that scans does not also count a
    million rows to print "about 9,999"). With `clamp`, a page beyond the last is the last.
    """
    if not isinstance(rows, QuerySet | Sequence):
        rows = list(rows)
    number = parse_page(page)
    per_page = clamp_per_page(per_page)
    result = _cut(rows, number, per_page, count_cap)
    if clamp and not result.items and number > 1:
        last = result.pages if result.count_exact else max(1, -(-result.count // per_page))
        if last < number:
            result = _cut(rows, last, per_page, count_cap)
    return result


def paginate(
    request_or_params: Any,
    rows: QuerySet | Sequence,
    per_page: int = PER_PAGE,
    count_cap: int = COUNT_CAP,
    param: str = "page",
) -> Page:
    """The page a list page asks for (``?page=``): a request, a QueryDict or a plain mapping.

    A page with two lists names the second list's parameter (``param="mpage"``); the pager's
    links then change that one and keep the other.

    A page beyond the last shows the last; anything that is not a page number shows the first.
    """
    params = getattr(request_or_params, "GET", request_or_params)
    value = params.get(param) if hasattr(params, "get") else None
    result = page_of(rows, value, per_page, count_cap, clamp=True)
    result.param = param
    return result


def api_page(
    rows: QuerySet | Sequence,
    page: int = 1,
    per_page: int = PER_PAGE,
    count_cap: int = COUNT_CAP,
    transform: Any = None,
) -> dict[str, Any]:
    """The API envelope for page `page` of `rows`; a page beyond the last has no items.

    `transform` maps each row to what the item schema reads (a dict or an object); it runs on
    the page's rows only.
    """
    result = page_of(rows, page, per_page, count_cap, clamp=False)
    envelope = result.envelope()
    if transform is not None:
        envelope["items"] = [transform(row) for row in result.items]
    return envelope


# --- the API's schemas -------------------------------------------------------------------------


class PageParams(Schema):
    """``?page=`` (from 1) and ``?per_page=`` (1..200) of every API list; subclass it for
    a list's filters and set ``per_page``'s default there if the list wants another."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="页码，从 1 开始")
    per_page: int = Field(PER_PAGE, ge=1, le=MAX_PER_PAGE, description="每页条数，1–200")


class PageMeta(Schema):
    count: int = Field(..., description="总条数；count_exact 为 false 时表示“至少这么多”")
    count_exact: bool
    page: int
    pages: int = Field(..., description="页数；page < pages 表示还有下一页")
    per_page: int


_page_schemas: dict[str, tuple[type, type]] = {}


def page_schema(item: type[Schema], name: str | None = None, **extra: Any) -> type[Schema]:
    """The envelope schema of a list of `item`: ``PageMeta`` plus ``items: list[item]``.

    `name` is the schema's name in the OpenAPI document (default ``<Item>Page``); names are
    unique across the API, so asking for a taken name with another item type raises.
    `extra` adds fields next to the envelope's (``unread=(int, ...)``), as in pydantic's
    ``create_model``.
    """
    name = name or f"{item.__name__.removesuffix('Out')}Page"
    known = _page_schemas.get(name)
    if known is not None:
        if known[0] is item and not extra:
            return known[1]
        raise ValueError(f"page schema name {name!r} is already used for {known[0].__name__}")
    annotations: dict[str, Any] = {"items": list[item]}  # type: ignore[valid-type]
    namespace: dict[str, Any] = {"__annotations__": annotations, "__module__": item.__module__}
    for key, spec in extra.items():
        kind, default = spec if isinstance(spec, tuple) else (spec, ...)
        annotations[key] = kind
        if default is not ...:
            namespace[key] = default
    schema = type(name, (PageMeta,), namespace)
    _page_schemas[name] = (item, schema)
    return schema
