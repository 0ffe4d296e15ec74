"""Pure rules of competitions (no database): aggregation, ranking with the declared tie rules,
advancing, awards, finalising."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhijia.services import competition_rules as rules
from zhijia.services.competition_rules import EntryScores

T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)


def _ranks(ranked) -> list[tuple[int, int]]:
    return [(r.entry_id, r.rank) for r in ranked]


def test_item_score_is_the_judges_mean_dropping_extremes_from_five_judges():
    assert rules.item_score([D(80), D(90)]) == D("85.000")
    assert rules.item_score([]) is None
    # four judges: nothing dropped even when asked
    assert rules.item_score([D(60), D(80), D(90), D(100)], drop_extremes=True) == D("82.500")
    # five judges: the 100 and the 50 are dropped -> mean of 80, 85, 90
    five = [D(100), D(80), D(85), D(90), D(50)]
    assert rules.item_score(five, drop_extremes=True) == D("85.000")
    assert rules.item_score(five, drop_extremes=False) == D("81.000")


def test_weighted_total_and_weights_adding_up_to_100():
    assert rules.weighted_total([D(80), D(90)], [D(60), D(40)]) == D("84.000")
    assert rules.weighted_total([D(80), None], [D(60), D(40)]) == D("48.000")
    rules.check_weights([D(60), D(40)])
    with pytest.raises(rules.RuleError):
        rules.check_weights([D(60), D(30)])
    with pytest.raises(rules.RuleError):
        rules.check_weights([])


def test_default_tie_rules_total_then_first_item_then_finish_then_shared_rank():
    entries = [
        EntryScores(1, D(90), (D(80), D(95)), T0 + dt.timedelta(minutes=30)),
        EntryScores(2, D(95), (D(70), D(99)), None),
        # 3 and 4 tie on the total; 4 is higher on the first item
        EntryScores(3, D(90), (D(75), D(99)), T0),
        EntryScores(4, D(90), (D(80), D(95)), T0 + dt.timedelta(minutes=40)),
        # 5 ties with 1 on total and first item; 1 finished earlier
        EntryScores(5, D(90), (D(80), D(95)), T0 + dt.timedelta(minutes=50)),
        # 6 and 7 tie on everything: they share the rank, the next rank skips
        EntryScores(6, D(60), (D(60), D(60)), T0),
        EntryScores(7, D(60), (D(60), D(60)), T0),
        EntryScores(8, D(50), (D(50), D(50)), None),
    ]
    ranked = rules.rank(entries)
    assert _ranks(ranked) == [(2, 1), (1, 2), (4, 3), (5, 4), (3, 5), (6, 6), (7, 6), (8, 8)]
    by_id = {r.entry_id: r for r in ranked}
    assert by_id[4].decided_by == "finish" and by_id[3].decided_by == "first_item"
    assert by_id[6].tied and by_id[7].tied and not by_id[8].tied


def test_declared_rules_change_the_order_and_total_always_comes_first():
    a = EntryScores(1, D(90), (D(70), D(99)), T0)
    b = EntryScores(2, D(90), (D(80), D(90)), T0 + dt.timedelta(minutes=5))
    # finish time alone: a finished first
    assert _ranks(rules.rank([a, b], ["finish"])) == [(1, 1), (2, 2)]
    # the first item first: b
    assert _ranks(rules.rank([a, b], ["first_item", "finish"])) == [(2, 1), (1, 2)]
    # total only: a shared first place
    assert _ranks(rules.rank([a, b], ["total"])) == [(1, 1), (2, 1)]
    assert rules.check_tie_rules(["finish", "total", "finish"]) == ("total", "finish")
    with pytest.raises(rules.RuleError):
        rules.check_tie_rules(["coin"])
    # a higher total always wins, whatever the tie rules say
    c = EntryScores(3, D(91), (D(10), D(10)), None)
    assert rules.rank([a, b, c], ["first_item"])[0].entry_id == 3


def test_items_rule_compares_every_item_in_turn():
    a = EntryScores(1, D(80), (D(80), D(70), D(90)))
    b = EntryScores(2, D(80), (D(80), D(75), D(85)))
    assert _ranks(rules.rank([a, b], ["items"])) == [(2, 1), (1, 2)]


def test_advancing_by_cut_off_keeps_ties_at_the_cut_off_and_by_minimum_total():
    ranked = rules.rank(
        [
            EntryScores(1, D(90)),
            EntryScores(2, D(80)),
            EntryScores(3, D(80)),
            EntryScores(4, D(70)),
        ],
        ["total"],
    )
    assert rules.advancing(ranked, count=2) == {1, 2, 3}
    assert rules.advancing(ranked, count=1) == {1}
    assert rules.advancing(ranked, min_total=D(80)) == {1, 2, 3}
    assert rules.advancing(ranked) == {1, 2, 3, 4}


def test_awards_prizes_places_ties_and_title():
    ranked = rules.rank(
        [EntryScores(i, D(100 - i)) for i in range(1, 6)] + [EntryScores(9, D(97))], ["total"]
    )
    # ranks: 1:1, 2:2, 3:3, 9:3 (tied), 4:5, 5:6
    awarded = rules.awards(ranked, first=1, second=1, third=2, title="技术能手", title_count=3)
    given = {a.entry_id: a for a in awarded}
    assert given[1].award == rules.FIRST and given[1].title == "技术能手"
    assert given[2].award == rules.SECOND
    assert given[3].award == rules.THIRD and given[9].award == rules.THIRD
    assert given[9].title == "技术能手" and given[4].title == ""
    # the tie took both third prizes: rank 5 is beyond the prizes
    assert given[4].award == "第5名" and given[5].award == "第6名"
    # the honours registry gets the prizes and the titles, not the places beyond the prizes
    assert rules.honours_of(awarded) == [
        (1, "place", rules.FIRST),
        (1, "title", "技术能手"),
        (2, "place", rules.SECOND),
        (2, "title", "技术能手"),
        (3, "place", rules.THIRD),
        (3, "title", "技术能手"),
        (9, "place", rules.THIRD),
        (9, "title", "技术能手"),
    ]


def test_may_finalise_after_the_period_with_every_objection_answered():
    day = dt.date(2026, 5, 8)
    assert rules.may_finalise(day, day, 0) == "period"
    assert rules.may_finalise(day, None, 0) == "period"
    assert rules.may_finalise(day + dt.timedelta(days=1), day, 1) == "objections"
    assert rules.may_finalise(day + dt.timedelta(days=1), day, 0) == ""
