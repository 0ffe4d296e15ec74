"""The demo union: organisation, departments and the demo accounts of DESIGN.md.

Used by `zhijia seed-demo` and by the tests' personas, so both see the same union.
Everything here is idempotent: running it again updates rather than duplicates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.org.actions.accounts import attach_accounts
from zhijia.org.models import Department, Member, OrgUnit, recompute_paths
from zhijia.org.rules import id_check_code

DEMO_PASSWORD = "zhijia-demo"  # noqa: S105  (documented demo password, DESIGN.md)

COMMITTEE = ("U", "示例能源集团工会委员会")
BRANCHES = [
    ("B1", "第一分工会", ["发电一班组", "发电二班组", "检修班组", "运行班组"]),
    ("B2", "第二分工会", ["输配电班组", "变电班组", "调度班组", "线路班组"]),
    ("B3", "第三分工会", ["机关班组", "后勤班组", "财务班组", "营销班组"]),
]
DEPARTMENTS = [
    ("D-PROD", "生产技术部"),
    ("D-EQUIP", "设备管理部"),
    ("D-SAFE", "安全环保部"),
    ("D-HR", "人力资源部"),
    ("D-FIN", "财务部"),
    ("D-SALES", "市场营销部"),
    ("D-ADMIN", "综合办公室"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    gender: str  # "M" / "F"
    unit_code: str | None  # the member's union unit; None: no member record
    employee_no: str | None
    roles: tuple[tuple[str, str | None, str], ...]  # (role, unit or department code, title)
    department_code: str | None = None


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", "M", None, None, ((Role.ADMIN, None, ""),)),
    DemoAccount("chair", "王建国", "M", "U", "E0001", ((Role.CADRE, "U", "主席"),), "D-ADMIN"),
    DemoAccount(
        "branch1", "李春梅", "F", "B1", "E0101", ((Role.CADRE, "B1", "分工会主席"),), "D-PROD"
    ),
    DemoAccount(
        "branch2", "张志强", "M", "B2", "E0201", ((Role.CADRE, "B2", "分工会主席"),), "D-EQUIP"
    ),
    DemoAccount(
        "rep1", "赵卫东", "M", "B1-G1", "E0102", ((Role.REPRESENTATIVE, "B1", ""),), "D-PROD"
    ),
    DemoAccount("worker1", "陈小红", "F", "B1-G1", "E0103", (), "D-PROD"),
    DemoAccount("worker2", "刘伟", "M", "B2-G1", "E0202", (), "D-EQUIP"),
    DemoAccount("handler1", "周敏", "F", None, None, ((Role.HANDLER, "D-HR", "专员"),)),
    DemoAccount("counselor1", "吴静", "F", None, None, ((Role.COUNSELOR, None, ""),)),
    DemoAccount("mediator1", "孙国平", "M", None, None, ((Role.MEDIATOR, "U", ""),)),
    # Branch 1's women workers' committee (module women); like the other role holders without a
    # member record, so that branch 1's demo members stay those the tests know.
    DemoAccount(
        "women1", "黄丽华", "F", None, None, ((Role.WOMEN_COMMITTEE, "B1", "女职工委员会主任"),)
    ),
]


def demo_id_number(serial: int, gender: str, birth: dt.date, region: str = "110101") -> str:
    """A fictional 身份证号 that passes the GB 11643 checksum."""
    seq = (serial % 499) * 2 + (1 if gender == "M" else 0)  # odd 17th digit: male
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_code(first17)


def _set_path(node) -> None:
    recompute_paths(node)


# Union groups whose members pay their dues to the union themselves (the others' are deducted
# from the wage, the default): the demo shows both. Set once; a change made in the demo stays.
SELF_PAY_GROUPS = {
    "B3-G2": "请每月10日前向第三分工会财务（办公楼302室）缴纳，现金或转账均可",
    "B3-G4": "营销人员请每月10日前向第三分工会财务（办公楼302室）缴纳，出差期间可转账",
}


@transaction.atomic
def ensure_demo_structure() -> dict[str, OrgUnit]:
    """The committee, three branch unions with four union groups each, and the departments."""
    units: dict[str, OrgUnit] = {}
    root, _ = OrgUnit.objects.update_or_create(
        code=COMMITTEE[0], defaults={"name": COMMITTEE[1], "kind": OrgUnit.Kind.COMMITTEE}
    )
    _set_path(root)
    units[root.code] = root
    for b_index, (code, name, groups) in enumerate(BRANCHES):
        branch, _ = OrgUnit.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": OrgUnit.Kind.BRANCH,
                "parent": root,
                "sort_order": b_index,
            },
        )
        _set_path(branch)
        units[code] = branch
        for g_index, group_name in enumerate(groups, start=1):
            group, _ = OrgUnit.objects.update_or_create(
                code=f"{code}-G{g_index}",
                defaults={
                    "name": group_name,
                    "kind": OrgUnit.Kind.GROUP,
                    "parent": branch,
                    "sort_order": g_index,
                },
            )
            _set_path(group)
            units[group.code] = group
    for code, note in SELF_PAY_GROUPS.items():
        OrgUnit.objects.filter(code=code, dues_mode="", dues_payment_note="").update(
            dues_mode="self", dues_payment_note=note
        )
    for code, name in DEPARTMENTS:
        dept, _ = Department.objects.update_or_create(code=code, defaults={"name": name})
        _set_path(dept)
    return units


@transaction.atomic
def ensure_demo_accounts(password: str = DEMO_PASSWORD) -> dict[str, User]:
    """The demo accounts of DESIGN.md with their roles and member records.

    The demo password is set directly (it is shorter than the 12 characters required of cadres
    and admins); real accounts get their passwords through the validated forms.
    """
    units = {u.code: u for u in OrgUnit.objects.all()}
    departments = {d.code: d for d in Department.objects.all()}
    hashed = make_password(password)
    users: dict[str, User] = {}
    for index, account in enumerate(DEMO_ACCOUNTS):
        user, created = User.objects.get_or_create(
            username=account.username, defaults={"full_name": account.full_name}
        )
        if created or not user.has_usable_password():
            user.password = hashed
        user.full_name = account.full_name
        user.is_active = True
        user.save()
        for role, scope_code, title in account.roles:
            RoleAssignment.objects.update_or_create(
                user=user,
                role=role,
                org_unit=units.get(scope_code) if scope_code in units else None,
                department=departments.get(scope_code) if scope_code in departments else None,
                defaults={"title": title},
            )
        if account.unit_code and account.employee_no:
            member = Member.objects.filter(employee_no=account.employee_no).first() or Member(
                employee_no=account.employee_no
            )
            birth = dt.date(1975 + index * 2, 1 + index % 12, 10 + index)
            member.name = account.full_name
            member.gender = account.gender
            member.org_unit = units[account.unit_code]
            member.department = departments.get(account.department_code or "")
            member.phone = f"1390000{index:04d}"
            member.job = "职工"
            member.join_date = dt.date(2010 + index, 3, 1)
            member.monthly_wage = Decimal("8000.00") + index * 500
            member.user = user
            member.set_id_number(demo_id_number(index, account.gender, birth))
            from zhijia.org.search import fill_search_fields, index_member

            fill_search_fields(member)
            member.save()
            index_member(member)
        users[account.username] = user
    return users


# --- generated members ------------------------------------------------------------------------
#
# `ensure_demo_members(n)` adds n fictional but plausible members: names drawn from the
# surname frequency list and common given-name characters, ID numbers that pass GB 11643 with
# real region codes and a 17th digit matching the gender, phones, departments, jobs, wages and
# join dates. Member i is always the same person (a random generator seeded with i), with the
# 工号 f"E{100000 + i}", so re-running adds only the members not yet there.

# Surnames with their weight in ‰: the commonest ones, roughly as in the 2020 census.
_SURNAME_TABLE = """
王71 李70 张67 刘54 陈46 杨31 黄22 赵21 吴20 周19 徐14 孙14 马12 朱12 胡11 郭11 何10 高10
林10 罗9 郑8 梁8 谢6 宋6 唐6 许5 韩5 冯5 邓5 曹5 彭5 曾4 肖4 田4 董4 袁4 潘4 于4 蒋4 蔡4
余4 杜4 叶4 程4 苏4 魏3 吕3 丁3 任3 沈3 姚3 卢3 姜3 崔3 钟3 谭3 陆3 汪3 范3 金2 石2 廖2
贾2 夏2 韦2 付2 方2 白2 邹2 孟2 熊2 秦2 邱2 江2 尹2 薛2 闫2 段2 雷2 侯2 龙2 史2 陶1 黎1
贺1 顾1 毛1 郝1 龚1 邵1 万1 钱1 严1 武1 戴1 孔1 常1 欧阳1 上官1
"""
SURNAMES = [
    (m.group(1), int(m.group(2)))
    for m in re.finditer(r"(\D+?)(\d+)", "".join(_SURNAME_TABLE.split()))
]
GIVEN_MALE = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林峰建国志文海东晨阳博"
    "轩睿泽宏亮成兵振永庆春新德松柏卫忠毅立诚铭锋朝晖"
)
GIVEN_FEMALE = (
    "芳娜敏静丽艳娟霞秀英玲燕婷雪慧琳洁颖倩佳梅萍红兰晶欣怡悦琪雯璐瑶涵思梦月莉丹"
    "蕾楠薇晓春桂玉凤华佩瑾琦岚"
)
# Region codes (行政区划代码) of real districts and counties, weighted towards the enterprise's
# own province; 110101 is left to the demo accounts.
_REGION_TABLE = """
140105:12 140106:10 140107:8 140109:6 140121:4 140202:4 140402:4 140581:3 141081:3 140702:3
130102:3 130104:2 130203:2 410105:2 370102:2 150102:2 610103:2 420106:1 320102:1 510104:1
210102:1 620102:1 330106:1
"""
REGIONS = [(code, int(weight)) for code, weight in (p.split(":") for p in _REGION_TABLE.split())]
# Jobs by department, with a wage band (yuan a month) for each.
JOBS = {
    "D-PROD": [
        ("运行值班员", 6500, 11000),
        ("巡检员", 5500, 9000),
        ("主值班员", 8500, 13000),
        ("技术员", 7000, 11000),
        ("生产专工", 9000, 15000),
    ],
    "D-EQUIP": [
        ("电气检修工", 6000, 10500),
        ("机械检修工", 6000, 10000),
        ("热控仪表工", 6500, 11000),
        ("焊工", 6000, 10000),
        ("设备专工", 9000, 14500),
    ],
    "D-SAFE": [("安全员", 6500, 10000), ("环保专责", 7000, 11000), ("安全工程师", 9000, 14000)],
    "D-HR": [("人事专员", 5500, 9000), ("薪酬专员", 6000, 9500), ("培训主管", 8000, 12500)],
    "D-FIN": [("会计", 6000, 10000), ("出纳", 5000, 8000), ("财务主管", 9000, 15000)],
    "D-SALES": [("客户经理", 6500, 12000), ("抄表员", 4500, 7000), ("电费核算员", 5500, 8500)],
    "D-ADMIN": [
        ("行政文员", 4500, 7500),
        ("驾驶员", 4800, 7500),
        ("档案管理员", 4800, 7500),
        ("后勤管理员", 4500, 7000),
    ],
}
# Branch code: (share of the members, departments its members mostly work in).
BRANCH_MIX = {
    "B1": (40, ["D-PROD", "D-PROD", "D-EQUIP", "D-EQUIP", "D-SAFE"]),
    "B2": (35, ["D-EQUIP", "D-EQUIP", "D-PROD", "D-SAFE", "D-SALES"]),
    "B3": (25, ["D-HR", "D-FIN", "D-SALES", "D-SALES", "D-ADMIN", "D-ADMIN"]),
}
PHONE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "158",
    "159",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "199",
]  # 139 is left to the demo accounts

# Births fall between these dates; (day, sequence) slots are handed out by a bijection of the
# member index, so two generated members never share an ID number.
_BIRTH_FIRST = dt.date(1963, 1, 1)
_BIRTH_DAYS = (dt.date(2004, 12, 31) - _BIRTH_FIRST).days + 1
_SLOTS = _BIRTH_DAYS * 500
_SLOT_STEP = 1_000_003  # a prime not dividing _SLOTS: i -> i * step mod _SLOTS is one-to-one
# Ages, employment types and wages are computed at this date, so member i never changes.
_REFERENCE_DATE = dt.date(2025, 6, 30)

DEMO_EMPLOYEE_BASE = 100000


def demo_employee_no(index: int) -> str:
    return f"E{DEMO_EMPLOYEE_BASE + index}"


def _weighted(rng, pairs):
    values = [v for v, _ in pairs]
    weights = [w for _, w in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


@dataclass(frozen=True)
class DemoPerson:
    employee_no: str
    name: str
    gender: str
    id_number: str
    phone: str
    unit_code: str
    department_code: str
    job: str
    employment_type: str
    join_date: dt.date
    status: str
    monthly_wage: Decimal


def demo_person(index: int) -> DemoPerson:
    """The demo member number `index` (1-based); always the same for the same index."""
    import random

    rng = random.Random(f"zhijia-demo-member-{index}")
    gender = "F" if rng.random() < 0.38 else "M"
    pool = GIVEN_FEMALE if gender == "F" else GIVEN_MALE
    given = "".join(rng.choice(pool) for _ in range(1 if rng.random() < 0.3 else 2))
    name = _weighted(rng, SURNAMES) + given

    slot = (index * _SLOT_STEP) % _SLOTS
    birth = _BIRTH_FIRST + dt.timedelta(days=slot % _BIRTH_DAYS)
    seq = (slot // _BIRTH_DAYS) * 2 + (1 if gender == "M" else 0)
    first17 = f"{_weighted(rng, REGIONS)}{birth:%Y%m%d}{seq:03d}"
    id_number = first17 + id_check_code(first17)

    phone = rng.choice(PHONE_PREFIXES) + f"{(index * 73_939_133 + 12_345_678) % 100_000_000:08d}"

    branch = _weighted(rng, [(code, share) for code, (share, _) in BRANCH_MIX.items()])
    unit_code = f"{branch}-G{rng.randint(1, 4)}"
    department_code = rng.choice(BRANCH_MIX[branch][1])
    job, low, high = rng.choice(JOBS[department_code])

    age = (_REFERENCE_DATE - birth).days // 365
    if age >= 60:
        employment_type = Member.EmploymentType.REHIRED
    elif age <= 23 and rng.random() < 0.5:
        employment_type = Member.EmploymentType.INTERN
    else:
        employment_type = _weighted(
            rng,
            [
                (Member.EmploymentType.REGULAR, 82),
                (Member.EmploymentType.DISPATCHED, 12),
                (Member.EmploymentType.TEMPORARY, 6),
            ],
        )
    wage = Decimal(rng.randint(low, high)) + Decimal(rng.randint(0, 99)) / 100
    if employment_type in {Member.EmploymentType.INTERN, Member.EmploymentType.TEMPORARY}:
        wage = (wage * Decimal("0.6")).quantize(Decimal("0.01"))

    earliest = max(dt.date(birth.year + 20, birth.month, 1), dt.date(1995, 1, 1))
    span = max((_REFERENCE_DATE - earliest).days, 30)
    join_date = earliest + dt.timedelta(days=rng.randrange(span))

    status = _weighted(
        rng,
        [
            (Member.Status.ACTIVE, 960),
            (Member.Status.RETIRED, 20),
            (Member.Status.TRANSFERRED_OUT, 15),
            (Member.Status.EXPELLED, 5),
        ],
    )
    return DemoPerson(
        employee_no=demo_employee_no(index),
        name=name,
        gender=gender,
        id_number=id_number,
        phone=phone,
        unit_code=unit_code,
        department_code=department_code,
        job=job,
        employment_type=str(employment_type),
        join_date=join_date,
        status=str(status),
        monthly_wage=wage,
    )


def ensure_demo_members(count: int, *, batch_size: int = 1000, progress=None) -> int:
    """Create the demo members 1..count that do not exist yet; returns how many were created.

    Needs ensure_demo_structure() first. Existing members are left as they are (a cadre may
    have edited them), so re-running creates nothing.
    """
    from zhijia.org.search import fill_search_fields

    units = {u.code: u for u in OrgUnit.objects.filter(code__in=_demo_unit_codes())}
    departments = {d.code: d for d in Department.objects.all()}
    existing = set(
        Member.objects.filter(employee_no__startswith="E1").values_list("employee_no", flat=True)
    )
    created = 0
    batch: list[Member] = []
    # One hash for every demo member (hashing thousands with Argon2 would take minutes); the
    # demo password is public anyway. Real members activate their own accounts.
    demo_hash = make_password(DEMO_PASSWORD)

    def flush() -> None:
        nonlocal created
        if batch:
            with transaction.atomic():
                attach_accounts(batch, password_hash=demo_hash)
                Member.objects.bulk_create(batch, batch_size=batch_size)
            created += len(batch)
            batch.clear()
            if progress:
                progress(created)

    for index in range(1, count + 1):
        employee_no = demo_employee_no(index)
        if employee_no in existing:
            continue
        person = demo_person(index)
        member = Member(
            employee_no=person.employee_no,
            name=person.name,
            gender=person.gender,
            phone=person.phone,
            org_unit=units[person.unit_code],
            department=departments.get(person.department_code),
            job=person.job,
            employment_type=person.employment_type,
            join_date=person.join_date,
            status=person.status,
            monthly_wage=person.monthly_wage,
        )
        member.set_id_number(person.id_number)
        fill_search_fields(member)
        batch.append(member)
        if len(batch) >= batch_size:
            flush()
    flush()
    # Members seeded before every member had an account get theirs now.
    with transaction.atomic():
        attach_accounts(
            Member.objects.filter(user__isnull=True, employee_no__startswith="E1"),
            password_hash=demo_hash,
        )
    return created


def _demo_unit_codes() -> list[str]:
    codes = [COMMITTEE[0]]
    for code, _name, groups in BRANCHES:
        codes.append(code)
        codes.extend(f"{code}-G{i}" for i in range(1, len(groups) + 1))
    return codes


def _add_months(month: dt.date, delta: int) -> dt.date:
    total = month.year * 12 + month.month - 1 + delta
    return dt.date(total // 12, total % 12 + 1, 1)


def ensure_demo_dues(
    months: int = 6, *, today: dt.date | None = None, batch_size: int = 2000
) -> int:
    """Dues records for the last `months` months (this month included) of every active member
    with a wage: the amount by rules.monthly_dues; older months almost all paid, this month
    about half (dues are collected with the payroll). Returns how many records were created;
    months already recorded are left alone.
    """
    import random

    from django.utils import timezone

    from zhijia.org.models import DuesRecord
    from zhijia.org.rules import monthly_dues

    today = today or timezone.localdate()
    now = timezone.now()
    current = today.replace(day=1)
    tz = timezone.get_current_timezone()
    members = list(
        Member.objects.filter(status=Member.Status.ACTIVE, monthly_wage__isnull=False)
        .order_by("pk")
        .values_list("pk", "employee_no", "monthly_wage", "join_date", "org_unit__code")
    )
    created = 0
    for back in range(months - 1, -1, -1):
        month = _add_months(current, -back)
        next_month = _add_months(month, 1)
        have = set(DuesRecord.objects.filter(month=month).values_list("member_id", flat=True))
        rows: list[DuesRecord] = []
        for pk, employee_no, wage, join_date, unit_code in members:
            if pk in have or wage is None or (join_date is not None and join_date >= next_month):
                continue
            rng = random.Random(f"zhijia-demo-dues-{employee_no}-{month:%Y%m}")
            paid_at = None
            if rng.random() < (0.55 if back == 0 else 0.97):
                day = rng.randint(8, 25)
                paid_at = dt.datetime(month.year, month.month, day, 10, 0, tzinfo=tz)
                if paid_at > now:
                    paid_at = None
            amount = monthly_dues(wage)
            via = DuesRecord.PaidVia.DESK if unit_code in SELF_PAY_GROUPS else "payroll"
            rows.append(
                DuesRecord(
                    member_id=pk,
                    month=month,
                    wage_income=wage,
                    amount=amount,
                    paid_at=paid_at,
                    paid_amount=amount if paid_at else None,
                    paid_via=via if paid_at else "",
                )
            )
        with transaction.atomic():
            DuesRecord.objects.bulk_create(rows, batch_size=batch_size)
        created += len(rows)
    return created


def demo_accounts_table() -> list[str]:
    """The demo accounts as printable lines (username, name, role and scope)."""
    from zhijia.accounts.models import Role as RoleChoices

    role_names = dict(RoleChoices.choices)
    unit_names = {COMMITTEE[0]: COMMITTEE[1]} | {code: name for code, name, _ in BRANCHES}
    unit_names |= dict(DEPARTMENTS)
    lines = [f"{'username':<12} {'password':<12} name / role", "-" * 60]
    for account in DEMO_ACCOUNTS:
        roles = []
        for role, scope, title in account.roles:
            text = str(title or role_names.get(role, role))
            if scope:
                text += f"（{unit_names.get(scope, scope)}）"
            roles.append(text)
        if account.unit_code:
            roles.append("会员")
        lines.append(
            f"{account.username:<12} {DEMO_PASSWORD:<12} {account.full_name} · {'、'.join(roles)}"
        )
    other = "其余演示会员（含 120 名职工代表）：用工号或手机号登录"
    lines.append(f"{'E100001…':<12} {DEMO_PASSWORD:<12} {other}")
    return lines
