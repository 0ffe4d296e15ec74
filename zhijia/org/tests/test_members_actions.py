"""Member actions: create, update (audited field by field), status, transfer, reveal."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.core.audit import verify_chain
from zhijia.core.models import AuditEvent
from zhijia.org.actions import members as actions
from zhijia.org.models import Department, Member, MemberTransfer, OrgUnit
from zhijia.org.queries import members as queries
from zhijia.org.tests.member_factory import make_member, valid_id_number


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def create(actor, unit_code="B1-G2", **overrides):
    fields = {
        "employee_no": "N0001",
        "name": "欧阳娜娜",
        "gender": "F",
        "id_number": valid_id_number("F"),
        "phone": "139 0000 5555",
        "job": "运行值班员",
        "employment_type": Member.EmploymentType.DISPATCHED,
        "join_date": dt.date(2020, 5, 1),
        "monthly_wage": Decimal("7200.50"),
    }
    fields.update(overrides)
    return actions.do_create_member(
        actor=actor, org_unit=OrgUnit.objects.get(code=unit_code), **fields
    )


def test_create_member_encrypts_masks_indexes_and_audits(personas):
    id_number = valid_id_number("F")
    member = create(personas["branch1"], id_number=id_number.lower())
    member.refresh_from_db()
    assert member.get_id_number() == id_number
    assert id_number not in member.id_number_encrypted
    assert member.id_number_masked == id_number[:4] + "*" * 10 + id_number[-4:]
    assert member.name_pinyin == "ouyangnana" and member.name_initials == "oynn"
    assert member.phone == "13900005555"
    assert member.status == Member.Status.ACTIVE
    (event,) = events("org.create_member")
    assert event.actor_id == personas["branch1"].pk
    assert event.target_id == str(member.pk)
    assert event.unit_path == member.org_unit.path
    assert id_number not in json.dumps(event.data, ensure_ascii=False)
    assert list(verify_chain()) == []


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"id_number": "110105194912310021"}, "id_number", "身份证号校验位不正确"),
        ({"id_number": "12345"}, "id_number", "身份证号应为18位"),
        ({"id_number": ""}, "id_number", "请填写身份证号"),
        ({"gender": "M"}, "gender", "性别与身份证号不符"),
        ({"employee_no": "  "}, "employee_no", "请填写工号"),
        ({"name": ""}, "name", "请填写姓名"),
        ({"phone": "12345678901234567"}, "phone", "手机号应为5至15位数字"),
        ({"employment_type": "boss"}, "employment_type", "用工性质无效"),
        ({"join_date": dt.date(2999, 1, 1)}, "join_date", "入会日期不能晚于今天"),
        ({"monthly_wage": "-1"}, "monthly_wage", "月工资收入应在"),
        ({"monthly_wage": "lots"}, "monthly_wage", "月工资收入应为金额"),
    ],
)
def test_create_member_validation_in_chinese(personas, overrides, field, message):
    with pytest.raises(actions.MemberRefused) as info:
        create(personas["branch1"], **overrides)
    assert any(message in m for m in info.value.errors[field])
    assert not Member.objects.filter(employee_no="N0001").exists()
    assert events("org.create_member") == []


def test_duplicates_are_conflicts(personas):
    id_number = valid_id_number("F")
    create(personas["branch1"], id_number=id_number)
    with pytest.raises(actions.MemberConflict) as info:
        create(personas["branch1"], id_number=valid_id_number("F"))
    assert "工号 N0001 已被其他会员使用" in info.value.errors["employee_no"]
    with pytest.raises(actions.MemberConflict) as info:
        create(personas["branch1"], employee_no="N0002", id_number=id_number)
    assert "id_number" in info.value.errors


def test_create_outside_scope_is_denied(personas):
    with pytest.raises(PermissionDenied):
        create(personas["branch1"], unit_code="B2-G1")
    for username in ["admin", "rep1", "worker1", "handler1", "counselor1", "mediator1"]:
        with pytest.raises(PermissionDenied):
            create(personas[username])
    assert not Member.objects.filter(employee_no="N0001").exists()


def test_update_audits_old_and_new_values_but_masks_the_id_number(personas):
    member = make_member("B1-G3", name="李四", gender="M", phone="13911112222", wage="5000")
    old_id = member.get_id_number()
    new_id = valid_id_number("M")
    dept = Department.objects.get(code="D-SAFE")
    changed = actions.do_update_member(
        actor=personas["branch1"],
        member=member,
        changes={
            "name": "李思",
            "phone": "13933334444",
            "id_number": new_id,
            "department": dept,
            "monthly_wage": Decimal("5200"),
            "job": "",  # unchanged
        },
    )
    assert changed == ["department", "id_number", "monthly_wage", "name", "phone"]
    member.refresh_from_db()
    assert member.get_id_number() == new_id
    assert member.name_pinyin == "lisi"  # 李思
    (event,) = events("org.update_member")
    data = event.data
    assert data["fields"] == changed
    assert data["changed"]["phone"] == ["13911112222", "13933334444"]
    assert data["changed"]["name"] == ["李四", "李思"]
    assert data["changed"]["department"] == [None, "安全环保部"]
    assert data["changed"]["monthly_wage"] == ["5000.00", "5200.00"]
    assert data["changed"]["id_number"]["changed"] is True
    assert data["changed"]["id_number"]["new"] == member.id_number_masked
    dumped = json.dumps(data, ensure_ascii=False)
    assert old_id not in dumped and new_id not in dumped
    assert list(verify_chain()) == []


def test_update_with_no_change_writes_nothing(personas):
    member = make_member("B1-G3", name="李四")
    assert (
        actions.do_update_member(
            actor=personas["branch1"],
            member=member,
            changes={"name": "李四", "id_number": member.get_id_number()},
        )
        == []
    )
    assert events("org.update_member") == []


def test_update_gender_is_checked_against_the_stored_id(personas):
    member = make_member("B1-G3", gender="M")
    with pytest.raises(actions.MemberRefused) as info:
        actions.do_update_member(actor=personas["branch1"], member=member, changes={"gender": "F"})
    assert "性别与身份证号不符" in info.value.errors["gender"][0]
    # changing both together is fine
    actions.do_update_member(
        actor=personas["branch1"],
        member=member,
        changes={"gender": "F", "id_number": valid_id_number("F")},
    )
    member.refresh_from_db()
    assert member.gender == "F"


def test_update_conflicting_employee_no(personas):
    member = make_member("B1-G3")
    with pytest.raises(actions.MemberConflict):
        actions.do_update_member(
            actor=personas["branch1"], member=member, changes={"employee_no": "E0103"}
        )


def test_update_and_status_outside_scope_denied(personas):
    member = make_member("B2-G1")
    with pytest.raises(PermissionDenied):
        actions.do_update_member(actor=personas["branch1"], member=member, changes={"job": "x"})
    with pytest.raises(PermissionDenied):
        actions.do_change_member_status(
            actor=personas["branch1"], member=member, status=Member.Status.RETIRED
        )
    with pytest.raises(PermissionDenied):
        actions.do_update_member(actor=personas["admin"], member=member, changes={"job": "x"})


def test_change_status(personas):
    member = make_member("B1-G3")
    assert actions.do_change_member_status(
        actor=personas["branch1"], member=member, status=Member.Status.RETIRED, reason="到龄"
    )
    member.refresh_from_db()
    assert member.status == Member.Status.RETIRED
    (event,) = events("org.change_member_status")
    assert event.data == {"changed": {"status": ["active", "retired"]}, "reason": "到龄"}
    # the same status again: nothing to do, nothing audited
    assert not actions.do_change_member_status(
        actor=personas["branch1"], member=member, status=Member.Status.RETIRED
    )
    assert len(events("org.change_member_status")) == 1
    with pytest.raises(actions.MemberRefused):
        actions.do_change_member_status(
            actor=personas["branch1"], member=member, status=Member.Status.TRANSFERRED_OUT
        )
    with pytest.raises(actions.MemberRefused):
        actions.do_change_member_status(actor=personas["branch1"], member=member, status="gone")


def test_bulk_status_is_all_or_nothing(personas):
    mine = make_member("B1-G3")
    theirs = make_member("B2-G3")
    with pytest.raises(PermissionDenied):
        actions.do_bulk_change_status(
            actor=personas["branch1"], members=[mine, theirs], status=Member.Status.EXPELLED
        )
    mine.refresh_from_db()
    assert mine.status == Member.Status.ACTIVE


def test_transfer_within_branch_keeps_history(personas, demo_units):
    member = make_member("B1-G1")
    transfer = actions.do_transfer_member(
        actor=personas["branch1"],
        member=member,
        to_unit=demo_units["B1-G4"],
        effective_date=dt.date(2024, 7, 1),
        reason="岗位调动",
    )
    member.refresh_from_db()
    assert member.org_unit == demo_units["B1-G4"]
    assert member.status == Member.Status.ACTIVE
    assert (transfer.from_unit, transfer.to_unit) == (demo_units["B1-G1"], demo_units["B1-G4"])
    actions.do_transfer_member(
        actor=personas["chair"],
        member=member,
        to_unit=demo_units["B3-G2"],
        effective_date=dt.date(2025, 1, 1),
        reason="调往第三分工会",
    )
    history = list(queries.transfers_of(member))
    assert [(t.from_unit.code, t.to_unit.code) for t in history] == [
        ("B1-G4", "B3-G2"),
        ("B1-G1", "B1-G4"),
    ]
    assert [e.data["to_unit"] for e in events("org.transfer_member")] == ["运行班组", "后勤班组"]


def test_branch_cadre_cannot_transfer_into_a_sibling_or_from_one(personas, demo_units):
    member = make_member("B1-G1")
    with pytest.raises(PermissionDenied):
        actions.do_transfer_member(
            actor=personas["branch1"],
            member=member,
            to_unit=demo_units["B2-G1"],
            effective_date=dt.date(2024, 7, 1),
        )
    other = make_member("B2-G1")
    with pytest.raises(PermissionDenied):
        actions.do_transfer_member(
            actor=personas["branch1"],
            member=other,
            to_unit=demo_units["B1-G1"],
            effective_date=dt.date(2024, 7, 1),
        )
    assert MemberTransfer.objects.count() == 0


def test_transfer_out_of_the_union_sets_status(personas, demo_units):
    member = make_member("B1-G2")
    actions.do_transfer_member(
        actor=personas["branch1"],
        member=member,
        to_unit=None,
        effective_date=dt.date(2024, 9, 30),
        reason="调离本企业",
    )
    member.refresh_from_db()
    assert member.status == Member.Status.TRANSFERRED_OUT
    assert member.org_unit == demo_units["B1-G2"]
    (t,) = queries.transfers_of(member)
    assert t.to_unit is None and t.reason == "调离本企业"
    with pytest.raises(actions.MemberRefused) as info:
        actions.do_transfer_member(
            actor=personas["branch1"],
            member=member,
            to_unit=demo_units["B1-G3"],
            effective_date=dt.date(2024, 10, 1),
        )
    assert "只有在册会员可以办理转移" in info.value.message


def test_transfer_to_the_same_unit_is_refused(personas, demo_units):
    member = make_member("B1-G2")
    with pytest.raises(actions.MemberRefused) as info:
        actions.do_transfer_member(
            actor=personas["branch1"],
            member=member,
            to_unit=demo_units["B1-G2"],
            effective_date=dt.date(2024, 10, 1),
        )
    assert "to_unit" in info.value.errors


def test_reveal_id_number_is_audited_and_needs_the_permission(personas):
    member = make_member("B1-G2")
    assert actions.do_reveal_id_number(actor=personas["branch1"], member=member) == (
        member.get_id_number()
    )
    (event,) = events("org.reveal_id_number")
    assert event.actor_id == personas["branch1"].pk and event.target_id == str(member.pk)
    assert member.get_id_number() not in json.dumps(event.data)
    for username in ["branch2", "admin", "rep1", "worker1"]:
        with pytest.raises(PermissionDenied):
            actions.do_reveal_id_number(actor=personas[username], member=member)
    assert len(events("org.reveal_id_number")) == 1
