"""Roster import (花名册导入) from an HR export: .xlsx or .csv, all or nothing.

    result = import_roster(path_or_file, actor=user_or_None, filename="花名册.xlsx",
                           create_missing=False)
    # -> ImportResult(created, updated, unchanged, ...), or raises ImportRejected(errors),
    #    or MissingNotConfirmed(missing) when the file names departments or union units that
    #    do not exist yet and create_missing is False
    preview = preview_roster(path_or_file, actor=...)    # errors and missing, writes nothing

Steps: `read_roster` finds the header row by its column names (DESIGN.md "Roster columns";
order free, extra columns ignored, full-width and spaced variants tolerated), normalises every
cell (zhijia.org.normalize) and collects the format problems; `check_rows` checks what needs
the database (units and departments, the actor's scope, duplicates within the file, an ID
number that already belongs to another 工号); `do_import_members` writes everything in one
transaction with one audit event, or nothing.

Departments and union units that the file names but the system lacks are not errors: they are
listed (`MissingItem`, with the number of rows naming each) and created, on confirmation
(`create_missing`), in the same transaction as the members, with one more audit event listing
them (zhijia.org.actions.roster_import_refs says where they are created). 所属工会 may be
left out (column absent or cell empty): a new member then goes to the department's default union
(Department.default_org_unit), else to the importing cadre's unit when their import scope is a
single unit; an existing member keeps their unit. Every problem is a `RowError` carrying the row
number as Excel shows it (the header is its own row), the column, the value and a reason in
Chinese; an error report is available as .xlsx (`error_report_xlsx`).

Re-importing a file updates members by 工号 and leaves unchanged rows alone. A column missing
from the file leaves that field as it is on existing members; an empty cell in a present column
clears it. A change of 所属工会 is recorded as a transfer (MemberTransfer), keeping history.

The upload page runs the import within the request (about 20–40 s for 100,000 rows on the
2-core machine, see bench/import_members.py); the CLI prints progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core import crypto
from zhijia.core.audit import record
from zhijia.core.permissions import has_perm, unit_prefixes
from zhijia.org import normalize as n
from zhijia.org.actions import upload_table
from zhijia.org.actions.accounts import attach_accounts
from zhijia.org.actions.roster_import_refs import MissingItem, NewNode, RosterRefs
from zhijia.org.actions.roster_import_sheets import error_report_xlsx as error_report_xlsx
from zhijia.org.actions.roster_import_sheets import template_xlsx as template_xlsx
from zhijia.org.models import Department, Member, MemberTransfer, OrgUnit
from zhijia.org.search import fill_search_fields, index_members

COLUMNS = n.COLUMNS
_COLUMN_ORDER = {c: i for i, c in enumerate(COLUMNS)}
LOOKUP_CHUNK = 900  # stays under SQLite's 999 bound parameters per query
WRITE_BATCH = 2000
PROGRESS_EVERY = 10_000

Progress = Callable[[str, int, int | None], None]  # (stage "read"/"check"/"write", done, total)


# --- results and errors -----------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RowError:
    """One problem. `row` is the spreadsheet row as Excel shows it; None for the whole file."""

    row: int | None
    column: str
    value: str
    reason: str

    def sort_key(self) -> tuple[int, int]:
        return (self.row or 0, _COLUMN_ORDER.get(self.column, -1))


class ImportRejected(Exception):
    """Nothing was written; `errors` lists every problem, sorted by row and column. `missing`
    lists the departments and units the file names but the system lacks (not errors: shown
    so the cadre knows they will be created once the errors are fixed)."""

    def __init__(self, errors: Iterable[RowError], missing: Iterable[MissingItem] = ()):
        self.errors = sorted(errors, key=RowError.sort_key)
        self.missing = list(missing)
        super().__init__(f"{len(self.errors)} problem(s)")

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors if e.row is not None})


class MissingNotConfirmed(Exception):
    """Nothing was written: the file is valid but names departments or union units the system
    lacks (`missing`), and their creation was not confirmed."""

    def __init__(self, missing: Iterable[MissingItem]):
        self.missing = list(missing)
        super().__init__(f"{len(self.missing)} missing department(s)/unit(s)")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    transferred: int = 0
    created_departments: tuple[str, ...] = ()  # labels ("生产部/一车间") of those created
    created_units: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(slots=True)
class RosterRow:
    """One data row, normalised: `values` maps column names present in the file to clean
    values (None where a cell was invalid; the problem is in Roster.errors)."""

    row: int
    values: dict[str, Any]
    valid: bool = True  # False when a cell could not be normalised


@dataclass
class Roster:
    rows: list[RosterRow]
    errors: list[RowError]
    header_row: int
    columns: tuple[str, ...]
    filename: str = ""


def _file_error(reason: str, column: str = "") -> ImportRejected:
    return ImportRejected([RowError(None, column, "", reason)])


# --- reading (zhijia.org.actions.upload_table) ---------------------------------------------------
def _roster_header(cell: Any) -> str | None:
    name = n.normalize_header(cell)
    return name if name in _COLUMN_ORDER else None


def read_roster(
    source: str | Path | bytes | IO[bytes],
    *,
    filename: str = "",
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Roster:
    """Read and normalise a roster file. Raises ImportRejected for problems with the file as a
    whole (unreadable, no header, a required column missing); row problems are in
    Roster.errors."""
    if not filename and isinstance(source, str | Path):
        filename = Path(source).name
    try:
        with upload_table.open_table(
            source, filename=filename, header_name=_roster_header, required=n.REQUIRED_COLUMNS
        ) as table:
            return _read_rows(table, filename, today or timezone.localdate(), progress)
    except upload_table.TableRejected as rejected:
        raise ImportRejected(RowError(*p) for p in rejected.problems) from None


def _read_rows(
    table: upload_table.Table, filename: str, today: dt.date, progress: Progress | None
) -> Roster:
    rows: list[RosterRow] = []
    errors: list[RowError] = []
    for number, raw in table.rows:
        values, row_problems = n.normalize_row(raw, epoch_1904=table.epoch_1904, today=today)
        rows.append(RosterRow(number, values, valid=not row_problems))
        for column, value, reason in row_problems:
            errors.append(RowError(number, column, value, _(reason)))
        if progress and len(rows) % PROGRESS_EVERY == 0:
            progress("read", len(rows), None)
    if not rows:
        raise _file_error(_("文件中没有数据行（表头在第 %(row)d 行）") % {"row": table.header_row})
    if progress:
        progress("read", len(rows), len(rows))
    return Roster(rows, errors, table.header_row, table.columns, filename)


# --- checking against the database ------------------------------------------------------------
@dataclass
class _Plan:
    units: dict[int, OrgUnit | NewNode]  # row number -> unit
    departments: dict[int, Department | NewNode | None]
    existing: dict[str, Member]  # employee_no -> member
    all_units: list[OrgUnit]
    refs: RosterRefs


def _chunks(items: list[Any], size: int = LOOKUP_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_rows(rows: list[RosterRow], *, actor) -> tuple[list[RowError], _Plan]:
    """Problems that need the database or the whole file; read-only."""
    errors: list[RowError] = []

    # Duplicates within the file.
    first_row_of_no: dict[str, int] = {}
    first_row_of_id: dict[str, tuple[int, str | None]] = {}
    for r in rows:
        no = r.values.get(n.EMPLOYEE_NO)
        if no:
            if no in first_row_of_no:
                errors.append(
                    RowError(
                        r.row,
                        n.EMPLOYEE_NO,
                        no,
                        _("工号与第 %(row)d 行重复") % {"row": first_row_of_no[no]},
                    )
                )
            else:
                first_row_of_no[no] = r.row
        id_number = r.values.get(n.ID_NUMBER)
        if id_number:
            first = first_row_of_id.get(id_number)
            if first is None:
                first_row_of_id[id_number] = (r.row, no)
            elif first[1] != no:
                errors.append(
                    RowError(
                        r.row,
                        n.ID_NUMBER,
                        n.mask_id_number(id_number),
                        _("身份证号与第 %(row)d 行（工号 %(no)s）相同")
                        % {"row": first[0], "no": first[1] or ""},
                    )
                )

    # Existing members with these 工号.
    plan = _Plan({}, {}, {}, [], RosterRefs(actor, units=[], departments=[]))
    numbers = list(first_row_of_no)
    for chunk in _chunks(numbers):
        for member in Member.objects.filter(employee_no__in=chunk).select_related("org_unit"):
            plan.existing[member.employee_no] = member

    # Units, departments and the actor's scope.
    plan.all_units = list(OrgUnit.objects.only("id", "name", "code", "path", "kind", "parent_id"))
    departments = list(
        Department.objects.only("id", "name", "code", "path", "parent_id", "default_org_unit_id")
    )
    refs = plan.refs = RosterRefs(actor, units=plan.all_units, departments=departments)
    may_import: dict[int, bool] = {}

    def in_scope(unit: OrgUnit) -> bool:
        if actor is None:
            return True
        if unit.pk not in may_import:
            may_import[unit.pk] = has_perm(actor, "org.import_members", unit=unit)
        return may_import[unit.pk]

    for r in rows:
        department: Department | NewNode | None = None
        department_ok = True
        if n.DEPARTMENT in r.values:
            ref = r.values[n.DEPARTMENT]
            if ref:
                department, problem = refs.department(ref, r.row)
                if problem:
                    errors.append(RowError(r.row, n.DEPARTMENT, ref, problem))
                    department_ok = False
            plan.departments[r.row] = department
        ref = r.values.get(n.UNIT)
        if ref:
            unit, problem = refs.unit(ref, r.row)
            if problem or unit is None:
                errors.append(RowError(r.row, n.UNIT, ref, problem or ""))
            elif isinstance(unit, OrgUnit) and not in_scope(unit):
                errors.append(RowError(r.row, n.UNIT, ref, _("无权导入到该工会")))
            else:
                plan.units[r.row] = unit
            continue
        # 所属工会 left out: an existing member keeps their unit; a new one takes the
        # department's default union, else the importing cadre's unit.
        known = plan.existing.get(r.values.get(n.EMPLOYEE_NO) or "")
        default = refs.default_unit_of(department)
        if known is not None:
            plan.units[r.row] = known.org_unit
        elif default is not None:
            if in_scope(default):
                plan.units[r.row] = default
            else:
                reason = _(
                    "未填写所属工会，而部门“%(department)s”的默认所属工会“%(unit)s”"
                    "不在您的管辖范围内，请填写所属工会"
                ) % {"department": getattr(department, "name", ""), "unit": default.name}
                errors.append(RowError(r.row, n.UNIT, "", reason))
        elif (home := refs.importer_unit()) is not None:
            plan.units[r.row] = home
        elif department_ok:
            reason = _(
                "未填写所属工会，且无法确定：该行的部门没有设置默认所属工会，"
                "导入人也不是只管辖一个工会，请填写所属工会"
            )
            errors.append(RowError(r.row, n.UNIT, "", reason))

    # Existing members with these 工号 must be within the actor's scope.
    if actor is not None:
        for r in rows:
            known = plan.existing.get(r.values.get(n.EMPLOYEE_NO) or "")
            if known is not None and not in_scope(known.org_unit):
                errors.append(
                    RowError(
                        r.row,
                        n.EMPLOYEE_NO,
                        known.employee_no,
                        _("该工号的会员属于您管辖范围以外的工会，无权修改"),
                    )
                )

    # An ID number already registered under another 工号.
    digest_rows: dict[str, RosterRow] = {}
    for r in rows:
        id_number = r.values.get(n.ID_NUMBER)
        if id_number:
            digest_rows.setdefault(crypto.digest(id_number), r)
    visible = None if actor is None else unit_prefixes(actor, "org.view_member")
    for chunk in _chunks(list(digest_rows)):
        owners = Member.objects.filter(id_number_digest__in=chunk).values_list(
            "id_number_digest", "employee_no", "org_unit__path"
        )
        for digest, owner_no, owner_path in owners:
            r = digest_rows[digest or ""]
            if owner_no == r.values.get(n.EMPLOYEE_NO):
                continue
            shown = visible is None or any(owner_path.startswith(p) for p in visible)
            reason = (
                _("该身份证号已登记在工号 %(no)s 的会员名下") % {"no": owner_no}
                if shown
                else _("该身份证号已登记在另一工号的会员名下")
            )
            errors.append(
                RowError(r.row, n.ID_NUMBER, n.mask_id_number(r.values[n.ID_NUMBER]), reason)
            )
    return errors, plan


# --- writing ----------------------------------------------------------------------------------
_COMPARED = (
    "name",
    "gender",
    "phone",
    "org_unit_id",
    "department_id",
    "job",
    "employment_type",
    "join_date",
    "monthly_wage",
)
_FIELD_OF_COLUMN = {
    n.NAME: "name",
    n.GENDER: "gender",
    n.PHONE: "phone",
    n.JOB: "job",
    n.EMPLOYMENT_TYPE: "employment_type",
    n.JOIN_DATE: "join_date",
    n.WAGE: "monthly_wage",
}


def _common_unit(units: Iterable[OrgUnit], all_units: list[OrgUnit]) -> OrgUnit | None:
    """The lowest unit containing all of `units` (for the audit event's scope)."""
    paths = {u.path for u in units}
    if not paths:
        return None
    parts = [p.strip("/").split("/") for p in paths]
    common = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    path = "/" + "".join(f"{s}/" for s in common) if common else ""
    return next((u for u in all_units if u.path == path), None)


@transaction.atomic
def do_import_members(
    *,
    actor,
    rows: list[RosterRow],
    source: str = "",
    progress: Progress | None = None,
    create_missing: bool | Collection[str] = False,
) -> ImportResult:
    """Write a normalised roster: create new 工号, update changed ones, leave the rest.

    Checks everything that needs the database again inside the transaction and raises
    ImportRejected (writing nothing) if any row is bad. Departments and union units the file
    names but the system lacks are created first when `create_missing` is True or holds the
    key of each (MissingItem.key: what the cadre confirmed); otherwise MissingNotConfirmed is
    raised, writing nothing. One audit event summarises the import, one more lists what was
    created. `actor` None is the system (the CLI), with full scope.
    """
    errors, plan = check_rows(rows, actor=actor)
    invalid = [r.row for r in rows if not r.valid]
    if invalid and not errors:
        raise ValueError(f"rows with invalid cells passed to do_import_members: {invalid[:5]}")
    missing = plan.refs.missing()
    if errors:
        raise ImportRejected(errors, missing)
    created_departments: tuple[str, ...] = ()
    created_units: tuple[str, ...] = ()
    if missing:
        confirmed = create_missing is True or (
            not isinstance(create_missing, bool) and all(m.key in create_missing for m in missing)
        )
        if not confirmed:
            raise MissingNotConfirmed(missing)
        created_departments, created_units = _create_missing(plan, actor=actor, source=source)
    units: dict[int, OrgUnit] = {row: _created(u) for row, u in plan.units.items()}
    departments: dict[int, Department | None] = {
        row: _created(d) for row, d in plan.departments.items()
    }

    today = timezone.localdate()
    now = timezone.now()
    search_cache: dict[str, tuple[str, str]] = {}
    to_create: list[Member] = []
    to_update: list[Member] = []
    changed_fields: set[str] = set()
    transfers: list[MemberTransfer] = []
    unchanged = 0
    total = len(rows)

    for done, r in enumerate(rows, start=1):
        v = r.values
        unit = units[r.row]
        member = plan.existing.get(v[n.EMPLOYEE_NO])
        if member is None:
            member = Member(
                employee_no=v[n.EMPLOYEE_NO],
                org_unit_id=unit.pk,
                department_id=getattr(departments.get(r.row), "pk", None),
                employment_type=n.DEFAULT_EMPLOYMENT_TYPE,
                phone="",
                job="",
            )
            for column, attr in _FIELD_OF_COLUMN.items():
                if column in v:
                    setattr(member, attr, v[column])
            _set_search_fields(member, search_cache)
            member.set_id_number(v[n.ID_NUMBER])
            to_create.append(member)
        else:
            changed = _apply_changes(member, v, unit, departments, r.row, search_cache)
            if changed:
                if "org_unit" in changed:
                    transfers.append(
                        MemberTransfer(
                            member_id=member.pk,
                            from_unit_id=changed["org_unit"],
                            to_unit_id=unit.pk,
                            effective_date=today,
                            reason=_("花名册导入"),
                            actor=actor,
                        )
                    )
                member.updated_at = now
                changed_fields.update(changed)
                to_update.append(member)
            else:
                unchanged += 1
        if progress and done % PROGRESS_EVERY == 0:
            progress("check", done, total)

    written = 0
    for chunk in _chunks(to_create, WRITE_BATCH):
        attach_accounts(chunk)
        Member.objects.bulk_create(chunk)
        index_members(chunk)
        written += len(chunk)
        if progress:
            progress("write", written, len(to_create) + len(to_update))
    if to_update:
        fields = sorted(changed_fields | {"updated_at"})
        for chunk in _chunks(to_update, WRITE_BATCH):
            Member.objects.bulk_update(chunk, fields, batch_size=500)
            if {"name", "employee_no", "org_unit"} & set(fields):
                index_members(chunk)
            written += len(chunk)
            if progress:
                progress("write", written, len(to_create) + len(to_update))
    MemberTransfer.objects.bulk_create(transfers, batch_size=WRITE_BATCH)

    result = ImportResult(
        len(to_create),
        len(to_update),
        unchanged,
        len(transfers),
        created_departments,
        created_units,
    )
    record(
        actor=actor,
        action="org.import_members",
        unit=_common_unit(units.values(), plan.all_units),
        data={
            "source": source,
            "rows": total,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "transferred": result.transferred,
            "created_departments": len(created_departments),
            "created_units": len(created_units),
        },
    )
    return result


def _create_missing(plan: _Plan, *, actor, source: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Create the plan's new departments and units (in place of their NewNode), audit them."""
    nodes = plan.refs.create_missing()
    departments = [node for node in nodes if node.kind == "department"]
    units = [node for node in nodes if node.kind == "unit"]
    plan.all_units.extend(node.obj for node in units)
    parents = [node.obj.parent for node in units]
    record(
        actor=actor,
        action="org.import_create_structure",
        unit=_common_unit(parents, plan.all_units) if parents else None,
        data={
            "source": source,
            "departments": [{"code": d.obj.code, "name": d.label} for d in departments],
            "units": [{"code": u.obj.code, "name": u.label} for u in units],
        },
    )
    return tuple(d.label for d in departments), tuple(u.label for u in units)


def _created(node: Any) -> Any:
    """A plan's unit or department, the created object in place of a NewNode."""
    return node.obj if isinstance(node, NewNode) else node


def _set_search_fields(member: Member, cache: dict[str, tuple[str, str]]) -> None:
    cached = cache.get(member.name)
    if cached is None:
        fill_search_fields(member)
        cache[member.name] = (member.name_pinyin, member.name_initials)
    else:
        member.name_pinyin, member.name_initials = cached


def _apply_changes(
    member: Member,
    v: dict[str, Any],
    unit: OrgUnit,
    departments: dict[int, Department | None],
    row: int,
    search_cache: dict[str, tuple[str, str]],
) -> dict[str, Any]:
    """Set the row's values on an existing member; returns {changed field: old value}."""
    changed: dict[str, Any] = {}
    if member.org_unit_id != unit.pk:
        changed["org_unit"] = member.org_unit_id
        member.org_unit_id = unit.pk
    if row in departments:
        department_id = getattr(departments[row], "pk", None)
        if member.department_id != department_id:
            changed["department"] = member.department_id
            member.department_id = department_id
    for column, attr in _FIELD_OF_COLUMN.items():
        if column in v and getattr(member, attr) != v[column]:
            changed[attr] = getattr(member, attr)
            setattr(member, attr, v[column])
    if "name" in changed:
        _set_search_fields(member, search_cache)
        changed["name_pinyin"] = changed["name_initials"] = None
    if member.id_number_digest != crypto.digest(v[n.ID_NUMBER]):
        member.set_id_number(v[n.ID_NUMBER])
        for attr in ("id_number_encrypted", "id_number_digest", "id_number_masked"):
            changed[attr] = None
    return changed


# --- the whole import -------------------------------------------------------------------------
@dataclass(frozen=True)
class Preview:
    """What an import would do; nothing written."""

    rows: int
    errors: list[RowError]
    missing: list[MissingItem]
    new_members: int
    existing_members: int


def preview_roster(
    source: str | Path | bytes | IO[bytes],
    *,
    actor,
    filename: str = "",
    progress: Progress | None = None,
) -> Preview:
    """Read and check a roster file without writing: every problem, and the departments and
    union units it names that the system lacks (the CLI's dry run)."""
    roster = read_roster(source, filename=filename, progress=progress)
    db_errors, plan = check_rows(roster.rows, actor=actor)
    numbers = {r.values.get(n.EMPLOYEE_NO) for r in roster.rows}
    existing = sum(1 for no in numbers if no in plan.existing)
    return Preview(
        rows=len(roster.rows),
        errors=ImportRejected(roster.errors + db_errors).errors,
        missing=plan.refs.missing(),
        new_members=len(numbers - {None, ""}) - existing,
        existing_members=existing,
    )


def import_roster(
    source: str | Path | bytes | IO[bytes],
    *,
    actor,
    filename: str = "",
    progress: Progress | None = None,
    create_missing: bool | Collection[str] = False,
) -> ImportResult:
    """Read, check and write a roster file, all or nothing. The path used by the CLI, the
    upload page and the benchmark. Raises ImportRejected listing every problem, or
    MissingNotConfirmed listing the departments and units to create (see do_import_members)."""
    roster = read_roster(source, filename=filename, progress=progress)
    if roster.errors:
        db_errors, plan = check_rows(roster.rows, actor=actor)
        raise ImportRejected(roster.errors + db_errors, plan.refs.missing())
    try:
        return do_import_members(
            actor=actor,
            rows=roster.rows,
            source=roster.filename,
            progress=progress,
            create_missing=create_missing,
        )
    except IntegrityError:
        # Another write took a 工号 or 身份证号 between the checks and the insert.
        raise _file_error(_("导入期间会员数据被其他操作修改，未写入任何数据，请重新导入")) from None
