"""The world of the access matrix (zhijia/org/tests/test_access_matrix.py), built once per
module, and the fingerprint that a refused write must leave unchanged."""

from __future__ import annotations

import datetime as dt

from django.test import Client

ANON = "anonymous"


def build_world() -> dict:
    """The demo union, its personas (signed in: a client each for the pages and the API)
    and a few records per route: a group and a merge target in each branch, a department,
    a member to activate and a join application in each branch, a notification each."""
    from zhijia.accounts.models import ApiToken, User
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
    tokens = {name: ApiToken.issue(user) for name, user in personas.items()}
    devices = {name: _totp_device(user) for name, user in personas.items()}
    clients = {(ANON, False): Client(), (ANON, True): Client()}
    for name, user in personas.items():
        clients[(name, True)] = Client(headers={"Authorization": f"Bearer {tokens[name]}"})
        clients[(name, False)] = _signed_in_client(user, devices[name])
    # One request handler for all of them: each handler loads the middleware once (WhiteNoise
    # then scans the static files), which costs more than a row's request.
    shared = clients[(ANON, False)].handler
    for client in clients.values():
        client.handler = shared
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

    return {
        "personas": personas,
        "branch": {t: u.pk for t, u in branch.items()},
        "unit": {t: u.pk for t, u in unit.items()},
        "unit2": {t: u.pk for t, u in unit2.items()},
        "dept": dept.pk,
        "dept_parent": dept_parent.pk,
        "member": {t: m.pk for t, m in member.items()},
        "app": {t: a.pk for t, a in app.items()},
        "notes": {name: n.pk for name, n in notes.items()},
        "other_note": other_note.pk,
        "tokens": tokens,
        "devices": devices,
        "join_payload": join_payload,
        "clients": {
            key: (client, {k: v.value for k, v in client.cookies.items()})
            for key, client in clients.items()
        },
        "create_member": create_member,
    }


def _totp_device(user) -> str:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    return device.persistent_id


def _signed_in_client(user, device: str) -> Client:
    client = Client()
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device  # a completed TOTP step
    session.save()
    return client


def fingerprint() -> tuple:
    """What a write in these modules could change: the audit log and the records' counts."""
    from zhijia.core.models import AuditEvent, Notification
    from zhijia.org.models import Department, JoinApplication, Member, OrgUnit

    return (
        AuditEvent.objects.count(),
        Notification.objects.filter(read_at__isnull=True).count(),
        Notification.objects.count(),
        Member.objects.filter(status=Member.Status.ACTIVE).count(),
        Member.objects.count(),
        OrgUnit.objects.filter(closed_at__isnull=True).count(),
        sorted(OrgUnit.objects.values_list("name", flat=True)),
        Department.objects.filter(closed_at__isnull=True).count(),
        sorted(Department.objects.values_list("name", flat=True)),
        sorted(JoinApplication.objects.values_list("state", flat=True)),
    )
