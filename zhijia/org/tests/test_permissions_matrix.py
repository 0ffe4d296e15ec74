"""Roles × endpoints on one's own record: every persona that has a member record against
every members page and API endpoint of one record, on that record.

Records in branch1 and branch2 are in the generated access matrix (tests/access/test_org.py:
every persona, every route); this table adds what that one does not ask, a persona's own
record, and runs on PostgreSQL too.

The expectations are plain data from DESIGN.md's roles, not read from the permission
registry under test: everyone with a member record reads it (page and API, dues included);
only a cadre whose scope holds it changes it (the chair, the committee's; branch1 / branch2,
their branch's), and a refused change leaves it as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client

from conftest import PERSONAS
from zhijia.org.models import DuesRecord, Member, OrgUnit

HAS_OWN_RECORD = {"chair", "branch1", "branch2", "rep1", "worker1", "worker2"}
# Whose own record lies within the unit they manage: the chair's (the committee's subtree
# holds it) and each branch chair's (in her branch). The others hold nothing in org.
MANAGES_OWN = {"chair", "branch1", "branch2"}


def read_own(p, target):
    """One reads one's own record, whatever one's role."""
    return 200


def manage_own(ok=200):
    """A change of one's own record: only by a cadre whose scope holds it."""
    return lambda p, target: ok if p in MANAGES_OWN else 403


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # "page" or "api"
    method: str
    path: str  # with {id} for a record endpoint
    expect: object  # callable(persona, target) -> status
    data: object = None  # dict or callable(ctx) -> dict


ENDPOINTS = [
    # pages
    Endpoint("member-detail", "page", "get", "/org/members/{id}/", read_own),
    Endpoint("member-edit", "page", "get", "/org/members/{id}/edit/", manage_own()),
    Endpoint("member-transfer", "page", "get", "/org/members/{id}/transfer/", manage_own()),
    Endpoint("dues-member", "page", "get", "/org/members/{id}/dues/", read_own),
    Endpoint("member-reveal-id", "page", "post", "/org/members/{id}/reveal-id/", manage_own()),
    Endpoint(
        "member-status",
        "page",
        "post",
        "/org/members/{id}/status/",
        manage_own(302),
        data={"status": "retired", "reason": "矩阵测试"},
    ),
    Endpoint(
        "member-edit-post",
        "page",
        "post",
        "/org/members/{id}/edit/",
        manage_own(302),
        data=lambda ctx: ctx["edit_data"],
    ),
    Endpoint(
        "member-bulk-status",
        "page",
        "post",
        "/org/members/bulk/",
        manage_own(302),
        data=lambda ctx: {"ids": [ctx["id"]], "status": "retired"},
    ),
    # API
    Endpoint("api-detail", "api", "get", "/api/v1/members/{id}", read_own),
    Endpoint(
        "api-patch",
        "api",
        "patch",
        "/api/v1/members/{id}",
        manage_own(),
        data={"job": "矩阵测试"},
    ),
    Endpoint(
        "api-transfer",
        "api",
        "post",
        "/api/v1/members/{id}/transfer",
        manage_own(201),
        data=lambda ctx: ctx["transfer_data"],
    ),
    Endpoint("api-transfers", "api", "get", "/api/v1/members/{id}/transfers", read_own),
    Endpoint("api-dues", "api", "get", "/api/v1/members/{id}/dues", read_own),
]


def cases():
    for endpoint in ENDPOINTS:
        for persona in PERSONAS:
            if persona in HAS_OWN_RECORD:
                yield pytest.param(
                    endpoint,
                    persona,
                    "own",
                    endpoint.expect(persona, "own"),
                    id=f"{endpoint.name}-{persona}-own",
                )


def test_expectation_table_is_complete():
    table = list(cases())
    assert {c.values[0].name for c in table} == {e.name for e in ENDPOINTS}
    assert {c.values[1] for c in table} == HAS_OWN_RECORD
    by_key = {(c.values[0].name, c.values[1]): c.values[3] for c in table}
    # one reads one's own record; only a cadre whose scope holds it changes it
    assert by_key[("api-detail", "worker1")] == 200
    assert by_key[("member-detail", "rep1")] == 200
    assert by_key[("api-patch", "worker1")] == 403
    assert by_key[("member-edit", "branch1")] == 200
    assert by_key[("member-bulk-status", "worker2")] == 403


# The demo union is built once for the module (conftest.module_db); each row runs in a
# savepoint and is rolled back to it.
@pytest.fixture(scope="module")
def demo_units(module_demo_units):
    return module_demo_units


@pytest.fixture(scope="module")
def personas(module_personas):
    return module_personas


@pytest.fixture(scope="module")
def world(personas, demo_units):
    for username in HAS_OWN_RECORD:
        DuesRecord.objects.create(
            member=personas[username].member_record,
            month=dt.date(2024, 1, 1),
            wage_income="6000",
            amount="30.00",
        )
    return {"units": demo_units}


@pytest.fixture
def ctx(world, db):
    return world


def _client(persona, endpoint, personas, login, api_client) -> Client:
    if endpoint.kind == "api":
        return api_client(persona)
    return login(persona)


def _target_member(persona, personas) -> Member:
    return personas[persona].member_record


def _payload(endpoint, member, ctx):
    if endpoint.data is None:
        return None
    if not callable(endpoint.data):
        return endpoint.data
    target_unit = member.org_unit
    # a transfer inside the member's own branch
    branch = target_unit if target_unit.kind == "branch" else target_unit.parent
    siblings = OrgUnit.objects.filter(parent=branch or target_unit).exclude(pk=target_unit.pk)
    to_unit = siblings.first() or OrgUnit.objects.filter(parent=target_unit).first()
    local = {
        "id": member.pk,
        "transfer_data": {
            "to_unit_id": to_unit.pk if to_unit else None,
            "effective_date": "2024-06-01",
            "reason": "矩阵测试",
        },
        "edit_data": {
            "employee_no": member.employee_no,
            "name": member.name,
            "gender": member.gender,
            "id_number": "",
            "phone": member.phone,
            "department": "",
            "job": "矩阵测试",
            "employment_type": member.employment_type,
            "join_date": "",
            "monthly_wage": "",
        },
    }
    return endpoint.data(local)


@pytest.mark.parametrize(("endpoint", "persona", "target", "expected"), list(cases()))
def test_matrix(endpoint, persona, target, expected, ctx, personas, login, api_client):
    member = _target_member(persona, personas)
    path = endpoint.path.replace("{id}", str(member.pk))
    client = _client(persona, endpoint, personas, login, api_client)
    data = _payload(endpoint, member, ctx)
    before = Member.objects.get(pk=member.pk)
    if endpoint.method == "get":
        response = client.get(path)
    elif endpoint.kind == "api":
        response = getattr(client, endpoint.method)(
            path, data or {}, content_type="application/json"
        )
    else:
        response = client.post(path, data or {})
    if response.streaming:
        for close in response._resource_closers:  # the file, as the WSGI server would
            close()
    assert response.status_code == expected, b"" if response.streaming else response.content[:300]

    if endpoint.kind == "api" and expected >= 400:
        assert "detail" in response.json()
    if expected in (403, 404) and endpoint.method != "get":
        # a refused request changed nothing
        after = Member.objects.get(pk=member.pk)
        assert (after.org_unit_id, after.status, after.job) == (
            before.org_unit_id,
            before.status,
            before.job,
        )
    if endpoint.name == "member-bulk-status" and expected == 302:
        after = Member.objects.get(pk=member.pk)
        changed = after.status == Member.Status.RETIRED
        assert changed == (persona in MANAGES_OWN), "bulk change outside scope"
    if response.status_code == 200 and endpoint.kind == "page" and endpoint.method == "get":
        html = response.content.decode() if not response.streaming else ""
        for m in Member.objects.all():
            assert m.get_id_number() not in html
