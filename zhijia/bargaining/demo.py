"""Demo data of module bargaining for `zhijia seed-demo`: the committee's general contract and
its wage contract in force (voted by the representatives, signed, filed, effective), with
compliance checks (some met, one breached: a grievance in module cases), and a round of
branch1 in progress (demands collected, the request sent, the answer due). Idempotent.

Everything goes through the real actions and the module's daily sweep, with the dates of the
signature and the bureau's receipt entered in the past, as a cadre would enter them.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from zhijia.bargaining.actions import compliance as checks
from zhijia.bargaining.actions import contracts as actions
from zhijia.bargaining.actions import rounds as rounds
from zhijia.bargaining.models import Contract
from zhijia.org.demo import ensure_demo_accounts
from zhijia.org.models import OrgUnit
from zhijia.voting import actions as voting

GENERAL = "示例能源集团综合性集体合同（2025—2028）"
EMPLOYER = "示例能源集团有限公司"
GENERAL_CLAUSES = [
    ("劳动报酬", "职工月平均工资年增长不低于上年度本市职工平均工资增长幅度。", True),
    ("工作时间", "实行每日 8 小时、每周 40 小时工作制；加班须经本人同意。", True),
    ("休息休假", "职工每周至少休息一日；带薪年休假按国家规定安排。", True),
    ("劳动安全卫生", "每年组织一次职业健康检查，按标准发放劳动防护用品。", True),
    ("女职工特殊保护", "设立女职工哺乳室（妈咪小屋），孕期女职工不安排夜班。", True),
    ("合同的变更与解除", "本合同的变更、解除按《集体合同规定》办理。", False),
]
WAGE_CLAUSES = [
    ("工资增长幅度", "2025 年度职工月平均工资增长不低于 5%。", True),
    ("最低工资", "企业最低工资标准不低于本市最低工资标准的 120%。", True),
    ("夜班津贴", "夜班津贴每班不低于 30 元。", True),
]
DELEGATES = [
    [("王主席", "工会主席", True), ("李代表", "职工代表", False), ("张代表", "职工代表", False)],
    [("陈总", "总经理", True), ("刘经理", "人力资源部经理", False), ("周会计", "财务部", False)],
]


def _in_force(chair, unit, *, kind, title, clauses, signed_on) -> Contract:
    contract = actions.do_create_contract(
        actor=chair,
        org_unit=unit,
        kind=kind,
        title=title,
        employer_name=EMPLOYER,
        term_years=3,
        clauses=clauses,
    )
    # Voted in the hall (a paper vote): every representative present, all in favour.
    poll = actions.do_open_contract_vote(actor=chair, contract=contract, paper=True)
    n = poll.eligible_count or 0
    counts = {"yes": n, "no": 0, "abstain": 0}
    voting.do_enter_paper_result(actor=chair, poll=poll, counts=counts, valid_ballots=n)
    actions.do_close_contract_vote(actor=chair, contract=contract)
    contract.refresh_from_db()
    actions.do_sign_contract(
        actor=chair,
        contract=contract,
        signed_on=signed_on,
        union_signer="王主席",
        employer_signer="陈总",
    )
    actions.do_file_contract(
        actor=chair,
        contract=contract,
        bureau="示例市人力资源和社会保障局",
        bureau_received_on=signed_on + dt.timedelta(days=5),
    )
    return contract


def seed_demo() -> str:
    if Contract.objects.filter(title=GENERAL).exists():
        return "bargaining: demo contracts already there"
    personas = ensure_demo_accounts()
    chair, branch1 = personas["chair"], personas["branch1"]
    committee, b1 = OrgUnit.objects.get(code="U"), OrgUnit.objects.get(code="B1")
    today = timezone.localdate()
    with transaction.atomic():
        general = _in_force(
            chair,
            committee,
            kind="general",
            title=GENERAL,
            clauses=GENERAL_CLAUSES,
            signed_on=today - dt.timedelta(days=400),
        )
        wage = _in_force(
            chair,
            committee,
            kind="wage",
            title="示例能源集团工资专项集体合同（2025 年度）",
            clauses=WAGE_CLAUSES,
            signed_on=today - dt.timedelta(days=300),
        )
        actions.daily_sweep()  # both take effect (the objection periods have passed)
        general.refresh_from_db()
        wage.refresh_from_db()
        made = []
        for contract, number, due, result, finding in [
            (general, 4, -200, "met", "已于上半年完成职业健康检查，参检率 98%。"),
            (general, 5, -120, "met", "三处妈咪小屋已投入使用。"),
            (wage, 1, -60, "met", "全年月平均工资增长 5.6%。"),
            (wage, 3, -30, "breached", "第二车间夜班津贴仍按每班 20 元发放。"),
            (general, 2, 30, "", ""),
        ]:
            check = checks.do_schedule_check(
                actor=chair,
                contract=contract,
                clause_number=number,
                due_on=today + dt.timedelta(days=due),
                responsible="工会劳动保护委员会",
            )
            if result:
                checks.do_record_check_result(
                    actor=chair, check=check, result=result, finding=finding
                )
            made.append(check)
        round_ = rounds.do_create_round(
            actor=branch1,
            org_unit=b1,
            kind="wage",
            title="第一分工会 2026 年工资集体协商",
            employer_name="示例能源集团第一分公司",
            demands_until=today + dt.timedelta(days=7),
        )
        for persona, topic, text in [
            ("worker1", "wages", "一线岗位工资增长应高于管理岗位。"),
            ("rep1", "wages", "夜班津贴多年未调整，希望提高到每班 40 元。"),
            ("worker1", "women", "哺乳期女职工希望弹性上下班。"),
            ("rep1", "rest", "倒班职工的年休假安排困难。"),
        ]:
            rounds.do_submit_demand(actor=personas[persona], round=round_, topic=topic, text=text)
        rounds.do_set_delegations(
            actor=branch1, round=round_, union=DELEGATES[0], employer=DELEGATES[1]
        )
        rounds.do_send_bargaining_request(
            actor=branch1,
            round=round_,
            request_text="依照《集体合同规定》第三十二条，请求就 2026 年度工资调整进行集体协商。",
            received_on=today - dt.timedelta(days=5),
        )
    return (
        f"bargaining: 2 contracts in force with {len(made)} checks (1 breached), "
        "1 round awaiting the written answer"
    )
