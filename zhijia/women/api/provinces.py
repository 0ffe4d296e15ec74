"""API of the province table and the legal minimums, mounted at /api/v1/women.

GET /provinces            the table (women.manage)
POST /provinces, PUT /provinces/{id}  add or change a row (women.configure at the top)
GET /minimums?province_id= the legal minimums a contract clause is compared against, with the
                          province's extra days added when one is given (women.manage)
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from zhijia.core.api_types import Id
from zhijia.core.pagination import PageParams, api_page, page_schema
from zhijia.women import rules
from zhijia.women.actions import provinces as actions
from zhijia.women.models import Province
from zhijia.women.queries import provinces as queries

router = Router(tags=["women-provinces"])


class WomenProvinceOut(Schema):
    id: int
    code: str
    name: str
    extra_days: int
    difficult_extra_days: int
    multiple_extra_days: int
    holidays_extend: bool
    paternity_days: int
    regulation: str
    year: int
    confirmed: bool
    note: str


class WomenProvinceIn(Schema):
    code: str = Field(..., max_length=16, pattern=r"^[a-z0-9-]+$")
    name: str = Field(..., max_length=32)
    extra_days: int = Field(0, ge=0, le=365)
    difficult_extra_days: int = Field(0, ge=0, le=365)
    multiple_extra_days: int = Field(0, ge=0, le=365)
    holidays_extend: bool = False
    paternity_days: int = Field(0, ge=0, le=365)
    regulation: str = Field(..., max_length=100)
    year: int = Field(..., ge=1980, le=2100)
    confirmed: bool = False
    note: str = Field("", max_length=500)


class WomenMinimumOut(Schema):
    code: str
    value: int
    unit: str
    article: str
    higher_is_better: bool


class WomenMinimumsOut(Schema):
    province_id: int | None
    minimums: list[WomenMinimumOut]


def _province(p: Province) -> dict:
    return {
        name: getattr(p, name)
        for name in (
            "id",
            "code",
            "name",
            "extra_days",
            "difficult_extra_days",
            "multiple_extra_days",
            "holidays_extend",
            "paternity_days",
            "regulation",
            "year",
            "confirmed",
            "note",
        )
    }


def _require_reader(request) -> None:
    if not queries.may_read_table(request.user):
        raise PermissionDenied


@router.get("/provinces", response=page_schema(WomenProvinceOut, name="WomenProvincePage"))
def list_provinces(request, paging: Query[PageParams]):
    _require_reader(request)
    return api_page(queries.provinces(), paging.page, paging.per_page, transform=_province)


@router.get("/minimums", response=WomenMinimumsOut)
def minimums(request, province_id: Id | None = None):
    """The legal minimums (女职工劳动保护特别规定), plus the province's extra days."""
    _require_reader(request)
    terms = rules.NATIONAL
    if province_id is not None:
        province = queries.provinces().filter(pk=province_id).first()
        if province is None:
            raise Http404
        terms = province.terms()
    minimums = [
        {
            "code": m.code,
            "value": m.value,
            "unit": m.unit,
            "article": m.article,
            "higher_is_better": m.higher_is_better,
        }
        for m in rules.legal_minimums(terms)
    ]
    return {"province_id": province_id, "minimums": minimums}


@router.post("/provinces", response={201: WomenProvinceOut})
def add_province(request, payload: WomenProvinceIn):
    if not queries.may_configure(request.user):
        raise PermissionDenied
    province = actions.do_save_province(actor=request.user, **payload.dict())
    return Status(201, _province(province))


@router.put("/provinces/{int:province_id}", response=WomenProvinceOut)
def change_province(request, province_id: Id, payload: WomenProvinceIn):
    province = queries.access_province(request.user, province_id)
    province = actions.do_save_province(actor=request.user, province=province, **payload.dict())
    return _province(province)
