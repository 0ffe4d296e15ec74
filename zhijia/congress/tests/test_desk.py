"""The congress desk on session day: roll call search, "all present except", the count of
present representatives who cannot vote online asked before an online vote, the switch to a
hall (paper) vote, and the live count of ballots cast (never a tally)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import desk as actions_desk
from zhijia.congress.actions import sessions as actions
from zhijia.congress.actions.sessions import BadInput, StateError
from zhijia.congress.models import AgendaItem, Attendance, Representative, Session
from zhijia.congress.queries import desk as dq
from zhijia.congress.tests.factory_sessions import (
    cast,
    make_members,
    make_term,
    open_online_vote,
    prepare_online_vote,
    seat,
)
from zhijia.core.models import AuditEvent
from zhijia.voting.models import Poll

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(personas, demo_units):
    """A term of U: rep1, 20 representatives with accounts, 2 without one, 1 whose account is
    switched off, 2 whose accounts were never activated, 1 attending representative and 1
    whose seat ended; a session in check-in."""
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    rep1 = actions.do_add_representative(
        actor=chair, term=term, member=personas["rep1"].member_record, is_frontline=True
    )
    unit = demo_units["B2-G1"]
    online = seat(chair, term, make_members(unit, 20, prefix="dsk"), is_frontline=True)
    no_account = seat(
        chair, term, make_members(unit, 2, prefix="dna", with_accounts=False), is_frontline=True
    )
    disabled = seat(chair, term, make_members(unit, 1, prefix="dds"), is_frontline=True)
    get_user_model().objects.filter(username__startswith="dds-").update(is_active=False)
    inactive = seat(chair, term, make_members(unit, 2, prefix="dnv"), is_frontline=True)
    for user in get_user_model().objects.filter(username__startswith="dnv-"):
        user.set_unusable_password()
        user.save(update_fields=["password"])
    attending = seat(chair, term, make_members(unit, 1, prefix="dat"), kind="attending")
    ended = seat(chair, term, make_members(unit, 1, prefix="den"), is_frontline=True)[0]
    actions.do_end_representative(actor=chair, rep=ended, reason="调离")
    session = actions.do_schedule_session(
        actor=chair, term=term, date=dt.date(2025, 3, 20), place="大礼堂"
    )
    actions.do_start_checkin(actor=chair, session=session)
    return {
        "chair": chair,
        "term": term,
        "session": session,
        "rep1": rep1,
        "online": online,
        "no_account": no_account,
        "disabled": disabled,
        "inactive": inactive,
        "attending": attending,
        "ended": ended,
    }


def _present_ids(session) -> set[int]:
    return set(
        Attendance.objects.filter(session=session).values_list("representative_id", flat=True)
    )


# --- all present except ----------------------------------------------------------------------


def test_all_present_except_marks_exactly_the_others(desk):
    chair, session = desk["chair"], desk["session"]
    scanned = desk["online"][0]
    actions.do_roll_call(actor=chair, session=session, rep=scanned, present=True)
    absent = [desk["online"][1], desk["no_account"][0]]
    # An exception who had already checked in stays present: the action only adds.
    marked = actions_desk.do_mark_all_present_except(
        actor=chair, session=session, except_ids=[r.pk for r in absent] + [scanned.pk]
    )
    active = set(
        Representative.objects.filter(term=desk["term"], active=True).values_list("pk", flat=True)
    )
    expected = active - {r.pk for r in absent}
    assert _present_ids(session) == expected
    assert set(marked) == expected - {scanned.pk}
    assert desk["ended"].pk not in _present_ids(session)
    assert desk["attending"][0].pk in _present_ids(session)  # every representative
    methods = dict(
        Attendance.objects.filter(session=session).values_list("representative_id", "method")
    )
    assert {methods[pk] for pk in marked} == {Attendance.Method.ROLL_CALL}
    event = AuditEvent.objects.get(action="congress.mark_all_present_except")
    assert sorted(event.data["marked"]) == sorted(marked)
    assert event.data["except"] == sorted([r.pk for r in absent] + [scanned.pk])

    # Idempotent: a second run marks nobody and changes nothing.
    again = actions_desk.do_mark_all_present_except(
        actor=chair, session=session, except_ids=[r.pk for r in absent]
    )
    assert again == []
    assert _present_ids(session) == expected


@pytest.mark.parametrize("state", ["planned", "open", "closed"])
def test_all_present_except_refused_outside_checkin(desk, state):
    chair, session = desk["chair"], desk["session"]
    Session.objects.filter(pk=session.pk).update(state=state)
    session.refresh_from_db()
    with pytest.raises(StateError) as refused:
        actions_desk.do_mark_all_present_except(actor=chair, session=session, except_ids=[])
    assert refused.value.status == 409
    assert "只有签到中的会议可以一键点名" in refused.value.message
    assert _present_ids(session) == set()
    assert not AuditEvent.objects.filter(action="congress.mark_all_present_except").exists()


def test_all_present_except_refuses_a_stranger_and_an_ended_seat(desk, personas, demo_units):
    chair, session = desk["chair"], desk["session"]
    other_term = make_term(chair, demo_units["B1"])
    stranger = seat(chair, other_term, make_members(demo_units["B1"], 1, prefix="dst"))[0]
    for wrong in (stranger, desk["ended"]):
        with pytest.raises(BadInput):
            actions_desk.do_mark_all_present_except(
                actor=chair, session=session, except_ids=[wrong.pk]
            )
    assert _present_ids(session) == set()


def test_all_present_page(login, desk):
    session = desk["session"]
    c = login("chair")
    url = reverse("congress:checkin-all-present", args=[session.pk])
    page = c.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('name="absent"') == 27  # the active representatives, none checked in
    assert "data-confirm=" in html
    assert desk["ended"].member.name not in html
    absent = desk["online"][2]
    done = c.post(url, {"absent": [str(absent.pk)]})
    assert done.status_code == 302
    assert absent.pk not in _present_ids(session)
    assert len(_present_ids(session)) == 26
    # nothing left to tick but the one absent
    assert c.get(url).content.decode().count('name="absent"') == 1

    Session.objects.filter(pk=session.pk).update(state=Session.State.CLOSED)
    refused = c.post(url, {"absent": []})
    assert refused.status_code == 409
    assert "只有签到中的会议可以一键点名" in refused.content.decode()
    # branch1 runs no congress of the committee: the session is not revealed
    assert login("branch1").post(url, {}).status_code == 404


# --- roll call search ------------------------------------------------------------------------


def test_rollcall_search_filters_by_name_number_and_pinyin(login, desk):
    session = desk["session"]
    c = login("chair")
    url = reverse("congress:checkin-rollcall", args=[session.pk])
    everyone = c.get(url).content.decode()
    assert everyone.count('id="rep-') == 27

    target = desk["online"][3].member  # 代表dsk3, 工号 DSK00003
    by_number = c.get(url, {"q": target.employee_no.lower()}).content.decode()
    assert by_number.count('id="rep-') == 1 and target.name in by_number
    by_prefix = c.get(url, {"q": "DSK0001"}).content.decode()  # DSK00010 .. DSK00019
    assert by_prefix.count('id="rep-') == 10
    by_name = c.get(url, {"q": "代表dna"}).content.decode()
    assert by_name.count('id="rep-') == 2
    rep1 = desk["rep1"].member
    if rep1.name_pinyin:
        by_pinyin = c.get(url, {"q": rep1.name_pinyin[:4]}).content.decode()
        assert rep1.name in by_pinyin
    nobody = c.get(url, {"q": "没有这个人"}).content.decode()
    assert 'id="rep-' not in nobody and "没有姓名、工号或拼音与" in nobody

    # typed (htmx): only the table's body comes back
    partial = c.get(url, {"q": "代表dna"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith("<tbody") and "<html" not in partial
    assert partial.count('id="rep-') == 2
    # the query by itself agrees with the page
    assert dq.roll_call(session, "代表dna").count() == 2


# --- before an online vote ------------------------------------------------------------------


def _open_session(desk) -> Session:
    chair, session = desk["chair"], desk["session"]
    actions_desk.do_mark_all_present_except(actor=chair, session=session, except_ids=[])
    actions.do_open_session(actor=chair, session=session)
    return session


def _independent_offline(session) -> int:
    """Present voting representatives who cannot sign in to vote, counted one by one."""
    n = 0
    for attendance in Attendance.objects.filter(session=session).select_related(
        "representative__member__user"
    ):
        rep = attendance.representative
        if not rep.active or rep.kind != Representative.Kind.VOTING:
            continue
        user = rep.member.user
        if user is None or not user.is_active or not user.has_usable_password():
            n += 1
    return n


def test_open_vote_asks_with_the_count_of_those_who_cannot_vote_online(login, desk):
    session = _open_session(desk)
    chair = desk["chair"]
    item = actions_agenda.do_add_item(actor=chair, session=session, title="关于食堂改造的决议")
    readiness = dq.online_readiness(session)
    offline = _independent_offline(session)
    assert offline == 5  # 2 without an account, 1 switched off, 2 never activated
    assert readiness.offline == offline
    assert (readiness.no_account, readiness.disabled, readiness.not_activated) == (2, 1, 2)
    assert readiness.present == 26 and readiness.online == 21

    html = login("chair").get(reverse("congress:session-detail", args=[session.pk]))
    html = html.content.decode()
    assert f'data-offline="{offline}"' in html
    open_url = reverse("congress:item-action", args=[item.pk, "open"])
    paper_url = reverse("congress:item-open-paper", args=[item.pk])
    # Online votes are encrypted to the scrutineers: none yet, so paper only for now.
    assert f'action="{open_url}"' not in html and f'action="{paper_url}"' in html
    assert "data-needs-scrutineers" in html
    prepare_online_vote(chair, item)
    html = login("chair").get(reverse("congress:session-detail", args=[session.pk]))
    html = html.content.decode()
    assert f'action="{open_url}"' in html
    assert f"已签到的 26 名正式代表中有 {offline} 人不能在手机上投票" in html
    assert "data-confirm=" in html[html.index(f'action="{open_url}"') :].split(">")[0]


def test_open_vote_without_offline_representatives_still_confirms(login, desk):
    chair, session = desk["chair"], desk["session"]
    keep_out = [*desk["no_account"], *desk["disabled"], *desk["inactive"]]
    actions_desk.do_mark_all_present_except(
        actor=chair, session=session, except_ids=[r.pk for r in keep_out]
    )
    actions.do_open_session(actor=chair, session=session)
    item = actions_agenda.do_add_item(actor=chair, session=session, title="关于休假的决议")
    assert dq.online_readiness(session).offline == _independent_offline(session) == 0
    prepare_online_vote(chair, item)
    html = login("chair").get(reverse("congress:session-detail", args=[session.pk]))
    html = html.content.decode()
    assert "data-offline=" not in html
    assert reverse("congress:item-open-paper", args=[item.pk]) not in html
    assert "已签到的 21 名正式代表将在手机上投票，选票在手机上加密" in html
    assert 'action="{}"'.format(reverse("congress:item-action", args=[item.pk, "open"])) in html


def test_switch_to_a_hall_vote_and_open_it(login, desk):
    session = _open_session(desk)
    item = actions_agenda.do_add_item(actor=desk["chair"], session=session, title="关于食堂的决议")
    c = login("chair")
    done = c.post(reverse("congress:item-open-paper", args=[item.pk]))
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.is_paper and item.poll is not None
    assert item.poll.is_paper and item.poll.state == Poll.State.OPEN
    assert item.poll.eligible_count == 26
    assert AuditEvent.objects.filter(action="congress.switch_item_to_paper").count() == 1
    # once voted, the switch is refused and nothing moves
    again = c.post(reverse("congress:item-open-paper", args=[item.pk]))
    assert again.status_code == 409 and "该议程已经表决过" in again.content.decode()


def test_switch_to_paper_refused_before_the_session_opens(login, desk):
    session = desk["session"]
    item = actions_agenda.do_add_item(actor=desk["chair"], session=session, title="关于食堂的决议")
    refused = login("chair").post(reverse("congress:item-open-paper", args=[item.pk]))
    assert refused.status_code >= 400
    item.refresh_from_db()
    assert not item.is_paper and item.poll is None  # the switch rolled back with the refusal


# --- the live count -------------------------------------------------------------------------


def test_live_count_shows_cast_against_present_never_a_tally(login, desk):
    session = _open_session(desk)
    chair = desk["chair"]
    item = actions_agenda.do_add_item(actor=chair, session=session, title="关于食堂改造的决议")
    poll = open_online_vote(chair, item)
    voters = [desk["rep1"], *desk["online"][:4]]
    for rep, choice in zip(voters, ["yes", "yes", "yes", "no", "abstain"], strict=True):
        cast(rep.member.user, poll, [choice])

    c = login("chair")
    url = reverse("congress:session-live", args=[session.pk])
    fragment = c.get(url)
    assert fragment.status_code == 200 and fragment["Cache-Control"] == "no-store"
    html = fragment.content.decode()
    assert 'data-cast="5"' in html
    # against the 26 present (who take part), 23 of them on the roll (active accounts)
    assert "/ 26 名出席代表已投票" in html and "其中 23 人可以在手机上投票" in html
    assert "还有 18 人未投票" in html
    assert 'hx-trigger="every 4s"' in html
    for word in ("赞成", "反对", "弃权", "yes", "abstain"):
        assert word not in html
    assert ">3<" not in html  # the yes count appears nowhere
    # the session's page carries the same fragment
    detail = c.get(reverse("congress:session-detail", args=[session.pk])).content.decode()
    assert 'id="live-count"' in detail and 'data-cast="5"' in detail

    actions_agenda.do_close_item_vote(actor=chair, item=item)
    closed = c.get(url).content.decode()
    assert "data-cast" not in closed  # no open vote, no count
    # outside the chair's desk: not revealed; a representative has no desk
    assert login("branch2").get(url).status_code == 404
    assert login("rep1").get(url).status_code == 404
    assert AgendaItem.objects.get(pk=item.pk).poll_id == poll.pk


# --- the API (the mini-program's desk) --------------------------------------------------------

API = "/api/v1/congress"


def test_desk_through_the_api(api_client, desk):
    import json

    session = desk["session"]
    chair = api_client("chair")

    def post(url, data=None):
        return chair.post(url, data=json.dumps(data or {}), content_type="application/json")

    absent = desk["online"][5]
    done = post(f"{API}/sessions/{session.pk}/roll-call/all-present", {"absent": [absent.pk]})
    assert done.status_code == 200, done.content
    body = done.json()
    assert len(body["marked"]) == 26 and absent.pk not in body["marked"]
    assert body["quorum"]["present"] == 25  # voting representatives only
    again = post(f"{API}/sessions/{session.pk}/roll-call/all-present", {"absent": [absent.pk]})
    assert again.status_code == 200 and again.json()["marked"] == []

    readiness = chair.get(f"{API}/sessions/{session.pk}/vote-readiness").json()
    assert readiness["offline"] == _independent_offline(session) == 5
    assert readiness["present"] == 25 and readiness["online"] == 20

    actions.do_open_session(actor=desk["chair"], session=session)
    refused = post(f"{API}/sessions/{session.pk}/roll-call/all-present")
    assert refused.status_code == 409 and "detail" in refused.json()

    item = actions_agenda.do_add_item(actor=desk["chair"], session=session, title="关于食堂的决议")
    opened = post(f"{API}/items/{item.pk}/open-paper")
    assert opened.status_code == 200 and opened.json()["is_paper"] is True
    live = chair.get(f"{API}/sessions/{session.pk}/live").json()
    assert live["session_id"] == session.pk
    assert live["votes"] == [
        {
            "item_id": item.pk,
            "title": "关于食堂的决议",
            "paper": True,
            "cast": 0,
            "present": 25,
            "roll": 22,  # active accounts, the 2 never activated included (they may activate)
        }
    ]
