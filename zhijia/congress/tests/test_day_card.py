"""The representative's congress-day card on the member home (congress.home.day_panel)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from zhijia.congress.actions import agenda as actions_agenda
from zhijia.congress.actions import sessions as actions
from zhijia.congress.tests.factory_sessions import (
    cast,
    make_members,
    make_term,
    open_online_vote,
    seat,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today_session(personas, demo_units):
    chair = personas["chair"]
    term = make_term(chair, demo_units["U"])
    rep1 = actions.do_add_representative(
        actor=chair, term=term, member=personas["rep1"].member_record, is_frontline=True
    )
    others = seat(chair, term, make_members(demo_units["B2-G1"], 32), is_frontline=True)
    session = actions.do_schedule_session(
        actor=chair, term=term, date=timezone.localdate(), place="大礼堂"
    )
    return chair, rep1, others, session


def _card(client) -> str:
    html = client.get(reverse("home")).content.decode()
    start = html.find('class="card congress-day"')
    return "" if start < 0 else html[start : html.index("</div>", start)]


def test_day_card_check_in_vote_now_and_tracker(login, today_session):
    chair, rep1, others, session = today_session
    c = login("rep1")
    card = _card(c)
    assert f"今天：{session}" in card
    assert "签到尚未开始" in card
    assert reverse("congress:my-session", args=[session.pk]) in card
    assert reverse("congress:proposal-mine") in card

    actions.do_start_checkin(actor=chair, session=session)
    assert reverse("congress:my-qr", args=[rep1.pk]) in _card(c)

    item = actions_agenda.do_add_item(actor=chair, session=session, title="关于食堂改造的决议")
    for rep in [rep1, *others][:22]:
        actions.do_roll_call(actor=chair, session=session, rep=rep, present=True)
    actions.do_open_session(actor=chair, session=session)
    poll = open_online_vote(chair, item)
    card = _card(c)
    assert "您已于" in card
    assert "现在投票：关于食堂改造的决议" in card
    assert reverse("voting:poll-detail", args=[poll.pk]) in card
    # Voted: the button goes.
    cast(rep1.member.user, poll, ["yes"])
    assert "现在投票" not in _card(c)
    # Every link of the card opens for rep1.
    import re

    for url in re.findall(r'href="([^"]+)"', _card(c)):
        assert c.get(url).status_code == 200, url


def test_no_card_on_other_days_or_for_non_representatives(login, today_session):
    chair, rep1, others, session = today_session
    assert _card(login("worker1")) == ""
    session.date = timezone.localdate() - timezone.timedelta(days=1)
    session.save(update_fields=["date"])
    assert _card(login("rep1")) == ""
