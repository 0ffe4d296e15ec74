"""The global search in the API (GET /api/v1/search?q=&type=): the same search as the page
(zhijia.core.searchables, limited to what the caller may open), one page envelope of hits in
type order, plus the count of each type found."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from zhijia.core import searchables
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.core.search import MAX_QUERY_CHARS
from zhijia.core.views_search import ResultRow, parse, rows_of

router = Router(tags=["search"])

PER_PAGE = 20


class SearchHitOut(Schema):
    type: str = Field(..., description="记录类型，如 org.member、cases.grievance")
    type_label: str = Field(..., description="类型名称，如“会员”“诉求”")
    id: str
    title: str
    snippet: str = Field(..., description="摘要（HTML：正文已转义，命中词以 <mark> 标出）")
    url: str = Field(..., description="记录页面的地址")


class SearchGroupOut(Schema):
    type: str
    label: str
    count: int = Field(..., description="找到的条数（more 为 true 时表示“至少这么多”）")
    more: bool


SearchPage = page_schema(SearchHitOut, name="SearchPage", groups=(list[SearchGroupOut], ...))


class SearchQuery(PageParams):
    q: str = Field(
        "", max_length=MAX_QUERY_CHARS, description="关键词（中文分词；姓名可用拼音或首字母）"
    )
    type: str = Field("", max_length=64, description="只看一种类型（groups 中的 type）")
    per_page: int = Field(PER_PAGE, ge=1, le=200, description="每页条数，1–200")


def _hit(row: ResultRow) -> dict:
    return {
        "type": row.type,
        "type_label": row.type_label,
        "id": row.id,
        "title": row.title,
        "snippet": str(row.snippet),
        "url": row.url,
    }


@router.get("", response=SearchPage, summary="全局搜索")
def search(request, params: Query[SearchQuery]):
    """Records of every type the caller may open that match `q`, best first within each type;
    an unknown `type` finds nothing."""
    query, type_key = parse({"q": params.q, "type": params.type})
    results = searchables.search_all(request.user, query)
    rows = rows_of(results, type_key) if type_key or not params.type else []
    envelope = api_page(rows, params.page, params.per_page, transform=_hit)
    envelope["groups"] = [
        {
            "type": g.searchable.type,
            "label": str(g.searchable.label),
            "count": g.count,
            "more": g.more,
        }
        for g in results.groups
    ]
    return envelope
