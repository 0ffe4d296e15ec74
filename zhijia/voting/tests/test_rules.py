"""The voting core in pure Python: no database, no Django."""

from __future__ import annotations

import random
import re
import sys

import pytest

from zhijia.voting import rules
from zhijia.voting.rules import (
    ABSTAIN,
    APPROVAL,
    NO,
    YES,
    YES_NO_ABSTAIN,
    YNA_OPTIONS,
    InvalidChoice,
    InvalidPaperResult,
)

CANDIDATES = ("1", "2", "3", "4", "5")


def test_rules_import_no_django():
    # Run in a fresh interpreter: importing rules must not pull in Django.
    import subprocess

    code = "import sys, zhijia.voting.rules; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_passes_is_more_than_half_of_all_eligible():
    assert rules.passes(61, 120)
    assert not rules.passes(60, 120)  # exactly half is not more than half
    assert rules.passes(51, 101)
    assert not rules.passes(50, 101)
    assert rules.majority_threshold(120) == 61
    assert rules.majority_threshold(101) == 51


def test_yes_no_abstain_tally_and_outcome():
    choices = [(YES,)] * 61 + [(NO,)] * 20 + [(ABSTAIN,)] * 5
    t = rules.tally(YES_NO_ABSTAIN, choices, options=YNA_OPTIONS, seats=1)
    assert t.ballots == 86
    assert t.counts == {YES: 61, NO: 20, ABSTAIN: 5}
    outcome = rules.motion_outcome(t, base=120)
    assert outcome.passed and outcome.threshold == 61
    # 60 of 120 present and voting yes unanimously still fails: the base is all eligible.
    t60 = rules.tally(YES_NO_ABSTAIN, [(YES,)] * 60, options=YNA_OPTIONS, seats=1)
    assert not rules.motion_outcome(t60, base=120).passed


def test_yes_no_tie_is_reported():
    t = rules.tally(YES_NO_ABSTAIN, [(YES,), (NO,)], options=YNA_OPTIONS, seats=1)
    outcome = rules.motion_outcome(t, base=2)
    assert outcome.yes_no_tie and not outcome.passed
    assert rules.tied_groups(t) == [(YES, NO)]


@pytest.mark.parametrize(
    ("selected", "code"),
    [
        ((), "one_required"),
        ((YES, NO), "one_required"),
        (("maybe",), "unknown"),
        ((YES, YES), "duplicate"),
    ],
)
def test_yes_no_abstain_invalid_choices(selected, code):
    with pytest.raises(InvalidChoice) as exc:
        rules.validate_choice(YES_NO_ABSTAIN, selected, options=YNA_OPTIONS, seats=1)
    assert exc.value.code == code
    assert re.search(r"[\u4e00-\u9fff]", str(exc.value))  # explained in Chinese


def test_approval_validation_at_most_k_no_duplicates_known_candidates():
    ok = rules.validate_choice(APPROVAL, ["3", "1"], options=CANDIDATES, seats=2)
    assert ok == ("1", "3")  # canonical: option order
    assert rules.validate_choice(APPROVAL, [], options=CANDIDATES, seats=2) == ()  # blank
    with pytest.raises(InvalidChoice) as too_many:
        rules.validate_choice(APPROVAL, ["1", "2", "3"], options=CANDIDATES, seats=2)
    assert too_many.value.code == "too_many"
    with pytest.raises(InvalidChoice) as dup:
        rules.validate_choice(APPROVAL, ["1", "1"], options=CANDIDATES, seats=2)
    assert dup.value.code == "duplicate"
    with pytest.raises(InvalidChoice) as unknown:
        rules.validate_choice(APPROVAL, ["9"], options=CANDIDATES, seats=2)
    assert unknown.value.code == "unknown"


def test_encode_decode_roundtrip():
    for choice in [(), ("1",), ("1", "4", "5"), (YES,)]:
        assert rules.decode_choice(rules.encode_choice(choice)) == choice
    assert rules.encode_choice(()) == ""


def test_recount_from_published_list_equals_tally():
    rng = random.Random(7)
    choices = []
    for _ in range(500):
        k = rng.randint(0, 2)
        choices.append(
            rules.validate_choice(APPROVAL, rng.sample(CANDIDATES, k), options=CANDIDATES, seats=2)
        )
    direct = rules.tally(APPROVAL, choices, options=CANDIDATES, seats=2)
    published = sorted(rules.encode_choice(c) for c in choices)
    assert rules.recount(APPROVAL, published, options=CANDIDATES, seats=2) == direct
    assert direct.blank == sum(1 for c in choices if not c)


def test_recount_rejects_a_tampered_list():
    with pytest.raises(InvalidChoice):
        rules.recount(APPROVAL, ["1+2+3"], options=CANDIDATES, seats=2)
    with pytest.raises(InvalidChoice):
        rules.recount(APPROVAL, ["1+1"], options=CANDIDATES, seats=2)


def _approval(counts: dict[str, int], seats: int) -> rules.Tally:
    return rules.Tally(APPROVAL, CANDIDATES, seats, 100, {k: counts.get(k, 0) for k in CANDIDATES})


def test_election_elected_within_seats_with_majority_of_base():
    t = _approval({"1": 80, "2": 70, "3": 60, "4": 40}, seats=2)
    outcome = rules.election_outcome(t, base=100)
    assert outcome.elected == ("1", "2")
    assert outcome.tied == () and outcome.unfilled == 0
    assert outcome.qualified == ("1", "2", "3")


def test_election_tie_at_last_seat_reported_not_resolved():
    t = _approval({"1": 80, "2": 60, "3": 60, "4": 10}, seats=2)
    outcome = rules.election_outcome(t, base=100)
    assert outcome.elected == ("1",)
    assert outcome.tied == ("2", "3")
    assert outcome.unfilled == 1


def test_election_no_tie_when_next_candidate_has_fewer_votes():
    t = _approval({"1": 80, "2": 60, "3": 60, "4": 55}, seats=3)
    outcome = rules.election_outcome(t, base=100)
    assert outcome.elected == ("1", "2", "3") and outcome.tied == ()


def test_election_unfilled_seats_without_majority():
    t = _approval({"1": 51, "2": 50, "3": 49}, seats=3)
    outcome = rules.election_outcome(t, base=100)
    assert outcome.elected == ("1",) and outcome.unfilled == 2 and outcome.threshold == 51


def test_survey_rule_none_ranks_without_majority():
    t = _approval({"1": 5, "2": 9, "3": 9}, seats=1)
    outcome = rules.election_outcome(t, base=100, require_majority=False)
    assert outcome.elected == () and outcome.tied == ("2", "3")
    assert rules.tied_groups(t) == [("2", "3")]


def test_paper_tally_consistency():
    t = rules.paper_tally(
        YES_NO_ABSTAIN,
        {YES: 70, NO: 20, ABSTAIN: 5},
        options=YNA_OPTIONS,
        seats=1,
        valid_ballots=95,
        invalid_ballots=2,
        eligible=100,
    )
    assert t.ballots == 95 and t.invalid == 2 and t.counts[YES] == 70
    with pytest.raises(InvalidPaperResult):  # yes+no+abstain must equal the valid ballots
        rules.paper_tally(YES_NO_ABSTAIN, {YES: 70}, options=YNA_OPTIONS, seats=1, valid_ballots=95)
    with pytest.raises(InvalidPaperResult):  # more ballots than eligible voters
        rules.paper_tally(
            YES_NO_ABSTAIN,
            {YES: 101},
            options=YNA_OPTIONS,
            seats=1,
            valid_ballots=101,
            eligible=100,
        )
    with pytest.raises(InvalidPaperResult):  # a candidate above the number of ballots
        rules.paper_tally(APPROVAL, {"1": 11}, options=CANDIDATES, seats=2, valid_ballots=10)
    with pytest.raises(InvalidPaperResult):  # more marks than ballots × seats
        rules.paper_tally(
            APPROVAL, {"1": 10, "2": 10, "3": 1}, options=CANDIDATES, seats=2, valid_ballots=10
        )
    with pytest.raises(InvalidPaperResult):
        rules.paper_tally(APPROVAL, {"1": -1}, options=CANDIDATES, seats=2, valid_ballots=10)


def test_trackers_are_random_readable_and_at_least_80_bits():
    codes = {rules.new_tracker() for _ in range(2000)}
    assert len(codes) == 2000
    for code in list(codes)[:50]:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    assert rules.TRACKER_CHARS * 5 >= 80
    # Every character position uses the whole alphabet (no fixed or biased positions).
    for pos in range(19):
        if pos % 5 != 4:
            assert len({c[pos] for c in codes}) == 32


def test_normalize_tracker_forgives_typing():
    code = rules.new_tracker()
    typed = code.lower().replace("-", " ")
    assert rules.normalize_tracker(typed) == code
    assert rules.normalize_tracker("0000-1111-2222-333O".replace("O", "o")) == "0000-1111-2222-3330"
    assert rules.normalize_tracker("IL00-0000-0000-0000") == "1100-0000-0000-0000"
    assert rules.normalize_tracker("too short") is None
    assert rules.normalize_tracker("") is None


def test_rank_correlation():
    xs = list(range(100))
    assert rules.rank_correlation(xs, xs) == pytest.approx(1.0)
    assert rules.rank_correlation(xs, xs[::-1]) == pytest.approx(-1.0)
    assert rules.rank_correlation(xs, [1] * 100) == 0.0
    shuffled = xs[:]
    random.Random(1).shuffle(shuffled)
    assert abs(rules.rank_correlation(xs, shuffled)) < 0.3


def test_check_options():
    with pytest.raises(ValueError):
        rules.check_options(APPROVAL, ("1", "1"), 1)
    with pytest.raises(ValueError):
        rules.check_options(APPROVAL, ("1", "2"), 3)
    with pytest.raises(ValueError):
        rules.check_options(YES_NO_ABSTAIN, ("yes", "no"), 1)
    with pytest.raises(ValueError):
        rules.check_options(APPROVAL, ("a+b",), 1)
