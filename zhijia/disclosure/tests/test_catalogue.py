"""The default catalogue: seeded once, never overwriting a union's own edits; editable only by
the union committee's cadres and administrators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from zhijia.core.models import AuditEvent
from zhijia.disclosure import rules
from zhijia.disclosure.actions import catalogue as actions_catalogue
from zhijia.disclosure.catalogue import DEFAULT_CATALOGUE, ensure_default_catalogue
from zhijia.disclosure.errors import DisclosureRefused
from zhijia.disclosure.models import CatalogueEntry

pytestmark = pytest.mark.django_db


def test_default_catalogue_covers_the_required_subjects(now):
    assert ensure_default_catalogue() == len(DEFAULT_CATALOGUE)
    entries = {e.code: e for e in CatalogueEntry.objects.all()}
    for code in [
        "major-decisions",
        "production-operation",
        "pay-bonus",
        "social-insurance",
        "awards",
        "promotions-titles",
        "recruitment",
        "entertainment-vehicles",
        "leadership-integrity",
        "congress-resolutions",
        "proposal-results",
    ]:
        assert entries[code].level == rules.ENTERPRISE, code
    assert entries["pay-bonus"].cadence == rules.MONTHLY
    assert entries["entertainment-vehicles"].cadence == rules.QUARTERLY
    assert entries["awards"].cadence == rules.EVENT
    assert entries["workshop-bonus"].level == rules.WORKSHOP
    assert entries["workshop-bonus"].cadence == rules.MONTHLY
    assert entries["team-bonus"].level == rules.TEAM
    # every level has entries, and they owe from the start of the year
    assert {e.level for e in entries.values()} == set(rules.LEVELS)
    assert entries["pay-bonus"].effective_from == dt.date(2026, 1, 1)


def test_seeding_is_idempotent_and_keeps_edits(now, personas):
    ensure_default_catalogue()
    entry = CatalogueEntry.objects.get(code="pay-bonus")
    actions_catalogue.do_save_catalogue_entry(actor=personas["chair"], entry=entry, offset_days=15)
    CatalogueEntry.objects.filter(code="recruitment").delete()
    assert ensure_default_catalogue() == 1  # only the missing one
    assert ensure_default_catalogue() == 0
    assert CatalogueEntry.objects.get(code="pay-bonus").offset_days == 15
    assert CatalogueEntry.objects.count() == len(DEFAULT_CATALOGUE)


def test_only_the_committee_edits_the_catalogue(catalogue, personas):
    entry = catalogue["pay-bonus"]
    with pytest.raises(PermissionDenied):
        actions_catalogue.do_save_catalogue_entry(
            actor=personas["branch1"], entry=entry, offset_days=5
        )
    with pytest.raises(PermissionDenied):
        actions_catalogue.do_save_catalogue_entry(
            actor=personas["worker1"], entry=entry, offset_days=5
        )
    actions_catalogue.do_save_catalogue_entry(actor=personas["admin"], entry=entry, remind_days=5)
    changed = actions_catalogue.do_save_catalogue_entry(
        actor=personas["chair"], entry=entry, offset_days=5
    )
    assert (changed.offset_days, changed.remind_days) == (5, 5)
    event = AuditEvent.objects.filter(action="disclosure.change_catalogue_entry").last()
    assert event.data["changed"] == {"offset_days": ["10", "5"]}


def test_catalogue_validation(catalogue, personas):
    with pytest.raises(DisclosureRefused) as exc:
        actions_catalogue.do_save_catalogue_entry(
            actor=personas["chair"],
            code="pay-bonus",
            title="重复",
            level="workshop",
            cadence="weekly",
            effective_from=dt.date(2026, 1, 1),
        )
    errors = exc.value.errors
    assert "code" in errors and "cadence" in errors


def test_catalogue_pages(catalogue, login):
    page = login("worker1").get("/disclosure/catalogue/")
    assert page.status_code == 200
    assert "业务招待费和公务用车费用" in page.content.decode()
    assert "/disclosure/catalogue/new/" not in page.content.decode()
    chair = login("chair")
    response = chair.post(
        "/disclosure/catalogue/new/",
        {
            "code": "safety-production",
            "title": "安全生产情况",
            "level": "enterprise",
            "cadence": "quarterly",
            "offset_days": "15",
            "remind_days": "3",
            "effective_from": "2026-07-01",
            "active": "on",
            "sort_order": "500",
        },
    )
    assert response.status_code == 302
    assert CatalogueEntry.objects.get(code="safety-production").cadence == rules.QUARTERLY
    bad = chair.post(
        "/disclosure/catalogue/new/",
        {
            "code": "safety-production",
            "title": "x",
            "level": "enterprise",
            "cadence": "monthly",
            "offset_days": "10",
            "remind_days": "3",
            "effective_from": "2026-07-01",
            "sort_order": "1",
        },
    )
    assert bad.status_code == 400
    assert "该代码已被其他目录事项使用" in bad.content.decode()
    assert login("branch1").get("/disclosure/catalogue/new/").status_code == 403


def test_load_default_catalogue_button(login, demo_units, now):
    assert login("chair").get("/disclosure/catalogue/").content.decode().count("载入默认目录") == 1
    assert login("branch1").post("/disclosure/catalogue/defaults/").status_code == 403
    assert login("chair").post("/disclosure/catalogue/defaults/").status_code == 302
    assert CatalogueEntry.objects.count() == len(DEFAULT_CATALOGUE)
    assert "载入默认目录" not in login("chair").get("/disclosure/catalogue/").content.decode()


def test_demo_disclosures(personas, now):
    from zhijia.disclosure.demo import ensure_demo_disclosures
    from zhijia.disclosure.queries import catalogue as queries_catalogue

    assert ensure_demo_disclosures() == 4
    assert ensure_demo_disclosures() == 0
    rows = queries_catalogue.board_for(personas["chair"])
    cell = {(r.unit.code, c.entry.code): c for r in rows for c in r.cells}
    assert cell[("U", "pay-bonus")].status == rules.PUBLISHED
    assert cell[("B2", "workshop-bonus")].status == rules.PUBLISHED
    # branch 1's last month is left for the demo (and the browser test) to publish
    assert cell[("B1", "workshop-bonus")].status == rules.OVERDUE
    assert "2026-09" not in [p.key for p in cell[("B1", "workshop-bonus")].obligation.missed]
