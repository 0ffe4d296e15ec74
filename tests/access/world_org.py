"""The world of tests/access/test_org.py (org, accounts, core, files), built once per module,
and the fingerprint that a refused write must leave unchanged."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.access.framework import World, fingerprint, make_clients


def build_world() -> World:
    """The demo union, its personas (signed in: a client each for the pages and the API)
    and a few records per route: a group and a merge target in each branch, a department,
    a member to activate and a join application in each branch, a notification each."""
    from zhijia.accounts.models import User
    from zhijia.accounts.tests.activation_helpers import new_member
    from zhijia.core.notify import notify
    from zhijia.org.actions.departments import do_create_department
    from zhijia.org.actions.joining import do_submit_join_application
    from zhijia.org.actions.units import do_create_unit
    from zhijia.org.demo import demo_id_number, ensure_demo_accounts, ensure_demo_structure
    from zhijia.org.models import Department, Member, OrgUnit
    from zhijia.org.tests.member_factory import valid_id_number

    ensure_demo_structure()
    personas = ensure_demo_accounts()
    admin, chair = personas["admin"], personas["chair"]
    branch = {"b1": OrgUnit.objects.get(code="B1"), "b2": OrgUnit.objects.get(code="B2")}
    group = {"b1": OrgUnit.objects.get(code="B1-G1"), "b2": OrgUnit.objects.get(code="B2-G1")}
    # A union group in each branch (no members: it may be closed or merged) and a second one
    # as the merge target.
    unit = {t: do_create_unit(actor=admin, parent=branch[t], name="矩阵一组") for t in branch}
    unit2 = {t: do_create_unit(actor=admin, parent=branch[t], name="矩阵二组") for t in branch}
    dept_parent = Department.objects.get(code="D-PROD")
    dept = do_create_department(actor=admin, parent=None, name="矩阵部门")
    # A member without an account password (to activate) in each branch.
    member = {
        t: new_member(
            chair,
            f"M900{index}",
            unit_code=group[t].code,
            phone=f"1381234900{index}",
            serial=940 + index,
            name=f"矩阵会员{index}",
        )[0]
        for index, t in enumerate(("b1", "b2"))
    }
    # A join application under review in each branch.
    app = {}
    for index, t in enumerate(("b1", "b2")):
        receipt = do_submit_join_application(
            actor=None,
            name=f"矩阵申请{index}",
            id_number=demo_id_number(950 + index, "F", dt.date(1996, 5, 12)),
            phone=f"1380000900{index}",
            org_unit=group[t],
            department=None,
            employment_type=Member.EmploymentType.REGULAR,
            statement="",
            pledge=True,
            consent=True,
        )
        app[t] = receipt.application
    # A notification for every persona, and one for somebody else.
    other_user = User.objects.create(username="matrix-other", full_name="旁人")
    notes = {
        name: notify(recipients=[user], kind="core.test", title="矩阵", body="矩阵")[0]
        for name, user in personas.items()
    }
    other_note = notify(recipients=[other_user], kind="core.test", title="矩阵", body="矩阵")[0]
    join_payload = {
        "name": "矩阵入会",
        "id_number": valid_id_number("M"),
        "phone": "13500005555",
        "org_unit_id": group["b1"].pk,
        "employment_type": "regular",
        "pledge": True,
        "consent": True,
    }

    def create_member(t):
        return {
            "employee_no": "M9100",
            "name": "矩阵新会员",
            "gender": "F",
            "id_number": valid_id_number("F"),
            "org_unit_id": group[t].pk,
        }

    def deduction_upload(t):
        from django.core.files.uploadedfile import SimpleUploadedFile

        no = member[t].employee_no
        body = f"工号,扣缴金额,月份\n{no},40,2026-10\n".encode()
        return {"month": "2026-10", "file": SimpleUploadedFile("代扣.csv", body)}

    data = {
        # Every member's full ID number: no page shows one (it is masked; reveal-id is a step).
        "id_numbers": [n for n in (m.get_id_number() for m in Member.objects.all()) if n],
        "personas": personas,
        "deduction_upload": deduction_upload,
        "branch": {t: u.pk for t, u in branch.items()},
        "unit": {t: u.pk for t, u in unit.items()},
        "unit2": {t: u.pk for t, u in unit2.items()},
        "dept": dept.pk,
        "dept_parent": dept_parent.pk,
        "member": {t: m.pk for t, m in member.items()},
        "app": {t: a.pk for t, a in app.items()},
        "notes": {name: n.pk for name, n in notes.items()},
        "other_note": other_note.pk,
        "join_payload": join_payload,
        "create_member": create_member,
    }

    def ids(persona: str, target) -> dict:
        values = {"dept": data["dept"], "nofile": uuid.UUID(int=7), "note": data["other_note"]}
        if target in ("b1", "b2"):
            for kind in ("member", "unit", "app"):
                values[kind] = data[kind][target]
        elif target == "own" and persona in data["notes"]:
            values["note"] = data["notes"][persona]
        return values

    return World(data=data, ids=ids, fingerprint=org_fingerprint, clients=make_clients(personas))


def org_fingerprint() -> tuple:
    """What a write in these modules could change (besides the audit log and notifications):
    every row of the members, their dues, union units, departments, join applications and
    accounts."""
    from zhijia.accounts.models import User
    from zhijia.org.models import Department, DuesRecord, JoinApplication, Member, OrgUnit

    return fingerprint(Member, DuesRecord, OrgUnit, Department, JoinApplication, User)
