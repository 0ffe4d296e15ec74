"""Helpers for the voting tests: bulk voters and polls opened for them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from zhijia.voting import actions


def make_voters(n: int, prefix: str = "voter") -> list:
    User = get_user_model()
    User.objects.bulk_create(
        User(username=f"{prefix}{i:04d}", full_name=f"投票人{i}") for i in range(n)
    )
    return list(User.objects.filter(username__startswith=prefix).order_by("username"))


@pytest.fixture
def voters_factory(db):
    return make_voters


@pytest.fixture
def open_poll(personas, demo_units):
    """open_poll(voters, kind="yes_no_abstain", candidates=(), seats=1, unit="U") -> Poll."""

    def _open(voters, *, kind="yes_no_abstain", candidates=(), seats=1, unit="U", **kwargs):
        poll = actions.do_create_poll(
            actor=personas["chair"],
            title="测试表决",
            kind=kind,
            unit=demo_units[unit],
            candidates=candidates,
            seats=seats,
            **kwargs,
        )
        return actions.do_open_poll(actor=personas["chair"], poll=poll, voters=voters)

    return _open
