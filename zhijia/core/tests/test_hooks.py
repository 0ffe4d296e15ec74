"""zhijia.core.hooks: the member directory org provides, and the proposal_handled event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhijia.core import hooks


def test_org_provides_the_member_directory():
    # OrgConfig.ready registered it; accounts reads members and units only through it.
    assert hooks.directory() is not None


def test_no_directory_is_a_configuration_error(monkeypatch):
    monkeypatch.setattr(hooks, "_directory", None)
    with pytest.raises(ImproperlyConfigured):
        hooks.directory()


@pytest.mark.django_db
def test_a_failing_subscriber_does_not_stop_the_others():
    # (disclosure's subscriber also gets this result: it finds no such unit and publishes
    # nothing.)
    got = []

    def good(result):
        got.append(result.proposal_id)

    def bad(result):
        raise RuntimeError("subscriber bug")

    hooks.on_proposal_result(bad)
    hooks.on_proposal_result(good)
    result = hooks.ProposalResult(
        proposal_id=-1,
        session_id=1,
        number="",
        title="t",
        category="",
        category_label="",
        outcome="unknown",
        outcome_label="",
        lead_department="",
        co_departments=(),
        answer_summary="",
        rating="",
        rating_label="",
        merged_into_id=None,
        finished_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        unit_path="no-such-unit",
        url="/",
    )
    try:
        hooks.send_proposal_result(None, result)
    finally:
        for callback in (bad, good):
            hooks.proposal_handled.disconnect(dispatch_uid=f"on_proposal_result:{id(callback)}")
    assert got == [-1]
