"""Every figure of the dashboard equals the count made by hand on fixed data (support.py),
for a branch chair (TA) and for the union's chair (T): a sibling branch's records are never
counted in a branch's dashboard, records outside the year never counted at all."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from zhijia.accounts.models import ApiToken
from zhijia.core import figures
from zhijia.dashboard import queries
from zhijia.dashboard.tests import support


@pytest.fixture(scope="module")
def world(module_db):
    return support.build()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_declared_figure_has_an_expected_value():
    # A figure added later must be added to the fixed data too (or this test says so).
    declared = {f.key for f in figures.declared()}
    assert declared == set(support.EXPECTED["T"]) == set(support.EXPECTED["TA"])


@pytest.mark.parametrize(("scope", "user"), [("TA", "ta_chair"), ("T", "t_chair")])
def test_every_figure_equals_the_count_by_hand(world, db, scope, user):
    unit = world["units"][scope]
    board = queries.dashboard(world["users"][user], unit, support.YEAR)
    values = {f.key: f.value for f in board.all_figures()}
    assert values == support.EXPECTED[scope]
    rows = {f.key: dict(f.raw_rows) for f in board.all_figures()}
    for key, expected in support.EXPECTED_ROWS[scope].items():
        for label, value in expected.items():
            assert rows[key][label] == value, (key, label)


def test_the_api_answers_the_same_figures_and_hides_a_sibling_branch(world, db):
    token = ApiToken.issue(world["users"]["ta_chair"])
    api = Client(headers={"Authorization": f"Bearer {token}"})
    ta, t = world["units"]["TA"], world["units"]["T"]
    answer = api.get(f"/api/v1/dashboard/figures?unit_id={ta.pk}&year={support.YEAR}")
    assert answer.status_code == 200
    got = {f["key"]: f["value"] for g in answer.json()["groups"] for f in g["figures"]}
    assert got == {k: float(v) for k, v in support.EXPECTED["TA"].items()}
    # The union's dashboard is above the branch chair; the sibling branch is beside it.
    for other in (t, world["units"]["TB"]):
        assert api.get(f"/api/v1/dashboard/figures?unit_id={other.pk}").status_code == 404


def test_a_worker_is_refused_and_the_viewer_reads_without_links(world, db):
    assert _client(world["users"]["t_worker"]).get("/dashboard/").status_code == 403
    page = _client(world["users"]["t_viewer"]).get(f"/dashboard/?year={support.YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="cases.grievances_received"' in html
    # Links only to the lists the viewer (企业领导) may read: hazards, not grievances nor the
    # roster; and nothing that writes.
    assert "/safety/queue/" in html
    assert "/cases/queue/" not in html and "/org/members/" not in html
    assert 'method="post"' not in html.split("<main", 1)[-1]
    assert "<svg" in html  # the bars
    chair = _client(world["users"]["t_chair"]).get(f"/dashboard/?year={support.YEAR}")
    t = world["units"]["T"]
    assert f"/cases/queue/?unit={t.pk}&amp;state=open&amp;kind=grievance&amp;overdue=on" in (
        chair.content.decode()
    )


def test_the_excel_holds_every_figure_with_its_value(world, db):
    from openpyxl import load_workbook

    ta = world["units"]["TA"]
    response = _client(world["users"]["ta_chair"]).get(
        f"/dashboard/export/?unit={ta.pk}&year={support.YEAR}"
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[1] and r[2] is not None]
    by_label = {str(r[1]): r[2] for r in rows}
    assert by_label["在册会员"] == 3
    assert by_label["受理职工诉求"] == 3
    assert by_label["困难帮扶支出"] == 200
    assert by_label["诉求按期办结率"] == 50
    # One sheet per breakdown, its rows the categories.
    assert "受理职工诉求" in book.sheetnames
    cats = dict(
        r for r in book["受理职工诉求"].iter_rows(values_only=True) if r and isinstance(r[1], int)
    )
    assert cats["工资报酬"] == 2 and cats["劳动安全卫生"] == 1


def test_the_word_report_holds_the_figures(world, db):
    from docx import Document

    ta = world["units"]["TA"]
    response = _client(world["users"]["ta_chair"]).get(
        f"/dashboard/reports/annual/docx/?unit={ta.pk}&year={support.YEAR}"
    )
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    cells = {
        row.cells[0].text.strip(): row.cells[1].text for table in doc.tables for row in table.rows
    }
    assert cells["在册会员"] == "3"
    assert cells["困难帮扶支出"] == "200.00"
    assert cells["工资报酬"] == "2"
    assert any("年度工作报告数据附件" in p.text for p in doc.paragraphs)


def test_the_congress_report_is_a_pdf_and_an_unknown_report_is_404(world, db):
    client = _client(world["users"]["t_chair"])
    response = client.get(f"/dashboard/reports/congress/pdf/?year={support.YEAR}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get("/dashboard/reports/secret/pdf/").status_code == 404


@pytest.mark.parametrize("scope", ["TA", "T"])
def test_the_overdue_figure_drills_into_a_list_of_as_many_grievances(world, db, scope):
    from openpyxl import load_workbook

    unit = world["units"][scope]
    board = queries.dashboard(world["users"]["t_chair"], unit, support.YEAR)
    overdue = next(f for f in board.all_figures() if f.key == "cases.grievances_overdue")
    client = _client(world["users"]["t_chair"])
    listed = client.get(overdue.url)
    assert listed.status_code == 200 and listed.context["page"].count == overdue.value
    # The list's Excel, with the same filters: the same grievances, no submitter column.
    export = client.get(overdue.url.replace("/cases/queue/", "/cases/queue/export/"))
    data = b"".join(export.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert "提出人" not in rows[0] and len(rows) - 1 == overdue.value == 1
    assert "超期" in rows[1]
