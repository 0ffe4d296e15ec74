"""The default disclosure catalogue of a state-owned enterprise, and its idempotent seeding.

The subjects follow 《企业民主管理规定》(2012) Articles 20–24 (what the enterprise discloses
to its workers: major decisions, production and operation, pay and bonus distribution, social
insurance and housing fund, awards and sanctions, promotions and professional titles,
recruitment, business entertainment and vehicle spending, the integrity of its leaders) and
the congress's own results; the cadences are common practice and every value can be changed
by a cadre holding disclosure.manage_catalogue.

`ensure_default_catalogue()` creates the entries that are missing, by code, and never touches
an existing one: a union's edits survive re-seeding and upgrades.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from zhijia.core import audit
from zhijia.disclosure import rules
from zhijia.disclosure.models import CatalogueEntry

PROPOSAL_RESULTS = "proposal-results"  # the entry handled proposals are published under
# the entry the congress's report on the follow-up of its resolutions is published under
CONGRESS_RESOLUTIONS = "congress-resolutions"

_REGULATION = "《企业民主管理规定》"
_SOE = "《关于在国有企业、集体企业及其控股企业深入实行厂务公开制度的通知》"


@dataclass(frozen=True)
class DefaultEntry:
    code: str
    title: str
    level: str
    cadence: str
    description: str
    legal_basis: str = ""
    offset_days: int | None = None  # None: the cadence's default
    remind_days: int = 3


E, W, T = rules.ENTERPRISE, rules.WORKSHOP, rules.TEAM
M, Q, H, Y, EV = rules.MONTHLY, rules.QUARTERLY, rules.HALF_YEARLY, rules.YEARLY, rules.EVENT

# The data is Chinese on purpose: it is seeded content a union edits, not interface text.
DEFAULT_CATALOGUE: tuple[DefaultEntry, ...] = (
    # --- 厂务公开 (enterprise level, union committee) ---
    DefaultEntry(
        "major-decisions",
        "企业重大决策事项",
        E,
        EV,
        "企业发展规划、年度投资计划、改制重组、兼并破产、重大技术改造等重大决策及职工意见采纳情况",
        f"{_REGULATION}第二十三条",
    ),
    DefaultEntry(
        "production-operation",
        "生产经营状况",
        E,
        Q,
        "年度生产经营目标及完成情况、主要经济指标、财务预决算概况",
        f"{_REGULATION}第二十三条",
        offset_days=20,
    ),
    DefaultEntry(
        "pay-bonus",
        "工资奖金分配",
        E,
        M,
        "工资总额、工资调整方案、奖金分配方案及各单位发放情况",
        f"{_REGULATION}第二十三条",
    ),
    DefaultEntry(
        "social-insurance",
        "社会保险费和住房公积金缴纳情况",
        E,
        Q,
        "养老、医疗、失业、工伤、生育保险及住房公积金、企业年金的缴纳基数、比例和缴纳情况",
        f"{_REGULATION}第二十三条",
    ),
    DefaultEntry(
        "awards",
        "评先评优与奖惩",
        E,
        EV,
        "先进集体和先进个人的评选条件、程序、候选人和结果，职工奖励与处分",
        f"{_REGULATION}第二十三条",
    ),
    DefaultEntry(
        "promotions-titles",
        "职务晋升与职称评聘",
        E,
        EV,
        "管理人员选拔任用、专业技术职务评聘、技能等级认定的条件、程序和结果",
        f"{_REGULATION}第二十三条",
    ),
    DefaultEntry(
        "recruitment",
        "招聘录用",
        E,
        EV,
        "招聘计划、岗位条件、招聘程序和录用结果",
        f"{_REGULATION}第二十三条",
    ),
    DefaultEntry(
        "entertainment-vehicles",
        "业务招待费和公务用车费用",
        E,
        Q,
        "业务招待费、公务用车购置及运行费用的预算和实际支出",
        f"{_REGULATION}第二十四条；{_SOE}",
        offset_days=15,
    ),
    DefaultEntry(
        "leadership-integrity",
        "企业领导人员廉洁从业情况",
        E,
        Y,
        "领导人员薪酬、兼职、履职待遇、业务支出及廉洁从业相关规定的执行情况",
        f"{_REGULATION}第二十四条",
        offset_days=90,
    ),
    DefaultEntry(
        CONGRESS_RESOLUTIONS,
        "职代会决议及落实情况",
        E,
        EV,
        "职工代表大会审议通过的事项、决议及其落实情况",
        f"{_REGULATION}第十三条",
    ),
    DefaultEntry(
        PROPOSAL_RESULTS,
        "职工代表提案办理结果",
        E,
        EV,
        "职工代表提案的立案、承办和办理结果（提案办结后自动公开）",
        f"{_REGULATION}第十九条",
    ),
    DefaultEntry(
        "collective-contract",
        "集体合同履行情况",
        E,
        Y,
        "集体合同、工资专项集体合同、女职工权益保护专项集体合同的履行情况",
        "《集体合同规定》",
        offset_days=60,
    ),
    # --- 车间务公开 (workshop level, branch union) ---
    DefaultEntry(
        "workshop-bonus",
        "车间奖金分配",
        W,
        M,
        "车间绩效考核结果、奖金分配方案及每名职工的奖金数额",
        f"{_REGULATION}第二十三条",
    ),
    DefaultEntry(
        "workshop-production",
        "车间生产任务与完成情况",
        W,
        M,
        "车间月度生产任务、完成情况及考核结果",
        "",
        offset_days=10,
    ),
    DefaultEntry(
        "workshop-expenses",
        "车间费用支出",
        W,
        Q,
        "车间管理费用、劳动保护用品发放及其他费用支出",
        "",
    ),
    DefaultEntry(
        "workshop-awards",
        "车间评先评优",
        W,
        EV,
        "车间先进个人和班组的评选条件、程序和结果",
        "",
    ),
    # --- 班务公开 (team level, union group) ---
    DefaultEntry(
        "team-attendance",
        "班组考勤与绩效",
        T,
        M,
        "班组成员出勤、加班、工时和绩效考核结果",
        "",
        offset_days=5,
    ),
    DefaultEntry(
        "team-bonus",
        "班组奖金分配",
        T,
        M,
        "班组奖金二次分配方案和每名成员的奖金数额",
        "",
    ),
    DefaultEntry(
        "team-awards",
        "班组评先评优",
        T,
        EV,
        "班组内评先评优、技能鉴定推荐的人选和结果",
        "",
    ),
)


def default_effective_from(today: dt.date | None = None) -> dt.date:
    """New default entries owe disclosures from the start of the current year."""
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1)


@transaction.atomic
def ensure_default_catalogue(*, today: dt.date | None = None) -> int:
    """Create the default entries that are missing; returns how many were created."""
    existing = set(CatalogueEntry.objects.values_list("code", flat=True))
    effective = default_effective_from(today)
    created = 0
    for order, spec in enumerate(DEFAULT_CATALOGUE, start=1):
        if spec.code in existing:
            continue
        entry = CatalogueEntry.objects.create(
            code=spec.code,
            title=spec.title,
            level=spec.level,
            cadence=spec.cadence,
            description=spec.description,
            legal_basis=spec.legal_basis,
            offset_days=(
                spec.offset_days
                if spec.offset_days is not None
                else rules.DEFAULT_OFFSET_DAYS[spec.cadence]
            ),
            remind_days=spec.remind_days if rules.is_scheduled(spec.cadence) else 0,
            effective_from=effective,
            sort_order=order * 10,
        )
        audit.record(
            actor=None,
            action="disclosure.seed_catalogue_entry",
            target=entry,
            data={"code": entry.code},
        )
        created += 1
    return created
