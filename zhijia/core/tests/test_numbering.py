"""Readable numbers (zhijia.core.numbering): the format, one counter per kind and year, numbers
given at creation inside the creating transaction, unique under concurrent creation, the
backfill of existing rows, hazards keeping their old numbers, and no number for anonymous input.

The concurrency test uses real threads with their own connections (transactional_db): on
PostgreSQL the counter row is locked by INSERT ... ON CONFLICT DO UPDATE until commit; on SQLite
the writers are serialised. Run the suite with DATABASE_URL=postgres://... for the PostgreSQL
variant; the test marked postgres_only adds many more threads there.
"""

from __future__ import annotations

import importlib
import re
import threading

import pytest
from django.apps import apps as django_apps
from django.db import connection, transaction

from zhijia.cases.actions import box as box_actions
from zhijia.cases.actions import grievances as grievance_actions
from zhijia.cases.actions import mediation as mediation_actions
from zhijia.cases.models import BoxItem, Grievance, MediationCase
from zhijia.core import numbering
from zhijia.core.models import NumberSequence
from zhijia.services.models import CounselingQuestion

TEXT = "车间连续三个月未按时足额发放加班费，请工会协调解决。"
PATTERN = re.compile(r"^[A-Z]{2}\d{4}-\d{5}$")


@pytest.mark.django_db
def test_the_format_and_one_counter_per_kind_and_year():
    assert numbering.next_number("SQ", 2026) == "SQ2026-00001"
    assert numbering.next_number("SQ", 2026) == "SQ2026-00002"
    assert numbering.next_number("SQ", 2027) == "SQ2027-00001"
    assert numbering.next_number("TJ", 2026) == "TJ2026-00001"
    assert numbering.next_number("SQ", 2026) == "SQ2026-00003"
    assert NumberSequence.objects.get(kind="SQ", year=2026).last == 3
    assert numbering.format_number("BF", 2026, 123456) == "BF2026-123456"


@pytest.mark.django_db
def test_a_rolled_back_creation_gives_its_number_back():
    assert numbering.next_number("YH", 2026) == "YH2026-00001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert numbering.next_number("YH", 2026) == "YH2026-00002"
        raise RuntimeError("the creation failed")
    assert numbering.next_number("YH", 2026) == "YH2026-00002"


@pytest.mark.django_db
def test_named_records_get_their_number_at_creation(personas):
    first = grievance_actions.do_submit_grievance(
        actor=personas["worker1"], kind="grievance", category="wages", text=TEXT
    )
    second = grievance_actions.do_submit_grievance(
        actor=personas["worker2"], kind="legal", category="contract", text=TEXT
    )
    year = first.received_on.year
    assert first.number == f"SQ{year}-00001"
    assert second.number == f"SQ{year}-00002"
    assert Grievance.objects.get(pk=first.pk).number == first.number
    case = mediation_actions.do_request_mediation(
        actor=personas["worker1"], category="wages", respondent="示例能源集团有限公司", claim=TEXT
    )
    assert case.number == f"TJ{case.requested_on.year}-00001"
    assert MediationCase.objects.get(pk=case.pk).number == case.number


@pytest.mark.django_db
def test_an_assistance_application_and_a_hazard_are_numbered(personas, demo_units):
    from zhijia.assistance.tests.support import make_campaign, submit
    from zhijia.safety.tests.support import report

    application = submit(personas["worker1"], make_campaign(personas["chair"]))
    assert PATTERN.match(application.number) and application.number.startswith("BF")
    assert application.number.endswith("-00001")
    hazard = report(personas, demo_units)
    assert PATTERN.match(hazard.number) and hazard.number.startswith("YH")
    assert report(personas, demo_units, place="三号仓库").number.endswith("-00002")


@pytest.mark.django_db
def test_anonymous_input_gets_no_number(demo_units, personas):
    """A box item and an anonymous counseling question carry no number, and putting one in the
    box moves no counter: nothing tells the order in which anonymous things arrived."""
    assert "number" not in {f.name for f in BoxItem._meta.get_fields()}
    assert "number" not in {f.name for f in CounselingQuestion._meta.get_fields()}
    item, _code = box_actions.do_put_in_box(
        kind="grievance", category="wages", org_unit=demo_units["B1"], text=TEXT
    )
    assert not NumberSequence.objects.exists()
    assert not Grievance.objects.exists()
    # The opening (the day's items in random order) makes the grievance, numbered then.
    box_actions.open_box(include_today=True)
    opened = Grievance.objects.get(is_anonymous=True)
    assert PATTERN.match(opened.number or "")
    assert not BoxItem.objects.filter(kind=BoxItem.Kind.SUBMIT, grievance__isnull=False).exists()
    assert item.pk  # the item itself never had a number to give away


@pytest.mark.django_db
def test_the_backfill_numbers_existing_rows_in_order_of_creation(personas):
    made = [
        grievance_actions.do_submit_grievance(
            actor=personas["worker1"], kind="grievance", category="wages", text=TEXT
        )
        for _ in range(3)
    ]
    days = ["2025-12-30", "2026-01-05", "2026-01-02"]
    for g, day in zip(made, days, strict=True):
        Grievance.objects.filter(pk=g.pk).update(number=None, received_on=day)
    NumberSequence.objects.all().delete()
    numbering.backfill(django_apps, "cases", "Grievance", "SQ", "received_on", ["received_on"])
    numbers = dict(Grievance.objects.values_list("pk", "number"))
    assert numbers[made[0].pk] == "SQ2025-00001"
    assert numbers[made[2].pk] == "SQ2026-00001"  # 2 January comes before 5 January
    assert numbers[made[1].pk] == "SQ2026-00002"
    # New grievances continue after the backfilled ones.
    assert numbering.next_number("SQ", 2026) == "SQ2026-00003"


@pytest.mark.django_db
def test_hazards_keep_the_numbers_they_had(personas, demo_units):
    from zhijia.safety.models import HazardReport
    from zhijia.safety.tests.support import report

    hazards = [report(personas, demo_units, place=f"地点{i}") for i in range(3)]
    HazardReport.objects.update(number=None)
    NumberSequence.objects.all().delete()
    migration = importlib.import_module("zhijia.safety.migrations.0002_readable_numbers")
    migration.keep_existing_numbers(django_apps, None)
    for h in hazards:
        year = h.reported_at.year
        assert HazardReport.objects.get(pk=h.pk).number == f"YH{year}-{h.pk:05d}"  # as before
    year = hazards[0].reported_at.year
    nxt = report(personas, demo_units, place="新地点")
    assert nxt.number == f"YH{year}-{max(h.pk for h in hazards) + 1:05d}"


def _take_numbers(count: int, kind: str = "SQ") -> list[str]:
    taken: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(count)

    def worker():
        try:
            start.wait()
            with transaction.atomic():
                number = numbering.next_number(kind, 2026)
            with lock:
                taken.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    return taken


def test_numbers_are_unique_and_gap_free_under_concurrent_creation(transactional_db):
    taken = _take_numbers(12)
    assert sorted(taken) == [f"SQ2026-{i:05d}" for i in range(1, 13)]


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_many_concurrent_creators_on_postgresql(transactional_db):
    taken = _take_numbers(40, kind="TJ")
    assert sorted(taken) == [f"TJ2026-{i:05d}" for i in range(1, 41)]
