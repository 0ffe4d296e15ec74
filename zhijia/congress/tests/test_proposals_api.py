"""The proposals API: the flow, the lists, the error statuses."""

from __future__ import annotations

import pytest
from django.test import Client

from zhijia.accounts.models import ApiToken
from zhijia.congress.tests.proposals_support import (
    TEXT,
    department,
    draft,
    handling,
    make_handler,
    make_representative,
    make_session,
    submitted,
)

BASE = "/api/v1/congress/proposals"


@pytest.fixture
def session(personas):
    return make_session()


@pytest.fixture
def rep2(personas):
    return make_representative("rep2", "B1", "钱进")


def client_for(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {ApiToken.issue(user)}"})


def post(c, path, data=None):
    return c.post(path, data or {}, content_type="application/json")


def test_the_flow_through_the_api(api_client, personas, session, rep2):
    rep1, chair, handler1 = api_client("rep1"), api_client("chair"), api_client("handler1")
    rep2_c = client_for(rep2)

    sessions = rep1.get(f"{BASE}/sessions").json()["items"]
    assert [s["id"] for s in sessions] == [session.pk]
    candidates = rep1.get(f"{BASE}/cosigner-candidates", {"q": "钱"}).json()["items"]
    assert candidates == [{"id": rep2.pk, "name": "钱进"}]

    created = post(rep1, BASE, {**TEXT, "session_id": session.pk, "cosigner_ids": [rep2.pk]})
    assert created.status_code == 201, created.content
    body = created.json()
    pid = body["id"]
    assert body["state"] == "draft" and body["actions"] == ["submit", "withdraw"]
    assert body["cosigners"] == [{"user_id": rep2.pk, "name": "钱进", "status": "invited"}]

    assert post(rep1, f"{BASE}/{pid}/submit").status_code == 400  # no co-signature yet
    waiting = rep2_c.get(BASE, {"box": "cosign"}).json()
    assert [p["id"] for p in waiting["items"]] == [pid]
    assert "cosign" in rep2_c.get(f"{BASE}/{pid}").json()["actions"]
    assert post(rep2_c, f"{BASE}/{pid}/cosign").json()["cosigners"][0]["status"] == "signed"
    submitted_body = post(rep1, f"{BASE}/{pid}/submit").json()
    assert (submitted_body["state"], submitted_body["number"]) == ("submitted", "001")

    queue = chair.get(BASE, {"box": "queue"}).json()
    assert queue["count"] == 1 and queue["items"][0]["id"] == pid
    assert chair.get(f"{BASE}/{pid}/similar").json()["items"] == []
    assert set(chair.get(f"{BASE}/{pid}").json()["actions"]) >= {"accept", "reject", "merge"}
    accepted = post(
        chair,
        f"{BASE}/{pid}/accept",
        {"lead_department_id": department("D-HR").pk, "workdays": 30, "note": "立案"},
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "handling"
    assert accepted.json()["lead_department"] == "人力资源部"

    mine = handler1.get(BASE, {"box": "department"}).json()
    assert [p["id"] for p in mine["items"]] == [pid]
    assert handler1.get(f"{BASE}/{pid}").json()["actions"] == ["answer"]
    answered = post(handler1, f"{BASE}/{pid}/answer", {"text": "已增加菜品", "summary": "增加菜品"})
    assert answered.json()["state"] == "answered"

    assert set(rep1.get(f"{BASE}/{pid}").json()["actions"]) == {"reopen", "rate"}
    reopened = post(rep1, f"{BASE}/{pid}/rate", {"rating": "dissatisfied", "comment": "没落实"})
    assert (reopened.json()["state"], reopened.json()["reopen_count"]) == ("handling", 1)
    post(handler1, f"{BASE}/{pid}/answer", {"text": "夜班窗口已开放"})
    closed = post(rep1, f"{BASE}/{pid}/rate", {"rating": "satisfied"}).json()
    assert (closed["state"], closed["rating"]) == ("closed", "satisfied")
    assert [r["rating"] for r in closed["ratings"]] == ["dissatisfied", "satisfied"]
    assert [a["round"] for a in closed["answers"]] == [1, 2]
    assert [e["transition"] for e in closed["history"]][-3:] == ["reopen", "answer", "rate"]
    assert closed["actions"] == []


def test_error_statuses(api_client, personas, session, rep2):
    rep1, chair = api_client("rep1"), api_client("chair")
    p = submitted(personas["rep1"], session, rep2)
    # malformed input: 422; a missing reason: 400; the wrong state: 409; out of scope: 404
    assert post(chair, f"{BASE}/{p.pk}/reject", {}).status_code == 422
    blank = post(chair, f"{BASE}/{p.pk}/reject", {"reason": "  "})
    assert blank.status_code == 400 and blank.json()["detail"] == "请填写理由"
    assert post(chair, f"{BASE}/{p.pk}/accept", {}).status_code == 200
    again = post(chair, f"{BASE}/{p.pk}/accept", {})
    assert again.status_code == 409 and "当前状态为“已立案”" in again.json()["detail"]
    # an unknown id in the body: 404 naming the field (docs/api.md)
    unknown_lead = post(chair, f"{BASE}/{p.pk}/assign", {"lead_department_id": 999999})
    assert unknown_lead.status_code == 404
    assert list(unknown_lead.json()["errors"]) == ["lead_department_id"]
    unknown_into = post(chair, f"{BASE}/{p.pk}/merge", {"into_id": 999999})
    assert unknown_into.status_code == 404 and list(unknown_into.json()["errors"]) == ["into_id"]
    assert post(rep1, f"{BASE}/{p.pk}/rate", {"rating": "bogus"}).status_code == 422
    assert api_client("branch2").get(f"{BASE}/{p.pk}").status_code == 404
    assert api_client("worker1").get(f"{BASE}/{p.pk}").status_code == 404
    assert rep1.get(f"{BASE}/999999").status_code == 404
    assert Client().get(BASE).status_code == 401
    # a representative cannot decide; a draft is invisible to the committee
    assert post(rep1, f"{BASE}/{p.pk}/reject", {"reason": "x"}).status_code == 403
    d = draft(personas["rep1"], session)
    assert chair.get(f"{BASE}/{d.pk}").status_code == 404
    # only the proposer edits the draft, and only while it is one
    assert (
        rep1.patch(f"{BASE}/{d.pk}", {"title": "新标题"}, content_type="application/json").json()[
            "title"
        ]
        == "新标题"
    )
    closed_edit = rep1.patch(f"{BASE}/{p.pk}", {"title": "x"}, content_type="application/json")
    assert closed_edit.status_code == 409
    # creating needs the representative role and a known session
    assert post(api_client("worker1"), BASE, {**TEXT, "session_id": session.pk}).status_code == 403
    unknown_session = post(rep1, BASE, {**TEXT, "session_id": 999999})
    assert unknown_session.status_code == 404
    assert list(unknown_session.json()["errors"]) == ["session_id"]
    empty = post(rep1, BASE, {**TEXT, "title": " ", "session_id": session.pk})
    assert empty.status_code == 400 and empty.json()["detail"] == "请填写标题"


def test_handler_of_another_department_gets_404(api_client, personas, session, rep2):
    p = handling(personas["rep1"], session, rep2, personas["chair"])
    finance = client_for(make_handler("fin1", "D-FIN"))
    assert finance.get(f"{BASE}/{p.pk}").status_code == 404
    assert post(finance, f"{BASE}/{p.pk}/answer", {"text": "越权"}).status_code == 404
    assert finance.get(BASE, {"box": "department"}).json()["items"] == []
    # The co-handling department sees it and may give an opinion, not the answer.
    p.co_departments.add(department("D-FIN"))
    assert finance.get(f"{BASE}/{p.pk}").json()["actions"] == ["opinion"]
    opinion = post(
        finance, f"{BASE}/{p.pk}/opinion", {"department_id": department("D-FIN").pk, "text": "同意"}
    )
    assert opinion.status_code == 200
    assert opinion.json()["answers"][0]["is_lead"] is False
    assert post(finance, f"{BASE}/{p.pk}/answer", {"text": "越权"}).status_code == 403


def test_lists_by_box(api_client, personas, session, rep2):
    rep1 = api_client("rep1")
    own_draft = draft(personas["rep1"], session, title="我的草稿")
    p = handling(personas["rep1"], session, rep2, personas["chair"], title="办理中的提案")
    mine = rep1.get(BASE, {"box": "mine"}).json()
    assert {i["id"] for i in mine["items"]} == {own_draft.pk, p.pk}
    everything = rep1.get(BASE).json()
    assert {i["id"] for i in everything["items"]} == {own_draft.pk, p.pk}
    # the committee's desk never shows drafts
    desk = api_client("chair").get(BASE).json()
    assert [i["id"] for i in desk["items"]] == [p.pk]
    # paging
    page = api_client("chair").get(BASE, {"per_page": 1, "page": 1}).json()
    assert (page["count"], page["pages"], len(page["items"])) == (1, 1, 1)
    assert api_client("chair").get(BASE, {"box": "bogus"}).status_code == 422


def test_filters_by_session_id_and_department_id_old_names_kept(
    api_client, personas, session, rep2
):
    """`session_id` / `department_id` filter the desk; the old names `session` / `department`
    (deprecated aliases, docs/api.md "Renamed inputs") still filter the same way."""
    p = handling(personas["rep1"], session, rep2, personas["chair"], title="办理中的提案")
    chair = api_client("chair")

    def ids(**query):
        response = chair.get(BASE, query)
        assert response.status_code == 200
        return [i["id"] for i in response.json()["items"]]

    dept = p.lead_department_id
    assert ids(session_id=session.pk) == [p.pk] == ids(department_id=dept)
    assert ids(session_id=999999) == [] == ids(department_id=999999)
    # the deprecated names
    assert ids(session=session.pk) == [p.pk] == ids(department=dept)
    assert ids(session=999999) == [] == ids(department=999999)
    # the new name wins when both are sent
    assert ids(session_id=session.pk, session=999999) == [p.pk]
