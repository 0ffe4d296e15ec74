"""seed-demo fills the suggestion pages: every state, scores, milestones, certified benefits
and rewards, over the three branches; running it again adds nothing."""

from __future__ import annotations

import pytest

from zhijia.org.demo import ensure_demo_members
from zhijia.services.models import Suggestion, SuggestionMilestone, SuggestionScore
from zhijia.services.suggestions_demo import _SUGGESTIONS, ensure_demo_suggestions
from zhijia.services.workflows import SUGGESTION

pytestmark = pytest.mark.django_db


def test_the_demo_suggestions_are_plausible_and_idempotent(personas):
    ensure_demo_members(90, batch_size=90)
    assert ensure_demo_suggestions() == len(_SUGGESTIONS)
    assert ensure_demo_suggestions() == 0
    assert Suggestion.objects.count() == len(_SUGGESTIONS)
    assert set(Suggestion.objects.values_list("state", flat=True)) == set(SUGGESTION.states)
    branches = {
        s.org_unit.path_prefixes()[1] for s in Suggestion.objects.select_related("org_unit")
    }
    assert len(branches) == 3
    closed = Suggestion.objects.filter(state="closed")
    assert all(s.reward_amount and s.reward_tier and s.certified_benefit for s in closed)
    assert SuggestionScore.objects.exists() and SuggestionMilestone.objects.exists()
    assert all(s.decision_reason for s in Suggestion.objects.filter(state="rejected"))
