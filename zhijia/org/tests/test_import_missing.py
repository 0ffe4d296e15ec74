"""Roster import of a file naming departments and union units the system lacks, and rosters
without 所属工会: listed in the preview, created on confirmation, still all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from zhijia.accounts.models import User
from zhijia.core.models import AuditEvent
from zhijia.org.actions.roster_import import (
    COLUMNS,
    ImportRejected,
    MissingNotConfirmed,
    import_roster,
    preview_roster,
)
from zhijia.org.models import Department, Member, OrgUnit
from zhijia.org.rules import id_check_code

SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静丽强磊军洋"


def make_id(i: int, *, bad_checksum: bool = False) -> str:
    first17 = f"110101{1970 + i // 400:04d}0101{i % 400:03d}"
    check = id_check_code(first17)
    if bad_checksum:
        check = "0" if check != "0" else "1"
    return first17 + check


def person(i: int, **cells: str) -> dict[str, str]:
    row = {
        "工号": f"N{i:05d}",
        "姓名": SURNAMES[i % 10] + GIVEN[(i // 10) % 10] + GIVEN[(i // 100) % 10],
        "身份证号": make_id(i),
        "所属工会": "B1",
    }
    row.update(cells)
    return row


def roster(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> bytes:
    lines = [",".join(columns)]
    lines += [",".join(r.get(c, "") for c in columns) for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def counts() -> tuple[int, int, int, int]:
    return (
        Member.objects.count(),
        Department.objects.count(),
        OrgUnit.objects.count(),
        User.objects.count(),
    )


# --- 5,000 rows, 30 new departments -----------------------------------------------------------
@pytest.mark.django_db
def test_thirty_new_departments_created_with_five_thousand_members(personas):
    chair = personas["chair"]
    rows = [person(i, 部门=f"新建部门{i % 30:02d}") for i in range(5000)]
    bad_rows = [dict(r) for r in rows]
    bad_rows[4319]["身份证号"] = make_id(4319, bad_checksum=True)  # spreadsheet row 4,321
    before = counts()

    preview = preview_roster(roster(rows), actor=chair)
    assert preview.errors == [] and preview.new_members == 5000
    assert [(m.kind, m.label, m.parent) for m in preview.missing] == [
        ("department", f"新建部门{k:02d}", "") for k in range(30)
    ]
    assert sum(m.rows for m in preview.missing) == 5000
    assert preview.missing[0].first_row == 2

    # Confirmed, but one bad row: still nothing at all.
    with pytest.raises(ImportRejected) as rejected:
        import_roster(roster(bad_rows), actor=chair, create_missing=True)
    assert [(e.row, e.column, e.reason) for e in rejected.value.errors] == [
        (4321, "身份证号", "身份证号校验位不正确")
    ]
    assert len(rejected.value.missing) == 30  # shown alongside, not as errors
    assert counts() == before

    result = import_roster(roster(rows), actor=chair, create_missing=True)
    assert (result.created, result.updated) == (5000, 0)
    assert result.created_departments == tuple(f"新建部门{k:02d}" for k in range(30))
    assert result.created_units == ()
    members, departments, units, users = counts()
    assert (members, departments, units, users) == (
        before[0] + 5000,
        before[1] + 30,
        before[2],
        before[3] + 5000,
    )
    imported = Member.objects.filter(employee_no__startswith="N")
    assert not imported.filter(user__isnull=True).exists()
    sample = imported.select_related("user").get(employee_no="N00007")
    assert sample.user is not None
    assert (sample.user.username, sample.user.full_name) == ("m.N00007", sample.name)
    assert sample.user.is_active and not sample.user.has_usable_password()
    assert imported.filter(department__name="新建部门07").count() in (166, 167)
    new = Department.objects.get(name="新建部门07")
    assert new.parent is None and new.path == f"/{new.pk}/" and new.code.startswith("D-")
    event = AuditEvent.objects.get(action="org.import_create_structure")
    assert event.actor_label == "chair"
    assert [d["name"] for d in event.data["departments"]] == list(result.created_departments)
    assert AuditEvent.objects.get(action="org.import_members").data["created_departments"] == 30


# --- where new units and departments go -------------------------------------------------------
@pytest.mark.django_db
def test_new_units_go_under_the_cadres_unit_and_paths_name_parents(personas, demo_units):
    branch1, b1 = personas["branch1"], demo_units["B1"]
    rows = [
        person(1, 所属工会="新班组甲", 部门="生产技术部/一车间"),
        person(2, 所属工会="第一分工会/新班组乙", 部门="新部门/二车间"),
        person(3, 所属工会="新班组甲", 部门="新部门"),
        person(4, 所属工会="发电一班组", 部门="生产技术部"),
    ]
    with pytest.raises(MissingNotConfirmed) as info:
        import_roster(roster(rows), actor=branch1)
    assert [(m.kind, m.label, m.parent, m.rows) for m in info.value.missing] == [
        ("department", "生产技术部/一车间", "生产技术部", 1),
        ("department", "新部门", "", 2),
        ("department", "新部门/二车间", "新部门", 1),
        ("unit", "第一分工会/新班组甲", "第一分工会", 2),
        ("unit", "第一分工会/新班组乙", "第一分工会", 1),
    ]
    result = import_roster(
        roster(rows), actor=branch1, create_missing={m.key for m in info.value.missing}
    )
    assert result.created == 4
    assert result.created_units == ("第一分工会/新班组甲", "第一分工会/新班组乙")
    group = OrgUnit.objects.get(name="新班组甲")
    assert (group.parent, group.kind, group.code) == (b1, OrgUnit.Kind.GROUP, "B1-G5")
    assert group.path == f"{b1.path}{group.pk}/" and group.is_within(b1)
    assert OrgUnit.objects.get(name="新班组乙").code == "B1-G6"
    assert Member.objects.get(employee_no="N00001").org_unit == group
    workshop = Department.objects.get(name="一车间")
    assert workshop.parent == Department.objects.get(code="D-PROD")
    assert workshop.path == f"{workshop.parent.path}{workshop.pk}/"
    two = Department.objects.get(name="二车间")
    assert two.parent == Department.objects.get(name="新部门")
    assert Member.objects.get(employee_no="N00002").department == two
    event = AuditEvent.objects.get(action="org.import_create_structure")
    assert event.unit_path == b1.path
    assert [u["name"] for u in event.data["units"]] == list(result.created_units)


@pytest.mark.django_db
def test_confirmation_covers_only_what_was_listed(personas):
    rows = [person(1, 部门="甲部门"), person(2, 部门="乙部门")]
    with pytest.raises(MissingNotConfirmed) as info:
        import_roster(roster(rows), actor=personas["branch1"], create_missing={"department:甲部门"})
    assert [m.label for m in info.value.missing] == ["甲部门", "乙部门"]
    assert not Department.objects.filter(name__in=["甲部门", "乙部门"]).exists()


@pytest.mark.django_db
def test_scope_refuses_another_branch_and_new_units_there(personas):
    before = counts()
    rows = [
        person(1, 所属工会="第二分工会"),
        person(2, 所属工会="第二分工会/新班组"),
        person(3, 所属工会="第一分工会", 部门="新部门"),
    ]
    with pytest.raises(ImportRejected) as info:
        import_roster(roster(rows), actor=personas["branch1"], create_missing=True)
    assert [(e.row, e.column, e.value, e.reason) for e in info.value.errors] == [
        (2, "所属工会", "第二分工会", "无权导入到该工会"),
        (3, "所属工会", "第二分工会/新班组", "找不到该工会；您无权在“第二分工会”下新建工会小组"),
    ]
    assert counts() == before


@pytest.mark.django_db
def test_group_not_created_under_a_group(demo_units):
    with pytest.raises(ImportRejected) as info:
        import_roster(roster([person(1, 所属工会="发电一班组/新组")]), actor=None)
    assert "工会小组“发电一班组”下不能再新建工会小组" in info.value.errors[0].reason


# --- 所属工会 left out -------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("absent", [True, False], ids=["column-absent", "cell-empty"])
def test_unit_left_out_comes_from_department_default_or_cadre_unit(personas, demo_units, absent):
    Department.objects.filter(code="D-SAFE").update(default_org_unit=demo_units["B1-G2"])
    rows = [
        person(1, 所属工会="", 部门="安全环保部"),  # default B1-G2
        person(2, 所属工会="", 部门="财务部"),  # no default: branch1's unit
        person(3, 所属工会="", 部门=""),
        person(4, 所属工会="", 部门="新部门"),
    ]
    columns = tuple(c for c in COLUMNS if c != "所属工会") if absent else COLUMNS
    result = import_roster(roster(rows, columns), actor=personas["branch1"], create_missing=True)
    assert result.created == 4
    units = dict(
        Member.objects.filter(employee_no__startswith="N").values_list(
            "employee_no", "org_unit__code"
        )
    )
    assert units == {"N00001": "B1-G2", "N00002": "B1", "N00003": "B1", "N00004": "B1"}


@pytest.mark.django_db
def test_unit_left_out_keeps_an_existing_members_unit(personas):
    worker1 = personas["worker1"].member_record
    row = person(9, 工号=worker1.employee_no, 身份证号=worker1.get_id_number(), 所属工会="")
    row["姓名"] = worker1.name
    result = import_roster(roster([row]), actor=personas["branch1"])
    assert (result.created, result.transferred) == (0, 0)
    worker1.refresh_from_db()
    assert worker1.org_unit.code == "B1-G1"


@pytest.mark.django_db
def test_unit_left_out_without_a_way_to_fill_it(personas, demo_units):
    Department.objects.filter(code="D-SAFE").update(default_org_unit=demo_units["B2-G1"])
    rows = [person(1, 所属工会="", 部门="财务部"), person(2, 所属工会="", 部门="安全环保部")]
    with pytest.raises(ImportRejected) as system:
        import_roster(roster(rows[:1]), actor=None)  # the CLI has no unit of its own
    assert [(e.row, e.column) for e in system.value.errors] == [(2, "所属工会")]
    assert "未填写所属工会" in system.value.errors[0].reason
    with pytest.raises(ImportRejected) as cadre:
        import_roster(roster(rows), actor=personas["branch1"])
    assert [(e.row, e.column) for e in cadre.value.errors] == [(3, "所属工会")]
    assert "默认所属工会“输配电班组”不在您的管辖范围内" in cadre.value.errors[0].reason


# --- command line -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_cli_lists_missing_and_creates_them_with_the_flag(demo_units, tmp_path: Path):
    path = tmp_path / "roster.csv"
    path.write_bytes(roster([person(1, 所属工会="新小组", 部门="新部门"), person(2)]))
    before = counts()

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as refused:
        call_command("import_members", str(path), stdout=out, stderr=err)
    assert refused.value.code == 1
    assert "部门 新部门：1 行（首次出现在第 2 行）" in err.getvalue()
    assert "工会小组 示例能源集团工会委员会/新小组：1 行" in err.getvalue()
    assert "--create-missing" in err.getvalue()
    assert counts() == before

    out = io.StringIO()
    call_command("import_members", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "新会员 2 人" in out.getvalue() and "部门 新部门" in out.getvalue()
    assert counts() == before

    out = io.StringIO()
    call_command("import_members", str(path), "--create-missing", stdout=out, stderr=io.StringIO())
    assert "导入成功：新增 2" in out.getvalue()
    assert "新建部门 1 个：新部门" in out.getvalue()
    assert "新建工会小组 1 个：示例能源集团工会委员会/新小组" in out.getvalue()
    group = OrgUnit.objects.get(name="新小组")
    assert group.parent == demo_units["U"] and group.code == "U-G4"
    assert Member.objects.get(employee_no="N00001").org_unit == group


# --- upload page ------------------------------------------------------------------------------
def _upload(rows: list[dict[str, str]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("花名册.csv", roster(rows))


@pytest.mark.django_db
def test_page_lists_missing_and_imports_on_confirmation(login):
    client = login("branch1")
    rows = [person(1, 部门="新部门"), person(2, 所属工会="新班组")]
    page = client.post("/org/members/import/", {"file": _upload(rows)})
    html = page.content.decode()
    assert page.status_code == 200 and "确认新建并导入" in html
    assert "<td>新部门</td>" in html and "<td>新班组</td>" in html and "<td>第一分工会</td>" in html
    assert not Member.objects.filter(employee_no__startswith="N").exists()
    token = page.context["confirm_token"]

    # Another cadre cannot confirm it.
    other = login("branch2").post("/org/members/import/", {"token": token, "action": "confirm"})
    assert other.status_code == 302 and not Department.objects.filter(name="新部门").exists()

    done = client.post("/org/members/import/", {"token": token, "action": "confirm"}, follow=True)
    text = done.content.decode()
    assert "导入成功：新增 2" in text and "新建部门 1 个：新部门" in text
    assert "新建工会小组 1 个：第一分工会/新班组" in text
    assert Member.objects.get(employee_no="N00002").org_unit.name == "新班组"
    # The kept upload is gone.
    again = client.post("/org/members/import/", {"token": token, "action": "confirm"}, follow=True)
    assert "已过期" in again.content.decode()


@pytest.mark.django_db
def test_page_cancel_and_changed_organisation(login):
    client = login("branch1")
    page = client.post("/org/members/import/", {"file": _upload([person(1, 部门="新部门")])})
    cancelled = client.post(
        "/org/members/import/",
        {"token": page.context["confirm_token"], "action": "cancel"},
        follow=True,
    )
    assert "已取消导入" in cancelled.content.decode()
    assert not Department.objects.filter(name="新部门").exists()

    rows = [person(1, 部门="新部门"), person(2, 部门="财务部")]
    page = client.post("/org/members/import/", {"file": _upload(rows)})
    Department.objects.filter(code="D-FIN").delete()  # meanwhile: more to create
    again = client.post(
        "/org/members/import/", {"token": page.context["confirm_token"], "action": "confirm"}
    )
    assert again.status_code == 200 and again.context["changed_since"]
    assert [m.label for m in again.context["missing"]] == ["新部门", "财务部"]
    assert not Member.objects.filter(employee_no__startswith="N").exists()
