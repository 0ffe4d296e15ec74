"""Publishing, revising with a visible diff, withdrawal, visibility and read receipts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from zhijia.core.models import AuditEvent, Notification
from zhijia.disclosure.actions import items as actions
from zhijia.disclosure.errors import DisclosureRefused
from zhijia.disclosure.models import Item, ReadReceipt
from zhijia.disclosure.queries import items as queries

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="奖金明细.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- publishing ---------------------------------------------------------------------------------


def test_publish_validates_like_a_cadre_expects(catalogue, personas, demo_units, publish):
    branch1 = personas["branch1"]
    with pytest.raises(DisclosureRefused) as exc:
        publish("B1", by="branch1", entry="workshop-bonus", period="2026/10")
    assert "2026-10" in exc.value.errors["period_key"][0]
    with pytest.raises(DisclosureRefused) as exc:
        publish("B1", by="branch1", entry="workshop-bonus", period="2026-12")
    assert exc.value.errors["period_key"] == ["不能公开尚未开始的期间"]
    with pytest.raises(DisclosureRefused) as exc:
        publish("B1", by="branch1", entry="pay-bonus", period="2026-10")  # enterprise level
    assert "应由工会委员会发布" in exc.value.errors["entry"][0]
    with pytest.raises(DisclosureRefused) as exc:
        publish("B1", by="branch1", title=" ", body="")
    assert exc.value.errors["title"] == ["请填写标题"]
    with pytest.raises(DisclosureRefused) as exc:
        publish("B1", by="branch1", body="", table_text="")
    assert exc.value.errors["body"] == ["正文、表格、附件至少需要一项"]
    with pytest.raises(DisclosureRefused) as exc:
        publish("B1", by="branch1", audience="B2")
    assert "audience_unit" in exc.value.errors
    with pytest.raises(DisclosureRefused) as exc:
        publish(
            "B1",
            by="branch1",
            valid_from=dt.date(2026, 11, 12),
            valid_until=dt.date(2026, 11, 1),
        )
    assert exc.value.errors["valid_until"] == ["公开截止日不能早于起始日"]
    with pytest.raises(PermissionDenied):
        actions.do_publish_item(actor=branch1, unit=demo_units["B2"], title="x", body="y")
    assert Item.objects.count() == 0


def test_one_live_disclosure_per_period(catalogue, publish, api_client, demo_units):
    first = publish("B1", by="branch1", entry="workshop-bonus", period="2026-10")
    with pytest.raises(actions.Conflict):
        publish("B1", by="branch1", entry="workshop-bonus", period="2026-10")
    response = api_client("branch1").post(
        "/api/v1/disclosure/items",
        {
            "unit_id": demo_units["B1"].pk,
            "entry_id": catalogue["workshop-bonus"].pk,
            "period_key": "2026-10",
            "title": "重复",
            "body": "重复",
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "已经公开" in response.json()["errors"]["period_key"][0]
    # Withdrawn, the period may be disclosed again.
    actions.do_withdraw_item(actor=first.published_by, item=first, reason="数据有误")
    again = publish("B1", by="branch1", entry="workshop-bonus", period="2026-10")
    assert again.pk != first.pk


def test_published_text_is_escaped_and_table_rendered(catalogue, publish, login):
    item = publish(
        "B1",
        by="branch1",
        title="<b>标题</b>",
        body="<script>alert('x')</script>\n**按岗位系数分配**",
        table_text="姓名\t奖金\n陈小红\t1,200.00\n<i>赵卫东</i>\t980",
    )
    html = login("worker1").get(f"/disclosure/items/{item.pk}/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "<strong>按岗位系数分配</strong>" in html
    assert "<b>标题</b>" not in html
    assert '<th scope="col">奖金</th>' in html and "<td>1,200.00</td>" in html
    assert "<td>&lt;i&gt;赵卫东&lt;/i&gt;</td>" in html


def test_publish_with_attachments_from_the_form(catalogue, login, demo_units, personas):
    response = login("branch1").post(
        "/disclosure/publish/",
        {
            "unit": demo_units["B1"].pk,
            "title": "先进班组评选结果",
            "body": "",
            "uploads": [pdf("评选结果.pdf"), SimpleUploadedFile("a.exe", b"MZ\x90\x00" * 10)],
        },
    )
    assert response.status_code == 400
    assert "a.exe" in response.content.decode()
    assert Item.objects.count() == 0
    response = login("branch1").post(
        "/disclosure/publish/",
        {
            "unit": demo_units["B1"].pk,
            "title": "先进班组评选结果",
            "uploads": [pdf("评选结果.pdf")],
        },
    )
    assert response.status_code == 302
    item = Item.objects.get()
    files = queries.current_attachments(item)
    assert [f.original_name for f in files] == ["评选结果.pdf"]
    assert login("worker1").get(f"/files/{files[0].pk}/").status_code == 200
    assert login("worker2").get(f"/files/{files[0].pk}/").status_code == 404


# --- revisions ----------------------------------------------------------------------------------

OLD = "一车间十月奖金分配方案：人均奖金1,200元，发放日期11月15日。"
NEW = "一车间十月奖金分配方案：人均奖金1,350元，发放日期11月15日。"


def test_revision_shows_the_diff_and_keeps_every_version(catalogue, publish, login, personas):
    item = publish(
        "B1",
        by="branch1",
        entry="workshop-bonus",
        period="2026-10",
        title="十月奖金分配",
        body=OLD,
        table_text="姓名,奖金\n陈小红,1200\n赵卫东,980",
        uploads=[pdf("明细-初稿.pdf")],
    )
    # worker1 reads version 1
    assert login("worker1").get(f"/disclosure/items/{item.pk}/").status_code == 200
    old_file = queries.current_attachments(item)[0]

    response = login("branch1").post(
        f"/disclosure/items/{item.pk}/revise/",
        {
            "title": "十月奖金分配",
            "body": NEW,
            "table_text": "姓名,奖金\n陈小红,1350\n赵卫东,980\n刘伟,800",
            "reason": "补发考核奖励后重新核算",
            "remove": [str(old_file.pk)],
            "uploads": [pdf("明细-修订.pdf")],
        },
    )
    assert response.status_code == 302, response.content.decode()
    item.refresh_from_db()
    assert item.revision == 2 and item.body == NEW
    # Readers of version 1 are told, and see it as updated on their board.
    note = Notification.objects.get(user=personas["worker1"], kind="disclosure.item_revised")
    assert "十月奖金分配" in note.title
    assert "有更新" in login("worker1").get("/disclosure/").content.decode()

    page = login("worker1").get(f"/disclosure/items/{item.pk}/revisions/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "补发考核奖励后重新核算" in html
    assert "<del>1,200</del><ins>1,350</ins>" in html  # the changed figure, nothing more
    assert "<del>1200</del> <ins>1350</ins>" in html  # the changed table cell
    assert "<ins>刘伟</ins>" in html  # the added row
    assert "新增：明细-修订.pdf" in html and "移除：明细-初稿.pdf" in html

    # Version 1 stays readable in full, with the file it had.
    v1 = login("worker1").get(f"/disclosure/items/{item.pk}/revisions/1/")
    assert OLD in v1.content.decode() and "明细-初稿.pdf" in v1.content.decode()
    assert login("worker1").get(f"/files/{old_file.pk}/").status_code == 200
    current = login("worker1").get(f"/disclosure/items/{item.pk}/").content.decode()
    assert "明细-修订.pdf" in current and "明细-初稿.pdf" not in current
    assert "修订说明：" in current

    # The API gives the same diff.
    versions = login("worker1").get(f"/api/v1/disclosure/items/{item.pk}/revisions")
    assert versions.status_code == 401  # the API takes tokens, not the session
    assert "有更新" not in login("worker1").get("/disclosure/").content.decode()
    assert AuditEvent.objects.filter(action="disclosure.revise_item").last().data["changed"] == [
        "body",
        "table",
    ]


def test_revision_api(catalogue, publish, api_client):
    item = publish("B1", by="branch1", title="十月奖金分配", body=OLD)
    response = api_client("branch1").post(
        f"/api/v1/disclosure/items/{item.pk}/revisions",
        {"title": "十月奖金分配", "body": NEW, "reason": "更正人均数"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == 2 and data["changed"] is True
    changed = [s for s in data["body_diff"] if s["op"] != "equal"]
    assert changed == [{"op": "delete", "text": "1,200"}, {"op": "insert", "text": "1,350"}]
    history = (
        api_client("worker1").get(f"/api/v1/disclosure/items/{item.pk}/revisions").json()["items"]
    )
    assert [v["number"] for v in history] == [2, 1]
    assert history[1]["body"] == OLD
    same = api_client("branch1").post(
        f"/api/v1/disclosure/items/{item.pk}/revisions",
        {"title": "十月奖金分配", "body": NEW, "reason": "再改一次"},
        content_type="application/json",
    )
    assert same.status_code == 400 and same.json()["detail"] == "内容没有变化，无需修订"
    no_reason = api_client("branch1").post(
        f"/api/v1/disclosure/items/{item.pk}/revisions",
        {"title": "十月奖金分配", "body": OLD, "reason": " "},
        content_type="application/json",
    )
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]


def test_attachments_endpoint_adds_a_version(catalogue, publish, api_client):
    item = publish("B1", by="branch1", title="评选结果", body="见附件")
    response = api_client("branch1").post(
        f"/api/v1/disclosure/items/{item.pk}/attachments",
        {"reason": "补充附件", "files": [pdf("名单.pdf")]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["attachments_added"][0]["name"] == "名单.pdf"
    detail = api_client("worker1").get(f"/api/v1/disclosure/items/{item.pk}").json()
    assert [a["name"] for a in detail["attachments"]] == ["名单.pdf"]


def test_withdrawn_item_disappears_for_workers(catalogue, publish, login, api_client):
    item = publish("B1", by="branch1", title="撤回测试")
    assert login("worker1").get(f"/disclosure/items/{item.pk}/").status_code == 200
    response = api_client("branch1").post(
        f"/api/v1/disclosure/items/{item.pk}/withdraw",
        {"reason": "发布错误"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert login("worker1").get(f"/disclosure/items/{item.pk}/").status_code == 404
    assert login("branch1").get(f"/disclosure/items/{item.pk}/").status_code == 200
    again = api_client("branch1").post(
        f"/api/v1/disclosure/items/{item.pk}/withdraw",
        {"reason": "再撤"},
        content_type="application/json",
    )
    assert again.status_code == 409
    revise = api_client("branch1").post(
        f"/api/v1/disclosure/items/{item.pk}/revisions",
        {"title": "x", "body": "y", "reason": "z"},
        content_type="application/json",
    )
    assert revise.status_code == 409


# --- visibility, the board and receipts -----------------------------------------------------------


def test_who_sees_what(catalogue, publish, personas):
    b1 = publish("B1", by="branch1", title="一分会")
    group = publish("B1-G2", by="branch1", title="二组")
    b2 = publish("B2", by="branch2", title="二分会")
    enterprise = publish("U", title="全企业")
    narrow = publish("U", title="只给一分会", audience="B1")
    future = publish("B1", by="branch1", title="下周公开", valid_from=dt.date(2026, 11, 20))
    expired = publish(
        "B1",
        by="branch1",
        title="已过期",
        valid_from=dt.date(2026, 10, 1),
        valid_until=dt.date(2026, 10, 31),
    )

    def board(name, **kw):
        return {
            i.title for i in queries.board_items_for(personas[name], queries.BoardFilters(**kw))
        }

    assert board("worker1") == {"一分会", "全企业", "只给一分会"}
    assert board("worker1", past=True) == {"已过期"}
    assert board("worker2") == {"二分会", "全企业"}
    assert board("chair") == {"全企业"}  # a member of the committee, not of B1
    assert board("admin") == set()  # no member record
    visible = set(queries.items_visible_to(personas["branch1"]).values_list("title", flat=True))
    assert visible == {"一分会", "二组", "全企业", "只给一分会", "下周公开", "已过期"}
    assert queries.access_item(personas["worker1"], expired.pk)  # readable by link
    for item in (group, b2, future):
        with pytest.raises(Exception) as exc:
            queries.access_item(personas["worker1"], item.pk)
        assert exc.type.__name__ == "Http404"
    assert queries.access_item(personas["chair"], b2.pk) == b2
    assert b1 and enterprise and narrow


def test_read_receipts_per_member_and_unit(catalogue, publish, login, personas, demo_units):
    item = publish("B1", by="branch1", title="十月奖金")
    assert queries.unread_count_for(personas["worker1"]) == 1
    board = login("worker1").get("/disclosure/").content.decode()
    assert "未读：" in board
    for _ in range(3):
        login("worker1").get(f"/disclosure/items/{item.pk}/")
    login("rep1").get(f"/disclosure/items/{item.pk}/")
    login("branch1").get(f"/disclosure/items/{item.pk}/")
    login("chair").get(f"/disclosure/items/{item.pk}/")  # not in the audience: no receipt
    assert ReadReceipt.objects.filter(item=item).count() == 3
    assert queries.unread_count_for(personas["worker1"]) == 0
    stats = {r.unit.code: r for r in queries.receipt_stats(item)}
    assert stats["B1"].readers == 3
    assert stats["B1-G1"].readers == 2  # worker1 and rep1
    assert stats["B1-G2"].readers == 0
    assert stats["B1"].members >= stats["B1-G1"].members >= 2
    page = login("branch1").get(f"/disclosure/items/{item.pk}/").content.decode()
    assert "阅读情况" in page
    assert "阅读情况" not in login("worker1").get(f"/disclosure/items/{item.pk}/").content.decode()
    receipts = login("chair").get(f"/api/v1/disclosure/items/{item.pk}/receipts")
    assert receipts.status_code == 401  # session clients are not API clients


def test_receipts_api(catalogue, publish, api_client):
    item = publish("B1", by="branch1", title="十月奖金")
    board = api_client("worker1").get("/api/v1/disclosure/items").json()
    assert [(i["id"], i["read_state"]) for i in board["items"]] == [(item.pk, "unread")]
    read = api_client("worker1").post(f"/api/v1/disclosure/items/{item.pk}/read")
    assert read.status_code == 200 and read.json()["read_state"] == "read"
    rows = api_client("branch1").get(f"/api/v1/disclosure/items/{item.pk}/receipts").json()["items"]
    assert rows[0]["unit_name"] and rows[0]["readers"] == 1
    assert (
        api_client("worker1").get(f"/api/v1/disclosure/items/{item.pk}/receipts").status_code == 403
    )


def test_full_text_search_respects_the_audience(catalogue, publish, personas):
    b1 = publish("B1", by="branch1", title="十月奖金分配", body="夜班津贴单独发放")
    publish("B2", by="branch2", title="二分会奖金分配", body="夜班津贴单独发放")
    assert queries.search_items(personas["worker1"], "夜班津贴") == [b1]
    assert len(queries.search_items(personas["chair"], "夜班津贴")) == 2
    actions.do_withdraw_item(actor=personas["branch1"], item=b1, reason="重发")
    assert queries.search_items(personas["worker1"], "夜班津贴") == []


def test_concurrent_publication_of_one_period_is_a_conflict(catalogue, publish, monkeypatch):
    publish("B1", by="branch1", entry="workshop-bonus", period="2026-10")
    # As if another request had published between this one's check and its insert.
    monkeypatch.setattr(queries, "find_live_item", lambda *a, **k: None)
    with pytest.raises(actions.Conflict):
        publish("B1", by="branch1", entry="workshop-bonus", period="2026-10")
    assert Item.objects.filter(period_key="2026-10").count() == 1
