"""The congress pages for cadres at the desk and representatives on the phone."""

from __future__ import annotations

import datetime as dt
import re
import zlib

import pytest
from django.urls import reverse

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.models import AgendaItem, Attendance, Session, Term
from zhijia.congress.queries import sessions as q
from zhijia.congress.tests.factory_sessions import (
    cast,
    close_online_vote,
    make_members,
    make_term,
    open_online_vote,
    seat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(personas, demo_units):
    """A term of U with rep1 and 32 more representatives; a session in check-in."""
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    rep1 = actions.do_add_representative(
        actor=chair, term=term, member=personas["rep1"].member_record, is_frontline=True
    )
    others = seat(chair, term, make_members(demo_units["B2-G1"], 32), is_frontline=True)
    session = actions.do_schedule_session(
        actor=chair, term=term, date=dt.date(2025, 3, 20), place="大礼堂"
    )
    return chair, term, rep1, others, session


def test_term_pages_and_creation(login, setup, demo_units):
    chair, term, rep1, others, session = setup
    c = login("chair")
    page = c.get(reverse("congress:term-list"))
    assert page.status_code == 200
    assert str(term) in page.content.decode()
    # Creating a term of 2 years is refused next to the field, with the legal basis.
    bad = c.post(
        reverse("congress:term-list"),
        {"unit": demo_units["U"].pk, "start_date": "2029-03-01", "end_date": "2031-02-28"},
    )
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "每届任期为 3 至 5 年" in html and "《企业民主管理规定》" in html
    assert Term.objects.count() == 1
    ok = c.post(
        reverse("congress:term-list"),
        {"unit": demo_units["U"].pk, "start_date": "2029-03-01", "end_date": "2032-02-29"},
    )
    assert ok.status_code == 302, ok.content.decode()
    assert Term.objects.filter(number=2).exists()

    detail = c.get(reverse("congress:term-detail", args=[term.pk])).content.decode()
    # 2024-03 .. 2029-02: the session of 2025-03-20 falls in year 2; the others have none.
    assert detail.count("尚未安排会议") + detail.count("当年未召开会议") == 4


def test_slate_page_shows_every_check_with_its_basis(login, setup):
    chair, term, rep1, others, session = setup
    html = login("chair").get(reverse("congress:term-slate", args=[term.pk])).content.decode()
    for code in (
        "size_min",
        "size_provincial",
        "managers_max",
        "frontline_min",
        "women_share",
        "dispatched_share",
        "attending_max",
        "term_length",
    ):
        assert f'data-check="{code}"' in html
    assert "《企业民主管理规定》第十八条" in html
    assert "省级职代会条例（可配置）" in html
    # The demo union has 6 members: 33 representatives meet "at least 30".
    assert re.search(r'data-check="size_min" data-status="ok"', html)
    # No woman among the 33 representatives while the workforce has women: a warning.
    assert re.search(r'data-check="women_share" data-status="warn"', html)


def test_representatives_page_add_and_end(login, setup, personas):
    chair, term, rep1, others, session = setup
    c = login("chair")
    url = reverse("congress:rep-list", args=[term.pk])
    assert "赵卫东" in c.get(url).content.decode()
    added = c.post(url, {"employee_no": "E0103", "kind": "voting", "is_frontline": "on"})
    assert added.status_code == 302
    worker1 = personas["worker1"]
    rep = q.my_representations(worker1).get()
    assert rep.is_frontline and rep.unit == worker1.member_record.org_unit
    assert "representative" in {a.role for a in worker1.role_assignments.all()}
    again = c.post(url, {"employee_no": "E0103", "kind": "voting"})
    assert again.status_code == 400
    assert "已经是本届职工代表" in again.content.decode()
    both = c.post(
        url, {"employee_no": "E0202", "kind": "voting", "is_manager": "on", "is_frontline": "on"}
    )
    assert "中层及以上管理人员不计为一线职工" in both.content.decode()

    ended = c.post(reverse("congress:rep-end", args=[rep.pk]), {"reason": "调离"})
    assert ended.status_code == 302
    rep.refresh_from_db()
    assert not rep.active
    assert "representative" not in {a.role for a in worker1.role_assignments.all()}


def test_desk_scan_roll_call_count_and_hall_code(login, setup):
    chair, term, rep1, others, session = setup
    c = login("chair")
    actions.do_start_checkin(actor=chair, session=session)
    desk = reverse("congress:checkin-desk", args=[session.pk])
    assert c.get(desk).status_code == 200
    scanned = c.post(desk, {"code": q.checkin_code(rep1)})
    assert "签到成功" in scanned.content.decode()
    twice = c.post(desk, {"code": q.checkin_code(rep1)}, headers={"HX-Request": "true"})
    assert twice.status_code == 200 and "已经签到过了" in twice.content.decode()
    bad = c.post(desk, {"code": "ZJDB.1.x:forged"}, headers={"HX-Request": "true"})
    assert "签到码无效" in bad.content.decode()

    mark = reverse("congress:checkin-rollcall-mark", args=[session.pk, others[0].pk])
    row = c.post(mark, {"present": "1"}, headers={"HX-Request": "true"})
    assert row.status_code == 200 and 'aria-pressed="true"' in row.content.decode()
    assert "已到" in c.get(reverse("congress:checkin-rollcall", args=[session.pk])).content.decode()

    count = c.get(reverse("congress:session-count", args=[session.pk])).content.decode()
    assert 'data-present="2"' in count and 'hx-trigger="every 3s"' in count

    hall = c.get(reverse("congress:checkin-hall-code", args=[session.pk])).content.decode()
    assert "<svg" in hall and session.hall_token in hall


def test_representative_phone_pages_and_self_checkin(login, setup):
    chair, term, rep1, others, session = setup
    c = login("rep1")
    mine = c.get(reverse("congress:my-sessions")).content.decode()
    assert str(session) in mine
    qr = c.get(reverse("congress:my-qr", args=[rep1.pk]))
    assert qr.status_code == 200 and "<svg" in qr.content.decode()
    assert q.checkin_code(rep1) in qr.content.decode()
    assert qr["Cache-Control"].startswith("max-age=0")
    # Someone else's QR page: 404.
    assert c.get(reverse("congress:my-qr", args=[others[0].pk])).status_code == 404

    hall_url = reverse("congress:hall-checkin", args=[session.pk, session.hall_token])
    # Before check-in has started the hall code refuses.
    early = c.post(hall_url)
    assert early.status_code == 400 and "尚未开始签到" in early.content.decode()
    actions.do_start_checkin(actor=chair, session=session)
    assert "确认签到" in c.get(hall_url).content.decode()
    done = c.post(hall_url)
    assert done.status_code == 200 and "签到成功" in done.content.decode()
    assert Attendance.objects.filter(session=session).get().representative == rep1
    # A wrong hall token is refused.
    wrong = c.post(reverse("congress:hall-checkin", args=[session.pk, "nope"]))
    assert wrong.status_code == 404
    # Anonymous: sent to the login page first.
    from django.test import Client

    assert Client().get(hall_url).status_code == 302

    page = c.get(reverse("congress:my-session", args=[session.pk])).content.decode()
    assert "您已于" in page


def test_non_representative_scanning_the_hall_code(login, setup):
    chair, term, rep1, others, session = setup
    actions.do_start_checkin(actor=chair, session=session)
    url = reverse("congress:hall-checkin", args=[session.pk, session.hall_token])
    answer = login("worker1").post(url)
    assert answer.status_code == 400
    assert "不是本届职工代表" in answer.content.decode()
    assert not Attendance.objects.exists()


def _run_vote(chair, session, reps, item, choices):
    poll = open_online_vote(chair, item)
    voters = iter(reps)
    for choice, n in choices.items():
        for _ in range(n):
            cast(next(voters).member.user, poll, choice)
    close_online_vote(chair, item)


def test_session_flow_through_pages_results_and_pdfs(login, setup):
    chair, term, rep1, others, session = setup
    c = login("chair")
    detail = reverse("congress:session-detail", args=[session.pk])
    added = c.post(
        reverse("congress:item-add", args=[session.pk]),
        {"title": "关于食堂改造的决议", "kind": "motion"},
    )
    assert added.status_code == 302
    bad = c.post(
        reverse("congress:item-add", args=[session.pk]),
        {"title": "增补委员", "kind": "election", "candidates": "甲\n乙", "seats": "3"},
    )
    assert bad.status_code == 400 and "应选人数应在 1 到 2 之间" in bad.content.decode()
    c.post(
        reverse("congress:item-add", args=[session.pk]),
        {
            "title": "增补工会委员",
            "kind": "election",
            "candidates": "张三\n李四\n王五",
            "seats": "2",
        },
    )
    motion, election = list(q.items_of(session))
    transition = "congress:session-transition"
    assert c.post(reverse(transition, args=[session.pk, "start-checkin"])).status_code == 302
    # Opening without quorum: refused with the figures on the page, answered with the
    # refusal's status (not a redirect), and the session stays in check-in.
    refused = c.post(reverse(transition, args=[session.pk, "open"]))
    assert refused.status_code >= 400
    assert "不足全体代表" in refused.content.decode()
    session.refresh_from_db()
    assert session.state == Session.State.CHECKIN
    assert c.get(detail).status_code == 200
    reps = [rep1, *others]  # 33 representatives: 22 make the quorum
    for rep in reps[:22]:
        actions.do_roll_call(actor=chair, session=session, rep=rep, present=True)
    c.post(reverse(transition, args=[session.pk, "open"]))
    session.refresh_from_db()
    assert session.state == Session.State.OPEN

    _run_vote(chair, session, reps, motion, {("yes",): 17, ("no",): 5})
    _run_vote(chair, session, reps, election, {("1", "2"): 17, ("2", "3"): 5})

    results = c.get(reverse("congress:session-results", args=[session.pk])).content.decode()
    assert 'data-passed="1"' in results
    # 李四 22 and 张三 17 votes: both more than half of all 33 representatives (17 needed).
    assert "当选：</strong>李四、张三" in results

    sheet = c.get(reverse("congress:session-results-print", args=[session.pk]))
    assert sheet.status_code == 200 and "表决结果汇总表" in sheet.content.decode()
    pdf = c.get(reverse("congress:session-results-pdf", args=[session.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    fonts = _pdf_fonts(pdf.content)
    assert any("WenQuanYi" in f or "CJK" in f for f in fonts), fonts
    assert _pdf_has_text(pdf.content, "表决结果汇总表")

    res = c.get(reverse("congress:item-resolution-pdf", args=[motion.pk]))
    assert res.status_code == 200 and res.content.startswith(b"%PDF")
    assert _pdf_has_text(res.content, "决定通过")
    # An election item has no resolution text.
    assert c.get(reverse("congress:item-resolution", args=[election.pk])).status_code == 404


def test_results_refused_while_the_vote_is_open(login, setup):
    chair, term, rep1, others, session = setup
    item = actions_agenda.do_add_item(actor=chair, session=session, title="关于食堂改造的决议")
    actions.do_start_checkin(actor=chair, session=session)
    for rep in [rep1, *others][:22]:
        actions.do_roll_call(actor=chair, session=session, rep=rep, present=True)
    actions.do_open_session(actor=chair, session=session)
    poll = open_online_vote(chair, item)
    cast(rep1.member.user, poll, ["yes"])
    c = login("chair")
    page = c.get(reverse("congress:session-results", args=[session.pk])).content.decode()
    assert "结束前不公布任何结果" in page
    assert "data-passed" not in page
    assert c.get(reverse("congress:item-resolution-pdf", args=[item.pk])).status_code == 409
    # rep1 sees the item as voted on the phone, with no result.
    mine = login("rep1").get(reverse("congress:my-session", args=[session.pk])).content.decode()
    assert "已投票" in mine


def _pdf_streams(data: bytes):
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            yield zlib.decompress(m.group(1))
        except zlib.error:
            continue


def _pdf_fonts(data: bytes) -> list[str]:
    names = re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", data)
    for stream in _pdf_streams(data):
        names += re.findall(rb"/BaseFont\s*/([^\s/<>\[\]]+)", stream)
    return [n.decode("latin-1") for n in names]


def _pdf_has_text(data: bytes, text: str) -> bool:
    """Every character of `text` is mapped by a ToUnicode CMap of the PDF's embedded fonts."""
    mapped = set()
    for stream in _pdf_streams(data):
        if b"beginbfchar" in stream or b"beginbfrange" in stream:
            for hexcode in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,8})>", stream):
                try:
                    mapped.add(bytes.fromhex(hexcode.decode()).decode("utf-16-be"))
                except (ValueError, UnicodeDecodeError):
                    continue
    return all(ch in mapped for ch in text)


def test_my_session_page_for_non_representative_is_404(login, setup):
    chair, term, rep1, others, session = setup
    assert (
        login("worker2").get(reverse("congress:my-session", args=[session.pk])).status_code == 404
    )
    assert AgendaItem.objects.count() == 0
