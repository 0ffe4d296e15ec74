"""The demo union: organisation, departments and the demo accounts of DESIGN.md.

Used by `zhijia seed-demo` and by the tests' personas, so both see the same union.
Everything here is idempotent: running it again updates rather than duplicates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from zhijia.accounts.models import Role, RoleAssignment, User
from zhijia.org.models import Department, Member, OrgUnit
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
    DemoAccount(
        "chair", "王建国", "M", "U", "E0001", ((Role.CADRE, "U", "主席"),), "D-ADMIN"
    ),
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
]


def demo_id_number(serial: int, gender: str, birth: dt.date, region: str = "110101") -> str:
    """A fictional 身份证号 that passes the GB 11643 checksum."""
    seq = (serial % 499) * 2 + (1 if gender == "M" else 0)  # odd 17th digit: male
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_code(first17)


def _set_path(node) -> None:
    path = (node.parent.path if node.parent else "/") + f"{node.pk}/"
    if node.path != path:
        node.path = path
        node.save(update_fields=["path"])


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
            from zhijia.org.search import fill_search_fields

            fill_search_fields(member)
            member.save()
        users[account.username] = user
    return users
