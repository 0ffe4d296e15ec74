"""The proposal pages: a representative on the phone, the committee at the desk, a handler."""

from __future__ import annotations

import pytest

from zhijia.congress.models import Proposal
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
from zhijia.org.demo import DEMO_PASSWORD


@pytest.fixture
def session(personas):
    return make_session()


@pytest.fixture
def rep2(personas):
    return make_representative("rep2", "B1", "钱进")


def as_user(client_factory, user):
    c = client_factory()
    c.force_login(user)
    return c


def page(response) -> str:
    return response.content.decode()


def test_the_whole_flow_through_the_pages(login, personas, session, rep2):
    from django.test import Client

    rep1_c, chair_c, handler_c = login("rep1"), login("chair"), login("handler1")
    rep2_c = as_user(Client, rep2)

    # The representative's home lists the proposal pages.
    assert "我的提案" in page(rep1_c.get("/"))
    assert rep1_c.get("/congress/proposals/").status_code == 200
    form = rep1_c.get("/congress/proposals/new/")
    assert form.status_code == 200 and "钱进" in page(form)  # rep2 can be invited

    # Errors are shown next to the field, in Chinese.
    bad = rep1_c.post("/congress/proposals/new/", {"session": session.pk, "title": ""})
    assert bad.status_code == 400
    assert 'id="id_title_error"' in page(bad) and "这个字段是必填项" in page(bad)

    created = rep1_c.post(
        "/congress/proposals/new/",
        {**TEXT, "session": session.pk, "cosigners": [rep2.pk]},
    )
    assert created.status_code == 302
    p = Proposal.objects.get()
    assert created["Location"] == f"/congress/proposals/{p.pk}/"
    detail = rep1_c.get(created["Location"])
    assert "征集附议" in page(detail) and "已附议 0 位，至少需要 1 位" in page(detail)
    # No submit button that can only fail: what is missing is said instead, the invitation
    # box is open and marked.
    html = page(detail)
    assert f'action="/congress/proposals/{p.pk}/submit/"' not in html
    assert "data-submit-blocked" in html and "还需 1 位代表附议" in html
    assert "已邀请的代表中有 1 位尚未答复" in html
    assert '<details class="card" data-invite open>' in html and "data-invite-marker" in html

    # The draft can still be edited by its author.
    assert rep1_c.get(f"/congress/proposals/{p.pk}/edit/").status_code == 200
    edited = rep1_c.post(
        f"/congress/proposals/{p.pk}/edit/", {**TEXT, "title": "关于改善食堂饭菜的建议"}
    )
    assert edited.status_code == 302
    p.refresh_from_db()
    assert p.title == "关于改善食堂饭菜的建议"
    assert rep2_c.get(f"/congress/proposals/{p.pk}/edit/").status_code == 403

    # Submitting without a co-signature is refused with the rule.
    refused = rep1_c.post(f"/congress/proposals/{p.pk}/submit/")
    assert refused.status_code == 400 and "附议人不足" in page(refused)

    requests = rep2_c.get("/congress/proposals/cosign-requests/")
    assert "关于改善食堂饭菜的建议" in page(requests)
    assert rep2_c.post(f"/congress/proposals/{p.pk}/cosign/").status_code == 302
    ready = page(rep1_c.get(f"/congress/proposals/{p.pk}/"))
    assert f'action="/congress/proposals/{p.pk}/submit/"' in ready
    assert "data-submit-blocked" not in ready and "data-invite-marker" not in ready
    assert rep1_c.post(f"/congress/proposals/{p.pk}/submit/").status_code == 302
    assert "待审查" in page(rep1_c.get(f"/congress/proposals/{p.pk}/"))

    # The committee's desk and decision page.
    queue = chair_c.get("/congress/proposals/queue/")
    assert queue.status_code == 200 and "关于改善食堂饭菜的建议" in page(queue)
    assert "可能重复的提案" in page(chair_c.get(f"/congress/proposals/{p.pk}/decide/"))
    no_reason = chair_c.post(f"/congress/proposals/{p.pk}/reject/", {"reason": ""})
    assert no_reason.status_code == 400 and "不予立案必须填写理由" in page(no_reason)
    accepted = chair_c.post(
        f"/congress/proposals/{p.pk}/accept/",
        {"lead_department": department("D-HR").pk, "workdays": 20, "note": "同意立案"},
    )
    assert accepted.status_code == 302
    p.refresh_from_db()
    assert p.state == "handling" and p.handling_workdays == 20

    # The handler's list and answer form.
    assert "关于改善食堂饭菜的建议" in page(handler_c.get("/congress/proposals/department/"))
    empty = handler_c.post(f"/congress/proposals/{p.pk}/answer/", {"text": ""})
    assert empty.status_code == 400
    answered = handler_c.post(
        f"/congress/proposals/{p.pk}/answer/",
        {"text": "食堂已增加菜品。", "summary": "增加菜品"},
    )
    assert answered.status_code == 302

    # 不满意 once: back to the department; then 满意: closed.
    assert 'name="rating"' in page(rep1_c.get(f"/congress/proposals/{p.pk}/"))
    rep1_c.post(
        f"/congress/proposals/{p.pk}/rate/", {"rating": "dissatisfied", "comment": "没落实"}
    )
    p.refresh_from_db()
    assert (p.state, p.reopen_count) == ("handling", 1)
    handler_c.post(f"/congress/proposals/{p.pk}/answer/", {"text": "夜班窗口已开放。"})
    rep1_c.post(f"/congress/proposals/{p.pk}/rate/", {"rating": "satisfied"})
    p.refresh_from_db()
    assert (p.state, p.rating) == ("closed", "satisfied")
    final = page(rep1_c.get(f"/congress/proposals/{p.pk}/"))
    assert "已办结" in final and "满意" in final and "夜班窗口已开放" in final


def test_with_nobody_left_to_invite_the_form_and_the_draft_say_so(login, personas, session):
    # rep1 is the only representative of the union: nobody can co-sign.
    form = page(login("rep1").get("/congress/proposals/new/"))
    assert "目前没有可以邀请的其他代表" in form
    p = draft(personas["rep1"], session)
    html = page(login("rep1").get(f"/congress/proposals/{p.pk}/"))
    assert "data-no-invitable" in html and "可以邀请的代表已不够" in html
    assert f'action="/congress/proposals/{p.pk}/submit/"' not in html


def test_first_dissatisfied_rating_without_reason_is_refused_next_to_the_field(
    login, personas, session, rep2
):
    p = handling(personas["rep1"], session, rep2, personas["chair"])
    login("handler1").post(f"/congress/proposals/{p.pk}/answer/", {"text": "答复"})
    response = login("rep1").post(f"/congress/proposals/{p.pk}/rate/", {"rating": "dissatisfied"})
    assert response.status_code == 400
    assert 'id="id_comment_error"' in page(response) and "请说明不满意的原因" in page(response)


def test_out_of_scope_is_not_found(login, personas, session, rep2):
    from django.test import Client

    p = handling(personas["rep1"], session, rep2, personas["chair"])
    other_handler = as_user(Client, make_handler("fin1", "D-FIN"))
    for url in (f"/congress/proposals/{p.pk}/", f"/congress/proposals/{p.pk}/answer/"):
        assert other_handler.get(url).status_code == 404
    assert login("branch2").get(f"/congress/proposals/{p.pk}/").status_code == 404
    assert login("branch2").get(f"/congress/proposals/{p.pk}/decide/").status_code == 404
    assert login("worker1").get(f"/congress/proposals/{p.pk}/").status_code == 404
    # branch1 reads the proposal of its representative but does not decide or press.
    branch1 = login("branch1")
    assert branch1.get(f"/congress/proposals/{p.pk}/").status_code == 200
    assert branch1.post(f"/congress/proposals/{p.pk}/supervise/", {"note": "催"}).status_code == 403


def test_branch2_cadre_cannot_decide(login, personas, session, rep2):
    """A branch2 cadre cannot decide: the proposal is outside their scope (404), and even a
    proposal from branch2 belongs to the enterprise congress, decided by the committee."""
    rep3 = make_representative("rep3", "B2", "孙立")
    theirs = submitted(rep3, session, rep2, title="第二分工会代表的提案")
    branch2 = login("branch2")
    assert branch2.get(f"/congress/proposals/{theirs.pk}/").status_code == 200  # may read
    assert branch2.get(f"/congress/proposals/{theirs.pk}/decide/").status_code == 403
    response = branch2.post(
        f"/congress/proposals/{theirs.pk}/accept/", {"lead_department": department("D-HR").pk}
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.state == "submitted"
    mine = submitted(personas["rep1"], session, rep2)
    assert (
        branch2.post(f"/congress/proposals/{mine.pk}/reject/", {"reason": "x"}).status_code == 404
    )


def test_merge_from_the_decision_page(login, personas, session, rep2):
    main = submitted(rep2, session, personas["rep1"], title="建议增加夜班热餐供应")
    dup = submitted(personas["rep1"], session, rep2)
    chair = login("chair")
    decide = page(chair.get(f"/congress/proposals/{dup.pk}/decide/"))
    assert "建议增加夜班热餐供应" in decide and "%" in decide
    response = chair.post(f"/congress/proposals/{dup.pk}/merge/", {"into": main.pk, "note": ""})
    assert response.status_code == 302
    dup.refresh_from_db()
    assert dup.state == "merged" and dup.merged_into == main
    # an unknown target is not found
    other = submitted(personas["rep1"], session, rep2, title="另一件")
    assert chair.post(f"/congress/proposals/{other.pk}/merge/", {"into": 999999}).status_code == 404


def test_queue_filters_and_search(login, personas, session, rep2):
    rep1, chair = personas["rep1"], personas["chair"]
    handling(rep1, session, rep2, chair, title="关于夜班餐补的建议")
    submitted(rep1, session, rep2, title="关于厂区照明的建议", cause="北门路灯不亮")
    draft(rep1, session, title="草稿不会出现在案头")
    c = login("chair")
    everything = page(c.get("/congress/proposals/queue/"))
    assert "夜班餐补" in everything and "厂区照明" in everything
    assert "草稿不会出现在案头" not in everything
    only = page(c.get("/congress/proposals/queue/", {"state": "submitted"}))
    assert "厂区照明" in only and "夜班餐补" not in only
    found = page(c.get("/congress/proposals/queue/", {"q": "照明"}))
    assert "厂区照明" in found and "夜班餐补" not in found
    assert c.get("/congress/proposals/queue/", {"state": "bogus"}).status_code == 400


def test_pages_need_the_right_role(login):
    assert login("worker1").get("/congress/proposals/new/").status_code == 403
    assert login("worker1").get("/congress/proposals/queue/").status_code == 403
    assert login("rep1").get("/congress/proposals/queue/").status_code == 403
    assert login("chair").get("/congress/proposals/department/").status_code == 403
    assert login("handler1").get("/congress/proposals/department/").status_code == 200


def test_login_is_required(client):
    response = client.get("/congress/proposals/")
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert DEMO_PASSWORD  # the demo accounts exist for the browser tests


def test_attachments_on_a_proposal(login, personas, session, rep2, private_storage):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhijia.core.attachments import attachments_for
    from zhijia.core.tests.test_attachments import png_bytes

    rep1 = login("rep1")
    fake = SimpleUploadedFile("photo.png", b"<html>not an image</html>", "image/png")
    refused = rep1.post(
        "/congress/proposals/new/", {**TEXT, "session": session.pk, "attachments": [fake]}
    )
    assert refused.status_code == 400 and 'id="id_attachments_error"' in page(refused)
    assert not Proposal.objects.exists()  # nothing half-saved

    photo = SimpleUploadedFile("食堂.png", png_bytes(), "image/png")
    created = rep1.post(
        "/congress/proposals/new/",
        {**TEXT, "session": session.pk, "cosigners": [rep2.pk], "attachments": [photo]},
    )
    assert created.status_code == 302
    p = Proposal.objects.get()
    detail = page(rep1.get(f"/congress/proposals/{p.pk}/"))
    assert "食堂.png" in detail
    (attachment,) = attachments_for(p)
    url = f"/files/{attachment.id}/"
    assert rep1.get(url).status_code == 200
    # A draft's attachment is as private as the draft.
    assert login("chair").get(url).status_code == 404
