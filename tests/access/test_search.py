"""Roles × the global search's page and API operation (zhijia.core.searchables).

Everyone signed in may search (200; the anonymous are sent to sign in, or 401 from the API);
what each finds is limited to what they may open: every row checks, for both branches'
grievances, that a persona finds one only if its page would open for her
(zhijia.cases.queries.grievances.access_grievance).
"""

from __future__ import annotations

import pytest

from tests.access.framework import ANON, ROW_ARGS, Row, everyone, row_cases, run_cases
from tests.access.world_search import build_world

P = "/core/search/"
A = "/api/v1/search"


def _only_what_opens(response, world, persona, target) -> None:
    from django.http import Http404

    from zhijia.cases.queries.grievances import access_grievance

    if persona == ANON:
        return
    user = world["personas"][persona]
    if response["Content-Type"].startswith("application/json"):
        found = {i["id"] for i in response.json()["items"] if i["type"] == "cases.grievance"}
    else:
        html = response.content.decode()
        found = {str(pk) for pk in world["grievance"].values() if f"/cases/{pk}/" in html}
    for pk in world["grievance"].values():
        try:
            access_grievance(user, pk)
            opens = True
        except Http404:
            opens = False
        assert (str(pk) in found) == opens, (persona, pk)


ROWS = [
    Row("core:search", "get", f"{P}?q=加班", everyone(200), check=_only_what_opens),
    Row(f"GET {A}", "get", f"{A}?q=加班", everyone(200), check=_only_what_opens),
]


@pytest.fixture(scope="module")
def world(module_db):
    return build_world()


@pytest.mark.parametrize(ROW_ARGS, row_cases(ROWS))
def test_access(world, db, row, expected):
    run_cases(world, row, expected)
