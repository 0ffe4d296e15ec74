"""API of module org: the caller's own record and the member directory."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from zhijia.org import queries

router = Router(tags=["org"])


class MemberOut(Schema):
    id: int
    employee_no: str
    name: str
    gender: str
    id_number_masked: str
    phone: str
    org_unit_id: int
    org_unit_name: str
    status: str

    @staticmethod
    def resolve_org_unit_name(obj) -> str:
        return obj.org_unit.name


@router.get("/me", response=MemberOut)
def me(request):
    member = queries.members_visible_to(request.user).filter(user=request.user).first()
    if member is None:
        raise Http404
    return member


@router.get("/members/{member_id}", response=MemberOut)
def member_detail(request, member_id: int):
    return queries.access_member(request.user, member_id)
