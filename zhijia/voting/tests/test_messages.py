"""The pure rules refuse with a code and the figures; the application words the refusal in the
user's language (voting.actions.rule_message), the same in Chinese as the rules' own text."""

from __future__ import annotations

import pytest
from django.utils import translation

from zhijia.voting import rules
from zhijia.voting.actions import rule_message

CHOICES = [
    ("yes_no_abstain", ["yes", "yes"], 1),
    ("yes_no_abstain", ["maybe"], 1),
    ("yes_no_abstain", ["yes", "no"], 1),
    ("approval", ["1", "2", "3"], 2),
]
PAPER = [
    ({"yes": -1, "no": 0, "abstain": 0}, 0, 0, None),
    ({"yes": 5, "no": 0, "abstain": 0}, 5, 1, 4),
    ({"yes": 3, "no": 0, "abstain": 0}, 5, 0, None),
    ({"maybe": 1}, 1, 0, None),
]


def _refusals():
    for kind, choice, seats in CHOICES:
        options = rules.YNA_OPTIONS if kind == "yes_no_abstain" else ("1", "2", "3")
        with pytest.raises(rules.InvalidChoice) as exc:
            rules.validate_choice(kind, choice, options=options, seats=seats)
        yield exc.value
    for counts, valid, invalid, eligible in PAPER:
        with pytest.raises(rules.InvalidPaperResult) as exc:
            rules.paper_tally(
                "yes_no_abstain",
                counts,
                options=rules.YNA_OPTIONS,
                seats=1,
                valid_ballots=valid,
                invalid_ballots=invalid,
                eligible=eligible,
            )
        yield exc.value


def test_every_refusal_is_worded_in_chinese_as_the_rules_say_and_in_english():
    refusals = list(_refusals())
    assert len({(type(r), r.code) for r in refusals}) == len(refusals)
    for refusal in refusals:
        with translation.override("zh-hans"):
            assert rule_message(refusal) == str(refusal)
        with translation.override("en"):
            english = rule_message(refusal)
        assert english != str(refusal) and english.isascii(), (refusal.code, english)
