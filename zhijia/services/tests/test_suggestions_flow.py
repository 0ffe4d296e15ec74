"""A suggestion's way through its workflow, by the people who hold each step: the department's
review, expert scoring, adoption, milestones, the finance department's certification, the
reward by tiers, the author's rating; a rejection needs a reason (action, page, API)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from zhijia.core.errors import ActionRefused
from zhijia.core.models import Notification, Rating, RatingFollowUp
from zhijia.core.workflow import TransitionError, history_view
from zhijia.services.actions import suggestions as actions
from zhijia.services.models import Suggestion
from zhijia.services.queries import suggestions as queries
from zhijia.services.tests.suggestions_support import (
    MARKS,
    adopted,
    department,
    finance_handler,
    submit,
)

pytestmark = pytest.mark.django_db


def _kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    )


def test_from_submission_to_reward_and_rating(personas):
    rep1, worker1, branch1 = personas["rep1"], personas["worker1"], personas["branch1"]
    finance = finance_handler()
    s = submit(rep1, "变压器检修工装改进", team_name="检修QC小组", coauthors=[worker1])
    assert s.in_state("submitted") and s.deadline_at is not None
    assert "services.suggestion_to_review" in _kinds(personas["handler1"])
    # only the department's handler reviews; a cadre may not send it to scoring
    with pytest.raises(TransitionError) as refused:
        actions.do_review_suggestion(actor=branch1, suggestion=s)
    assert refused.value.status == 403
    actions.do_review_suggestion(actor=personas["handler1"], suggestion=s, note="可行，请评审")
    s.refresh_from_db()
    assert s.in_state("scoring") and [c["name"] for c in s.criteria] == [
        "创新性",
        "可行性",
        "经济效益",
        "推广价值",
    ]
    # no score yet: adoption is refused with the guard's message
    with pytest.raises(TransitionError, match="尚无专家完成评分"):
        actions.do_adopt_suggestion(
            actor=branch1, suggestion=s, finance_department=department("D-FIN")
        )
    actions.do_appoint_suggestion_experts(
        actor=branch1, suggestion=s, experts=[personas["chair"], personas["branch2"]]
    )
    with pytest.raises(ActionRefused):  # a mark missing
        actions.do_score_suggestion(actor=personas["chair"], suggestion=s, marks={"创新性": 90})
    actions.do_score_suggestion(actor=personas["chair"], suggestion=s, marks=MARKS)
    other = {"创新性": 60, "可行性": 70, "经济效益": 80, "推广价值": 90}  # 72.5
    actions.do_score_suggestion(actor=personas["branch2"], suggestion=s, marks=other)
    s.refresh_from_db()
    assert s.score == Decimal("75.0")
    actions.do_adopt_suggestion(
        actor=branch1, suggestion=s, finance_department=department("D-FIN"), note="采纳"
    )
    s.refresh_from_db()
    assert s.in_state("adopted")
    milestone = actions.do_add_suggestion_milestone(
        actor=personas["handler1"], suggestion=s, title="工装制作", workdays=10
    )
    with pytest.raises(TransitionError, match="未完成的实施节点"):
        actions.do_implement_suggestion(actor=branch1, suggestion=s)
    actions.do_complete_suggestion_milestone(actor=branch1, milestone=milestone, note="已投用")
    actions.do_implement_suggestion(actor=branch1, suggestion=s)
    # the department concerned's handler is not the finance department's
    with pytest.raises(TransitionError) as refused:
        actions.do_certify_suggestion_benefit(actor=personas["handler1"], suggestion=s, benefit="1")
    assert refused.value.status == 403
    actions.do_certify_suggestion_benefit(actor=finance, suggestion=s, benefit="150000")
    actions.do_reward_suggestion(actor=branch1, suggestion=s)
    s.refresh_from_db()
    # 150,000 yuan and 75.0 points: 二等奖 (from 100,000 and 75), 2,000 yuan
    assert s.in_state("closed")
    assert (s.certified_benefit, s.reward_tier, s.reward_amount) == (
        Decimal("150000.00"),
        "二等奖",
        Decimal("2000.00"),
    )
    told = [
        "services.suggestion_reviewed",
        "services.suggestion_adopted",
        "services.suggestion_implemented",
        "services.suggestion_certified",
        "services.suggestion_rewarded",
    ]
    assert _kinds(rep1) == told
    assert _kinds(worker1) == told  # the co-author too
    labels = [row.label for row in history_view(s, rep1)]
    assert labels == [
        "提交",
        "提交专家评审",
        "采纳",
        "确认实施完成",
        "认定经济效益",
        "发放奖励并办结",
    ]
    # the author rates once (a to-do on his home until then); 不满意 opens a follow-up
    from zhijia.core.home import todos_for

    assert [t.detail for t in todos_for(rep1) if "评价合理化建议" in str(t.label)] == [s.title]
    with pytest.raises(Exception):  # noqa: B017 (PermissionDenied: not the author)
        actions.do_rate_suggestion(actor=worker1, suggestion=s, rating="satisfied")
    actions.do_rate_suggestion(actor=rep1, suggestion=s, rating="dissatisfied")
    rating = Rating.objects.get(service="services.suggestion")
    assert rating.unit_path == s.org_unit.path and rating.record_id == str(s.pk)
    assert RatingFollowUp.objects.filter(rating=rating).exists()
    with pytest.raises(ActionRefused) as again:
        actions.do_rate_suggestion(actor=rep1, suggestion=s, rating="satisfied")
    assert again.value.status == 409
    assert not [t for t in todos_for(rep1) if "评价合理化建议" in str(t.label)]


def test_a_rejected_suggestion_needs_a_reason(personas, login, api_client):
    s = submit(personas["rep1"], "班组交接班记录电子化")
    with pytest.raises(ActionRefused) as refused:
        actions.do_reject_suggestion(actor=personas["branch1"], suggestion=s, reason="  ")
    assert refused.value.field == "reason"
    # the page: 400, the message next to the field, nothing changed
    response = login("branch1").post(f"/services/suggestions/{s.pk}/step/reject/", {"reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_reason_error"' in html and "请填写不予采纳的理由" in html
    # the API: 400 naming the field
    response = api_client("handler1").post(
        f"/api/v1/services/suggestions/{s.pk}/reject",
        {"reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    s.refresh_from_db()
    assert (
        s.in_state("submitted")
        and not Notification.objects.filter(
            user=personas["rep1"], kind="services.suggestion_rejected"
        ).exists()
    )
    # with a reason: rejected, and the author is told why
    response = login("branch1").post(
        f"/services/suggestions/{s.pk}/step/reject/", {"reason": "已有同类系统在建"}
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.in_state("rejected") and s.decision_reason == "已有同类系统在建"
    note = Notification.objects.get(user=personas["rep1"], kind="services.suggestion_rejected")
    assert "已有同类系统在建" in note.body


def test_similar_suggestions_are_shown(personas, login, api_client):
    earlier = submit(
        personas["worker2"],
        "食堂午餐排队时间过长",
        problem="食堂午餐高峰排队超过二十分钟",
        proposal="增设打饭窗口，错峰就餐",
        category="small",
    )
    unrelated = submit(
        personas["worker2"],
        "变电站巡检机器人",
        problem="人工巡检夜间风险大",
        proposal="引入巡检机器人",
    )
    mine = submit(
        personas["rep1"],
        "食堂排队时间太长",
        problem="午餐时食堂排队时间太长",
        proposal="多开几个窗口，分批错峰就餐",
        category="small",
    )
    # the department's handler reviewing rep1's sees worker2's earlier one, with its score
    html = login("handler1").get(f"/services/suggestions/{mine.pk}/").content.decode()
    assert f'data-similar="{earlier.pk}"' in html and "相似度" in html
    assert f'data-similar="{unrelated.pk}"' not in html
    # a member writing sees it by title and state only, without a link (not theirs to read)
    rows = queries.similar_for_member(personas["worker1"], "食堂排队", "午餐排队太久")
    assert {r.suggestion.pk for r in rows[:2]} == {mine.pk, earlier.pk}
    assert unrelated.pk not in {r.suggestion.pk for r in rows}
    assert all(not r.readable for r in rows)
    fragment = login("worker1").get(
        "/services/suggestions/similar/", {"title": "食堂排队", "problem": "午餐排队太久"}
    )
    text = fragment.content.decode()
    assert "食堂午餐排队时间过长" in text and "部门审查中" in text
    assert f"/services/suggestions/{earlier.pk}/" not in text
    assert "增设打饭窗口" not in text and "刘伟" not in text  # no text, no author
    body = (
        api_client("worker2")
        .get("/api/v1/services/suggestions/similar", {"title": "食堂排队", "problem": "午餐排队"})
        .json()
    )
    readable = {item["id"]: item["readable"] for item in body["items"]}
    assert readable[earlier.pk] is True and readable[mine.pk] is False


def test_the_reviewing_handler_and_the_finance_handler_get_their_queues(personas):
    from zhijia.core.queues import queues_for

    s = adopted(personas, finance="D-HR")
    submit(personas["worker1"], "安全帽挂钩")
    counts = {q.key: q.count for q in queues_for(personas["handler1"])}
    assert counts["services.suggestions_to_review"] == 1
    assert counts["services.suggestions_to_certify"] == 0
    actions.do_implement_suggestion(actor=personas["branch1"], suggestion=s)
    counts = {q.key: q.count for q in queues_for(personas["handler1"])}
    assert counts["services.suggestions_to_certify"] == 1
    chair = {q.key: q.count for q in queues_for(personas["chair"])}
    assert chair["services.suggestions_to_score"] == 0  # scored already
    assert Suggestion.objects.count() == 2


def test_a_persons_suggestions_and_marks_are_in_their_data(personas):
    from zhijia.core.privacy import personal_data_for

    s = adopted(personas, title="冷凝器清洗周期优化")
    sheets = {str(sheet.title): list(sheet.rows) for sheet in personal_data_for(personas["rep1"])}
    assert [row[0] for row in sheets["合理化建议"]] == ["冷凝器清洗周期优化"]
    marks = {str(sh.title): list(sh.rows) for sh in personal_data_for(personas["chair"])}
    assert len(marks["合理化建议评审打分"]) == len(MARKS)
    assert sheets["合理化建议评审打分"] == []
    assert s.in_state("adopted")


def test_files_go_with_the_suggestion_until_the_review(
    personas, login, api_client, private_storage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.access.world_disclosure import png_bytes

    dept = department("D-HR")
    response = login("rep1").post(
        "/services/suggestions/new/",
        {
            "title": "更衣柜加装通风孔",
            "category": "small",
            "department": dept.pk,
            "problem": "更衣柜潮湿有异味",
            "proposal": "柜门加装通风孔",
            "attachments": [SimpleUploadedFile("柜子.png", png_bytes(), "image/png")],
        },
    )
    assert response.status_code == 302
    s = Suggestion.objects.get(title="更衣柜加装通风孔")
    assert [a.original_name for a in queries.attachments_of(s)] == ["柜子.png"]
    html = login("handler1").get(f"/services/suggestions/{s.pk}/").content.decode()
    assert "柜子.png" in html
    url = f"/api/v1/services/suggestions/{s.pk}/attachments"

    def more():
        return {"files": [SimpleUploadedFile("细节.png", png_bytes(), "image/png")]}

    assert api_client("handler1").post(url, more()).status_code == 403  # not the author
    response = api_client("rep1").post(url, more())
    assert response.status_code == 201
    assert [a["name"] for a in response.json()["attachments"]] == ["柜子.png", "细节.png"]
    actions.do_review_suggestion(actor=personas["handler1"], suggestion=s)
    assert api_client("rep1").post(url, more()).status_code == 409


def test_my_suggestions_page_and_export(personas, login):
    import io

    from openpyxl import load_workbook

    submit(personas["rep1"], "配电室温湿度监测")
    client = login("rep1")
    html = client.get("/services/suggestions/").content.decode()
    assert "配电室温湿度监测" in html and "/services/suggestions/mine/export/" in html
    response = client.get("/services/suggestions/mine/export/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    titles = [row[1] for row in sheet.active.iter_rows(min_row=2, values_only=True)]
    assert titles == ["配电室温湿度监测"]
    assert (
        "/services/suggestions/mine/export/"
        not in login("worker2").get("/services/suggestions/").content.decode()
    )


def test_the_desk_export_writes_a_formula_looking_title_as_text(personas, login):
    from tests.test_export_injection import _streamed, assert_xlsx_neutralised

    title = '=HYPERLINK("http://evil.example/","点击")'
    submit(personas["rep1"], title)
    response = login("branch1").get("/services/suggestions/desk/export/")
    assert response.status_code == 200
    assert_xlsx_neutralised(_streamed(response), [title])
