"""The grievance and mediation API beyond the access matrix: the workflow steps answer the
record as it is after the step, also when the step takes it out of the caller's scope."""

from __future__ import annotations

import pytest

from zhijia.cases.actions import grievances as actions
from zhijia.cases.tests.support import TEXT, unit

pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_transfer_out_of_the_callers_scope_answers_the_transferred_record(api_client, personas):
    # A branch2 worker's grievance, handed by the committee to branch1 ...
    g = actions.do_submit_grievance(
        actor=personas["worker2"], kind="grievance", category="wages", text=TEXT
    )
    committee = unit("B1").parent
    actions.do_transfer_grievance(
        actor=personas["chair"], grievance=g, unit=unit("B1"), note="由第一分工会办理"
    )
    branch1 = api_client("branch1")
    assert branch1.get(f"/api/v1/cases/grievances/{g.pk}").status_code == 200
    # ... which hands it back up: done, and answered, although branch1 no longer sees it.
    answer = post(
        branch1,
        f"/api/v1/cases/grievances/{g.pk}/transfer",
        {"unit": committee.pk, "note": "涉及第二分工会，请委员会办理"},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["handling_unit"] == committee.name
    assert answer.json()["state"] == "submitted"
    assert branch1.get(f"/api/v1/cases/grievances/{g.pk}").status_code == 404


def test_the_step_routes_answer_the_record_after_the_step(api_client, personas):
    g = actions.do_submit_grievance(
        actor=personas["worker1"], kind="grievance", category="wages", text=TEXT
    )
    answered = post(
        api_client("branch1"), f"/api/v1/cases/grievances/{g.pk}/answer", {"text": "已补发。"}
    )
    assert answered.status_code == 200
    assert (answered.json()["state"], answered.json()["answer"]) == ("answered", "已补发。")
    # A refused step is the one error body, and changes nothing.
    again = post(
        api_client("branch1"), f"/api/v1/cases/grievances/{g.pk}/answer", {"text": "再答一次"}
    )
    assert again.status_code == 409 and again.json()["detail"]
    rated = post(
        api_client("worker1"), f"/api/v1/cases/grievances/{g.pk}/rate", {"rating": "satisfied"}
    )
    assert rated.status_code == 200 and rated.json()["state"] == "closed"
