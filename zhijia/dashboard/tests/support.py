"""A union of its own for the dashboard tests, with fixed records in 2025 (the period) and a
few outside it, so that every figure has a known value: the expected numbers below are
counted by hand from what `build()` writes, not by any query.

    T   示例工会 (the union committee: `t_chair`, cadre; `t_viewer`, 企业领导)
    ├── TA  甲分工会 (`ta_chair`, cadre)
    │   └── TA1 甲一小组
    └── TB  乙分工会

Records are written with the ORM (the dashboards only read; the actions that write them are
tested in their modules). Built once per test module.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.org.models import DuesRecord, Member, MemberTransfer, OrgUnit, recompute_paths

YEAR = 2025
TZ = timezone.get_default_timezone()


def at(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 10, 0, tzinfo=TZ)


# Expected values for the branch TA (its subtree: TA, TA1) and the whole union T, in 2025.
EXPECTED = {
    "TA": {
        "org.members_total": 3,
        "org.members_joined": 2,
        "org.members_left": 1,
        "org.dues_collected": Decimal("10.00"),
        "org.dues_arrears": Decimal("10.00"),
        "cases.grievances_received": 3,
        "cases.grievances_overdue": 1,
        "cases.grievances_on_time_rate": 50.0,
        "cases.grievances_satisfaction": 50,
        "congress.sessions_held": 0,
        "congress.proposals_submitted": 2,
        "congress.proposals_on_time_rate": 100.0,
        "congress.proposals_satisfaction": 100,
        "safety.hazards_reported": 2,
        "safety.hazards_closed": 1,
        "safety.hazards_overdue": 1,
        "assistance.paid": Decimal("200.00"),
        "bargaining.contracts_in_force": 1,
        "services.events_held": 1,
        "services.participants": 1,
        "services.training_hours": Decimal("6.0"),
        "services.training_target_rate": 33.3,
        "services.suggestions_submitted": 2,
        "services.suggestions_benefit": Decimal("5000.00"),
        "services.honours_awarded": 1,
        "services.competitions_launched": 1,
        "disclosure.items_published": 1,
        "women.health_checks_completed": 1,
        "core.satisfaction_rate": 50,
    },
    "T": {
        "org.members_total": 5,
        "org.members_joined": 3,
        "org.members_left": 1,
        "org.dues_collected": Decimal("18.00"),
        "org.dues_arrears": Decimal("10.00"),
        "cases.grievances_received": 4,
        "cases.grievances_overdue": 1,
        "cases.grievances_on_time_rate": 66.7,
        "cases.grievances_satisfaction": 67,
        "congress.sessions_held": 1,
        "congress.proposals_submitted": 3,
        "congress.proposals_on_time_rate": 50.0,
        "congress.proposals_satisfaction": 50,
        "safety.hazards_reported": 3,
        "safety.hazards_closed": 2,
        "safety.hazards_overdue": 1,
        "assistance.paid": Decimal("700.00"),
        "bargaining.contracts_in_force": 1,
        "services.events_held": 1,
        "services.participants": 1,
        "services.training_hours": Decimal("9.0"),
        "services.training_target_rate": 40.0,
        "services.suggestions_submitted": 3,
        "services.suggestions_benefit": Decimal("5000.00"),
        "services.honours_awarded": 2,
        "services.competitions_launched": 2,
        "disclosure.items_published": 1,
        "women.health_checks_completed": 2,
        "core.satisfaction_rate": 67,
    },
}
# Breakdowns worth checking row by row.
EXPECTED_ROWS = {
    "TA": {
        "cases.grievances_received": {"工资报酬": 2, "劳动安全卫生": 1, "社会保险": 0},
        "services.competitions_launched": {"技能竞赛": 1, "劳动竞赛": 0},
        "services.training_target_rate": {"计划覆盖职工": 3, "已达标": 1, "未达标": 2},
        "women.health_checks_completed": {"报名人数": 2, "完成检查": 1},
    },
    "T": {
        "cases.grievances_received": {"工资报酬": 3, "劳动安全卫生": 1},
        "assistance.paid": {"甲分工会帮扶金": Decimal("200.00"), "送温暖": Decimal("500.00")},
        "services.competitions_launched": {"技能竞赛": 1, "劳动竞赛": 1},
        "services.training_target_rate": {"计划覆盖职工": 5, "已达标": 2, "未达标": 3},
        "women.health_checks_completed": {"报名人数": 3, "完成检查": 2},
    },
}


def _unit(code: str, name: str, parent: OrgUnit | None, kind: str) -> OrgUnit:
    unit = OrgUnit.objects.create(code=code, name=name, parent=parent, kind=kind)
    recompute_paths(unit)
    unit.refresh_from_db()
    return unit


def _user(username: str, role: str | None = None, unit: OrgUnit | None = None) -> User:
    user = User.objects.create(username=username, full_name=username)
    if role:
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit, title="主席")
    return user


def build() -> dict:
    kinds = OrgUnit.Kind
    t = _unit("T", "示例工会", None, kinds.COMMITTEE)
    ta = _unit("TA", "甲分工会", t, kinds.BRANCH)
    tb = _unit("TB", "乙分工会", t, kinds.BRANCH)
    ta1 = _unit("TA1", "甲一小组", ta, kinds.GROUP)
    users = {
        "t_chair": _user("t_chair", Role.CADRE, t),
        "ta_chair": _user("ta_chair", Role.CADRE, ta),
        "t_viewer": _user("t_viewer", Role.VIEWER, t),
        "t_worker": _user("t_worker"),
    }
    actor = users["t_chair"]
    _org(ta1, tb)
    _cases(ta1, tb)
    _congress(t, ta1, tb, actor)
    _safety(ta1, tb, actor)
    _assistance(t, ta, actor)
    _bargaining(ta, tb)
    _services(ta, tb, actor)
    _suggestions_and_honours(ta, tb, actor)
    _disclosure(ta, tb)
    _women(ta, tb, actor)
    _ratings(ta1, tb)
    return {"units": {"T": t, "TA": ta, "TB": tb, "TA1": ta1}, "users": users}


def _member(no: str, unit: OrgUnit, joined: dt.date | None, status=Member.Status.ACTIVE):
    return Member.objects.create(
        employee_no=no, name=f"会员{no}", gender="F", org_unit=unit, join_date=joined, status=status
    )


def _org(ta1: OrgUnit, tb: OrgUnit) -> None:
    a1 = _member("DA1", ta1, dt.date(2025, 3, 1))
    _member("DA2", ta1, dt.date(2025, 3, 1))
    _member("DA3", ta1, dt.date(2020, 1, 1))
    _member("DA4", ta1, dt.date(2018, 1, 1), status=Member.Status.RETIRED)
    _member("DA5", ta1, dt.date(2026, 1, 5))  # joins after the period
    b1 = _member("DB1", tb, dt.date(2025, 5, 1))
    b2 = _member("DB2", tb, dt.date(2019, 1, 1))
    # Moved from TA to TB (left TA, not the union) and from TB out of the union.
    moved = _member("DB3", tb, dt.date(2010, 1, 1), status=Member.Status.TRANSFERRED_OUT)
    MemberTransfer.objects.create(
        member=moved, from_unit=ta1, to_unit=tb, effective_date=dt.date(2025, 6, 1)
    )
    MemberTransfer.objects.create(
        member=moved, from_unit=tb, to_unit=None, effective_date=dt.date(2025, 7, 1)
    )
    dues = DuesRecord.objects.create
    dues(
        member=a1,
        month=dt.date(2025, 1, 1),
        wage_income=2000,
        amount=10,
        paid_at=at(2025, 1, 20),
        paid_amount=10,
    )
    dues(member=a1, month=dt.date(2025, 2, 1), wage_income=2000, amount=10)
    dues(member=b1, month=dt.date(2025, 3, 1), wage_income=1600, amount=8, paid_at=at(2025, 3, 10))
    dues(member=b2, month=dt.date(2024, 12, 1), wage_income=1000, amount=5)  # before the period


def _cases(ta1: OrgUnit, tb: OrgUnit) -> None:
    from zhijia.cases.models import Grievance

    def g(unit, category, state, *, received=dt.date(2025, 4, 1), kind="grievance", **extra):
        return Grievance.objects.create(
            kind=kind,
            category=category,
            text="食堂饭菜价格上涨",
            org_unit=unit,
            handling_unit=unit,
            received_on=received,
            state=state,
            **extra,
        )

    g(ta1, "wages", "closed", rating="satisfied")
    g(ta1, "wages", "closed", rating="dissatisfied", escalation_level=1)
    g(ta1, "safety", "assigned", deadline_at=at(2025, 5, 1))  # overdue now
    g(ta1, "wages", "submitted", kind="legal", deadline_at=at(2025, 5, 1))  # not a grievance
    g(ta1, "wages", "closed", received=dt.date(2024, 12, 1))  # before the period
    g(tb, "wages", "answered", rating="basically")


def _congress(t: OrgUnit, ta1: OrgUnit, tb: OrgUnit, actor: User) -> None:
    from zhijia.congress.models import Proposal, Session, Term

    term = Term.objects.create(
        unit=t, number=1, start_date=dt.date(2024, 1, 1), end_date=dt.date(2028, 12, 31)
    )
    session = Session.objects.create(
        term=term, number=1, date=dt.date(2025, 3, 1), state=Session.State.CLOSED
    )
    # congress.sessions_held: the closed session of 2025 counts for T (the congress's unit),
    # not for TA; this one of 2024 is before the period, the planned one not held.
    Session.objects.create(term=term, number=2, date=dt.date(2024, 3, 1), state="closed")
    Session.objects.create(term=term, number=3, date=dt.date(2025, 11, 1))

    def p(unit, state, submitted, **extra):
        return Proposal.objects.create(
            session=session,
            title="提案",
            cause="因",
            reasons="理",
            measures="措",
            proposer=actor,
            proposer_name="代表",
            proposer_unit=unit,
            org_unit=t,
            state=state,
            submitted_at=submitted,
            **extra,
        )

    p(ta1, "closed", at(2025, 2, 1), rating="satisfied")
    p(ta1, "handling", at(2025, 2, 2))
    p(ta1, "draft", None)  # never submitted
    p(ta1, "closed", at(2024, 2, 2))  # before the period
    p(tb, "closed", at(2025, 2, 3), rating="dissatisfied", manual_supervisions=1)


def _women(ta: OrgUnit, tb: OrgUnit, actor: User) -> None:
    from zhijia.women.models import CheckCampaign, CheckSignup

    def campaign(unit, year):
        return CheckCampaign.objects.create(
            org_unit=unit, year=year, title="健康检查", signup_until=dt.date(year, 6, 30)
        )

    def signup(campaign, no, signed, completed=None):
        member = Member.objects.get(employee_no=no)
        pk = CheckSignup.objects.create(campaign=campaign, member=member, user=actor).pk
        CheckSignup.objects.filter(pk=pk).update(signed_up_at=signed, completed_at=completed)

    ta_2025, tb_2025, ta_2024 = campaign(ta, 2025), campaign(tb, 2025), campaign(ta, 2024)
    signup(ta_2025, "DA1", at(2025, 4, 1), at(2025, 5, 1))
    signup(ta_2025, "DA2", at(2025, 4, 2))  # signed up, not checked yet
    signup(tb_2025, "DB1", at(2025, 4, 3), at(2025, 5, 2))
    signup(ta_2024, "DA3", at(2024, 4, 1), at(2024, 5, 1))  # before the period


def _safety(ta1: OrgUnit, tb: OrgUnit, actor: User) -> None:
    from zhijia.safety.models import HazardReport

    def h(unit, state, **extra):
        return HazardReport.objects.create(
            reporter=actor,
            org_unit=unit,
            place="车间",
            description="电线外露",
            category="electrical",
            state=state,
            reported_at=at(2025, 6, 1),
            **extra,
        )

    h(ta1, "verified")
    h(ta1, "assigned", deadline_at=at(2025, 6, 20))
    h(tb, "verified")


def _assistance(t: OrgUnit, ta: OrgUnit, actor: User) -> None:
    from zhijia.assistance.models import Fund, LedgerEntry

    def entry(fund, kind, amount, balance, **extra):
        return LedgerEntry.objects.create(
            fund=fund,
            kind=kind,
            amount=Decimal(amount),
            balance_after=Decimal(balance),
            booked_on=dt.date(2025, 4, 1),
            description="帮扶",
            actor=actor,
            actor_label="主席",
            **extra,
        )

    fund_a = Fund.objects.create(name="甲分工会帮扶金", org_unit=ta)
    entry(fund_a, "allocation", "1000", "1000")
    paid = entry(fund_a, "payment", "-300", "700")
    entry(fund_a, "reversal", "100", "800", reverses=paid)
    fund_t = Fund.objects.create(name="送温暖", org_unit=t)
    entry(fund_t, "allocation", "2000", "2000")
    entry(fund_t, "payment", "-500", "1500")


def _bargaining(ta: OrgUnit, tb: OrgUnit) -> None:
    from zhijia.bargaining.models import Contract

    Contract.objects.create(
        org_unit=ta,
        kind="general",
        title="集体合同",
        employer_name="示例公司",
        state="effective",
        effective_on=dt.date(2024, 6, 1),
        expires_on=dt.date(2027, 5, 31),
    )
    Contract.objects.create(
        org_unit=tb,
        kind="wage",
        title="工资专项集体合同",
        employer_name="示例公司",
        state="expired",
        effective_on=dt.date(2022, 3, 1),
        expires_on=dt.date(2025, 2, 28),
    )


def _services(ta: OrgUnit, tb: OrgUnit, actor: User) -> None:
    from zhijia.services.models import (
        Activity,
        ActivityRegistration,
        LearningCourse,
        LearningEnrolment,
    )

    def activity(unit, state):
        return Activity.objects.create(
            title="羽毛球赛",
            starts_at=at(2025, 5, 1),
            ends_at=at(2025, 5, 2),
            place="体育馆",
            org_unit=unit,
            capacity=10,
            opens_at=at(2025, 4, 1),
            closes_at=at(2025, 4, 20),
            created_by=actor,
            state=state,
        )

    held = activity(ta, "finished")
    activity(tb, "cancelled")
    for no, checked in (("DA1", True), ("DA2", False)):
        member = Member.objects.get(employee_no=no)
        ActivityRegistration.objects.create(
            activity=held,
            member=member,
            user=actor,
            status="registered",
            registered_at=at(2025, 4, 2),
            checked_in_at=at(2025, 5, 1) if checked else None,
        )
    courses = {}
    for unit, hours in ((ta, "2.0"), (tb, "1.5")):
        course = courses[unit.code] = LearningCourse.objects.create(
            title="安全生产",
            kind=LearningCourse.Kind.CLASSROOM,
            org_unit=unit,
            hours=Decimal(hours),
            created_by=actor,
        )
        LearningEnrolment.objects.create(
            course=course,
            worker=actor,
            source=LearningEnrolment.Source.SELF,
            enrolled_at=at(2025, 3, 1),
            completed_at=at(2025, 3, 2),
            hours_credited=Decimal(hours),
        )
    _training_plans(ta, actor, courses)


def _training_plans(ta: OrgUnit, actor: User, courses: dict) -> None:
    """Plans of 2025: every member of T 1.5 hours, the representatives of TA 3.5 (a plan of
    2024 besides). Members with accounts: DA1 (2.0 hours in 2025: met), DA2 (a representative,
    2.0: short of 3.5), DB1 (1.5: met, exactly); DA1's 1.5 hours of 2024 count for 2024 only.
    On the roll at the end of 2025 and covered: DA1, DA2, DA3 in TA; DB1, DB2 besides in T."""
    from zhijia.services.models import LearningEnrolment, LearningPlan

    t = ta.parent
    for unit, year, audience, target in (
        (t, 2025, LearningPlan.Audience.ALL, "1.5"),
        (ta, 2025, LearningPlan.Audience.REPRESENTATIVES, "3.5"),
        (t, 2024, LearningPlan.Audience.ALL, "9.0"),
    ):
        LearningPlan.objects.create(
            org_unit=unit,
            year=year,
            title="年度培训计划",
            audience=audience,
            hours_target=Decimal(target),
            created_by=actor,
        )
    accounts = {}
    for no in ("DA1", "DA2", "DB1"):
        accounts[no] = _user(f"w_{no.lower()}")
        Member.objects.filter(employee_no=no).update(user=accounts[no])
    RoleAssignment.objects.create(user=accounts["DA2"], role=Role.REPRESENTATIVE, org_unit=ta)
    for no, course, completed in (
        ("DA1", "TA", at(2025, 6, 1)),
        ("DA2", "TA", at(2025, 6, 1)),
        ("DB1", "TB", at(2025, 6, 1)),
        ("DA1", "TB", at(2024, 12, 20)),
    ):
        LearningEnrolment.objects.create(
            course=courses[course],
            worker=accounts[no],
            source=LearningEnrolment.Source.SELF,
            enrolled_at=completed,
            completed_at=completed,
            hours_credited=courses[course].hours,
            credit_year=completed.year,
        )


def _suggestions_and_honours(ta: OrgUnit, tb: OrgUnit, actor: User) -> None:
    from zhijia.org.models import Department
    from zhijia.services.models import Competition, Honour, Suggestion

    department = Department.objects.create(code="TD", name="生产部")
    recompute_paths(department)

    def suggestion(unit, state, submitted, benefit=None):
        Suggestion.objects.create(
            title="改进下料工序",
            category="rationalisation",
            problem="浪费",
            proposal="改进",
            org_unit=unit,
            department=department,
            author=actor,
            submitted_at=submitted,
            year=submitted.year,
            state=state,
            certified_benefit=benefit,
        )

    suggestion(ta, "certified", at(2025, 3, 1), Decimal("5000"))
    suggestion(ta, "submitted", at(2025, 9, 1))
    suggestion(ta, "certified", at(2024, 9, 1), Decimal("800"))  # before the period
    suggestion(tb, "rejected", at(2025, 9, 1))

    def honour(unit, year, state="active"):
        Honour.objects.create(
            kind="model_worker",
            level="enterprise",
            year=year,
            title="劳动模范",
            awarding_body="示例公司",
            team_name="甲班组",
            org_unit=unit,
            created_by=actor,
            state=state,
        )

    honour(ta, 2025)
    honour(ta, 2025, state="revoked")
    honour(tb, 2025)
    honour(tb, 2024)

    def competition(unit, kind, published):
        Competition.objects.create(
            title="技能比武", kind=kind, org_unit=unit, created_by=actor, published_at=published
        )

    competition(ta, "skills", at(2025, 4, 10))
    competition(ta, "labour", None)  # a draft, never published
    competition(ta, "labour", at(2024, 11, 1))  # before the period
    competition(tb, "labour", at(2025, 6, 1))


def _disclosure(ta: OrgUnit, tb: OrgUnit) -> None:
    from zhijia.disclosure.models import Item, Level

    for unit, status in ((ta, "published"), (tb, "withdrawn")):
        Item.objects.create(
            org_unit=unit,
            audience_unit=unit,
            level=Level.WORKSHOP,
            title="奖金分配",
            valid_from=dt.date(2025, 1, 1),
            status=status,
            published_at=at(2025, 1, 5),
        )


def _ratings(ta1: OrgUnit, tb: OrgUnit) -> None:
    from zhijia.core.models import Rating

    for unit, rating in ((ta1, "satisfied"), (ta1, "dissatisfied"), (tb, "satisfied")):
        Rating.objects.create(
            service="cases.grievance", unit_path=unit.path, rating=rating, rated_at=at(2025, 8, 1)
        )
    Rating.objects.create(
        service="cases.grievance", unit_path=tb.path, rating="dissatisfied", rated_at=at(2024, 8, 1)
    )
