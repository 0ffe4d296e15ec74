"""Helpers for the proposal and inspection tests: sessions, extra representatives, proposals
driven to a given state through the real actions."""

from __future__ import annotations

import datetime as dt

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.congress.actions import proposal_handling as actions_proposal_handling
from zhijia.congress.actions import proposals as actions
from zhijia.congress.models import Proposal, Session, Term
from zhijia.org.models import Department, OrgUnit

TEXT = {
    "title": "关于改善食堂饭菜质量的建议",
    "cause": "职工食堂饭菜品种单一，价格偏高，夜班职工下班后没有热饭。",
    "reasons": "一线倒班职工多，吃饭问题直接影响身体健康和工作状态。",
    "measures": "增加菜品种类，设立夜班餐窗口，公开食堂成本。",
    "category": Proposal.Category.LIVING,
}


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def department(code: str) -> Department:
    return Department.objects.get(code=code)


def make_term(unit_code: str = "U", number: int = 1) -> Term:
    return Term.objects.create(
        unit=unit(unit_code),
        number=number,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2028, 12, 31),
    )


def make_session(term: Term | None = None, number: int = 1, date=None) -> Session:
    term = term or Term.objects.filter(unit__code="U").first() or make_term()
    return Session.objects.create(
        term=term, number=number, date=date or dt.date(2026, 3, 1 + number)
    )


def make_representative(username: str, unit_code: str = "B1", name: str = "") -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"full_name": name or username}
    )
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.REPRESENTATIVE, org_unit=unit(unit_code)
    )
    return user


def make_handler(username: str, dept_code: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
    RoleAssignment.objects.get_or_create(
        user=user, role=Role.HANDLER, department=department(dept_code)
    )
    return user


def fresh(user: User) -> User:
    """The same account without its per-instance role cache (after a role change)."""
    return User.objects.get(pk=user.pk)


def draft(proposer, session, cosigners=(), **overrides) -> Proposal:
    data = {**TEXT, **overrides}
    return actions.do_create_proposal(
        actor=proposer, session=session, cosigners=list(cosigners), **data
    )


def submitted(proposer, session, cosigner, **overrides) -> Proposal:
    p = draft(proposer, session, [cosigner], **overrides)
    actions.do_cosign_proposal(actor=cosigner, proposal=p)
    return actions.do_submit_proposal(actor=proposer, proposal=p)


def handling(proposer, session, cosigner, committee, dept_code="D-HR", workdays=None, **kw):
    p = submitted(proposer, session, cosigner, **kw)
    return actions_proposal_handling.do_accept_proposal(
        actor=committee,
        proposal=p,
        lead_department=department(dept_code),
        workdays=workdays,
    )
