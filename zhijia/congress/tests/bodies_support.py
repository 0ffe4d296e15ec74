"""Helpers for the tests of the congress bodies (working groups, duty reports, supervisors):
one small world built through the real actions, once per test module."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zhijia.accounts.models import User
from zhijia.congress.actions import bodies as actions
from zhijia.congress.actions import sessions as actions_sessions
from zhijia.congress.models import (
    Observation,
    Representative,
    Session,
    SupervisorAppointment,
    Term,
    WorkingGroup,
)
from zhijia.congress.tests.factory_sessions import make_members
from zhijia.congress.tests.proposals_support import unit
from zhijia.org.models import Member

TODAY = dt.date(2026, 12, 4)


@dataclass
class BodiesWorld:
    term: Term
    session: Session
    rep1_seat: Representative  # rep1 (B1-G1), in the 提案 group
    outsider: User  # a representative of the term outside the group (B1-G1)
    outsider_seat: Representative
    proposer: User
    group: WorkingGroup
    appointment: SupervisorAppointment  # worker2 for B2
    observation: Observation


def build_world(personas) -> BodiesWorld:
    chair = personas["chair"]
    term = actions_sessions.do_create_term(
        actor=chair, unit=unit("U"), start_date=dt.date(2024, 3, 1), end_date=dt.date(2029, 2, 28)
    )
    session = Session.objects.create(term=term, number=1, date=dt.date(2026, 3, 2))
    rep1_member = Member.objects.get(user=personas["rep1"])
    rep1_seat = actions_sessions.do_add_representative(
        actor=chair, term=term, member=rep1_member, unit=unit("B1")
    )
    others = make_members(unit("B1-G1"), 2, prefix="bod")
    outsider_seat, proposer_seat = (
        actions_sessions.do_add_representative(actor=chair, term=term, member=m) for m in others
    )
    group = actions.do_create_group(
        actor=chair,
        term=term,
        kind=WorkingGroup.Kind.PROPOSAL,
        name="提案工作委员会",
        head=rep1_seat,
    )
    appointment = actions.do_appoint_supervisor(
        actor=chair,
        unit=unit("B2"),
        member=Member.objects.get(user=personas["worker2"]),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    observation = actions.do_file_observation(
        actor=personas["worker2"],
        appointment=appointment,
        subject="车间通风设备长期损坏",
        text="二车间东侧排风扇坏了两周，夏天闷热。",
        place="二车间",
        observed_on=dt.date(2026, 6, 1),
        today=dt.date(2026, 6, 2),
    )
    return BodiesWorld(
        term=term,
        session=session,
        rep1_seat=rep1_seat,
        outsider=outsider_seat.member.user,
        outsider_seat=outsider_seat,
        proposer=proposer_seat.member.user,
        group=group,
        appointment=appointment,
        observation=observation,
    )
