"""Helpers for bargaining tests: representatives, a round, a contract with clauses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.bargaining.actions import contracts as contract_actions
from zhijia.bargaining.actions import rounds as round_actions
from zhijia.org.models import OrgUnit
from zhijia.org.tests.member_factory import make_member

CHINA = ZoneInfo("Asia/Shanghai")
CLAUSES = [
    ("工资增长", "职工月平均工资年增长不低于 5%。", True),
    ("休息休假", "职工每周至少休息一日，年休假按国家规定执行。", True),
    ("女职工特殊保护", "设立女职工哺乳室（妈咪小屋）。", True),
    ("争议处理", "履行本合同发生争议，双方协商解决。", False),
]
UNION = [("张三", "分工会主席", True), ("李四", "职工代表", False), ("王五", "职工代表", False)]
EMPLOYER = [
    ("赵总", "总经理", True),
    ("钱经理", "人力资源部经理", False),
    ("孙会计", "财务", False),
]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=CHINA)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def make_representative(username: str, unit_code: str = "B1") -> User:
    user = User.objects.create(username=username, full_name=username)
    make_member(unit_code, name=username, user=user)
    RoleAssignment.objects.create(user=user, role=Role.REPRESENTATIVE, org_unit=unit(unit_code))
    return User.objects.get(pk=user.pk)


def new_round(cadre, unit_code: str = "B1", **kwargs):
    return round_actions.do_create_round(
        actor=cadre,
        org_unit=unit(unit_code),
        kind=kwargs.pop("kind", "wage"),
        title=kwargs.pop("title", "2026 年工资集体协商"),
        employer_name="示例能源集团第一分公司",
        **kwargs,
    )


def new_contract(cadre, unit_code: str = "B1", round_=None, **kwargs):
    return contract_actions.do_create_contract(
        actor=cadre,
        org_unit=unit(unit_code),
        kind=kwargs.pop("kind", "wage"),
        title=kwargs.pop("title", "工资专项集体合同"),
        employer_name="示例能源集团第一分公司",
        round=round_,
        clauses=kwargs.pop("clauses", CLAUSES),
        **kwargs,
    )


# --- the contract's vote, always encrypted online (docs/voting.md) --------------------------------


def open_encrypted_vote(cadre, contract, trustees):
    """Prepare the draft's encrypted vote, name `trustees` (3 users) its 监票人, make its key
    (their ceremony in one process) and open it."""
    from zhijia.voting import trustee_actions
    from zhijia.voting.tests.encrypted_support import make_key

    poll = contract_actions.do_prepare_contract_vote(actor=cadre, contract=contract)
    trustee_actions.do_name_trustees(actor=cadre, poll=poll, users=trustees)
    make_key(poll, trustees)
    return contract_actions.do_open_contract_vote(actor=cadre, contract=contract)


def close_and_decide(cadre, contract):
    """Close the vote (nothing decided yet), let k trustees decrypt, close again: Art. 36
    decides; the outcome."""
    from zhijia.voting.models import Poll
    from zhijia.voting.tests.encrypted_support import decrypt

    assert contract_actions.do_close_contract_vote(actor=cadre, contract=contract) is None
    contract.refresh_from_db()
    decrypt(Poll.objects.get(pk=contract.poll_id))
    return contract_actions.do_close_contract_vote(actor=cadre, contract=contract)
