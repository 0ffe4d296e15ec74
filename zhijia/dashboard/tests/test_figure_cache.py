"""The dashboards' cache (zhijia.core.figure_cache): a kept value is served only while the
tables its figure reads are unchanged, whatever wrote them (the ORM, queryset.update,
bulk_create, raw SQL, a delete), and each figure reads only the tables it declares."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from zhijia.cases.models import Grievance
from zhijia.core import figure_cache, figures
from zhijia.core.models import FigureChange, FigureValue
from zhijia.dashboard import queries
from zhijia.dashboard.tests import support
from zhijia.org.models import Member
from zhijia.safety.models import HazardReport


@pytest.fixture(scope="module")
def world(module_db):
    return support.build()


def _scope(world, code="TA") -> figures.Scope:
    start, end = dt.date(support.YEAR, 1, 1), dt.date(support.YEAR, 12, 31)
    return figures.Scope(unit_path=world["units"][code].path, start=start, end=end)


def _tables_read(sqls) -> set[str]:
    tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)}
    found = set()
    for sql in sqls:
        found.update(t for t in re.findall(r'"([a-z0-9_]+)"', sql) if t in tables)
    return found


@pytest.mark.parametrize("code", ["TA", "T"])
def test_every_figure_reads_only_the_tables_it_declares(world, db, code):
    scope = _scope(world, code)
    for figure in figures.declared():
        with CaptureQueriesContext(connection) as ctx:
            figure.compute(scope)
            if figure.breakdown:
                list(figure.breakdown(scope))
            if figure.changes_at:
                figure.changes_at(scope)
        read = _tables_read(q["sql"] for q in ctx.captured_queries)
        assert read, figure.key  # the capture sees the figure's queries
        assert read <= set(figure_cache.source_tables(figure)), figure.key


def test_every_watched_table_has_its_trigger(db):
    if connection.vendor == "sqlite":
        sql = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s"
    else:
        sql = (
            "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, ["zj\\_figure\\_%" if connection.vendor == "postgresql" else "zj_figure_%"]
        )
        triggered = {row[0] for row in cursor.fetchall()}
    assert set(figure_cache.watched_tables()) <= triggered


def _received(world):
    return figures.get("cases.grievances_received"), _scope(world)


def _evaluate(figure, scope):
    """(value, whether it was computed: a query read one of its tables)."""
    tables = [f'"{t}"' for t in figure_cache.source_tables(figure) if t != "org_orgunit"]
    with CaptureQueriesContext(connection) as ctx:
        value, _rows = figure_cache.evaluate(figure, scope)
    computed = any(t in q["sql"] for q in ctx.captured_queries for t in tables)
    return value, computed


def test_a_kept_value_is_served_until_its_table_changes(world, db):
    figure, scope = _received(world)
    assert _evaluate(figure, scope) == (3, True)
    assert _evaluate(figure, scope) == (3, False)  # kept: no query on the grievances
    # A write elsewhere (a member) leaves it kept.
    Member.objects.filter(employee_no="DA1").update(name="改名")
    assert _evaluate(figure, scope) == (3, False)
    unit = world["units"]["TA1"]
    received = dt.date(support.YEAR, 6, 1)
    Grievance.objects.create(
        kind="grievance",
        category="wages",
        text="t",
        org_unit=unit,
        handling_unit=unit,
        received_on=received,
        state="submitted",
    )
    assert _evaluate(figure, scope) == (4, True)
    assert _evaluate(figure, scope) == (4, False)


def test_bulk_paths_and_raw_sql_invalidate_too(world, db):
    figure, scope = _received(world)
    assert _evaluate(figure, scope)[0] == 3
    unit = world["units"]["TA1"]
    Grievance.objects.bulk_create(
        [
            Grievance(
                kind="grievance",
                category="wages",
                text="t",
                org_unit=unit,
                handling_unit=unit,
                received_on=dt.date(support.YEAR, 7, 1),
                state="submitted",
            )
            for _ in range(2)
        ]
    )
    assert _evaluate(figure, scope) == (5, True)
    Grievance.objects.filter(text="t").update(received_on=dt.date(support.YEAR - 1, 1, 1))
    assert _evaluate(figure, scope) == (3, True)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_grievance WHERE text = %s", ["t"])
    assert _evaluate(figure, scope) == (3, True)
    Grievance.objects.filter(org_unit=unit, state="assigned").delete()
    assert _evaluate(figure, scope) == (2, True)


def test_moving_a_unit_invalidates_every_figure(world, db):
    figure, scope = _received(world)
    assert _evaluate(figure, scope)[0] == 3
    ta1 = world["units"]["TA1"]
    type(ta1).objects.filter(pk=ta1.pk).update(name="甲一组")  # any change of the tree
    assert _evaluate(figure, scope) == (3, True)


@pytest.mark.parametrize("key", ["cases.grievances_overdue", "safety.hazards_overdue"])
def test_a_clock_figure_is_kept_until_the_next_deadline_passes(world, db, key):
    overdue = figures.get(key)
    scope = _scope(world, "T")
    model = Grievance if key.startswith("cases.") else HazardReport
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    due = start + dt.timedelta(hours=2)
    late = model.objects.filter(deadline_at__lt=start).first()  # the world's late open record
    for deadline in (due, due + dt.timedelta(days=1)):  # two open records not late yet
        late.pk, late.deadline_at = None, deadline
        late.save()
    with time_machine.travel(start, tick=False):
        assert overdue.changes_at(scope) == due
        assert _evaluate(overdue, scope) == (1, True)
    with time_machine.travel(due - dt.timedelta(seconds=1), tick=False):
        assert _evaluate(overdue, scope) == (1, False)  # kept: the clock changed nothing
    with time_machine.travel(due + dt.timedelta(seconds=1), tick=False):
        assert _evaluate(overdue, scope) == (2, True)  # the deadline passed: one more late
        assert _evaluate(overdue, scope) == (2, False)  # kept until the next one


@pytest.fixture
def slow_counts(monkeypatch):
    """Every count is taken as slow (as at a million records): pages show the last count."""
    monkeypatch.setattr(figure_cache, "QUICK", 0.0)


@pytest.fixture
def quick_counts(monkeypatch):
    """Every count is taken as quick (as in a small union), however loaded the machine."""
    monkeypatch.setattr(figure_cache, "QUICK", 3600.0)


def test_a_page_shows_the_last_count_while_the_worker_counts_again(
    world, db, django_capture_on_commit_callbacks, slow_counts
):
    from django_tasks_db.models import DBTaskResult

    figure, scope = _received(world)
    assert figure_cache.evaluate_or_kept(figure, scope)[::2] == (3, None)  # counted, current
    counted = FigureValue.objects.get(figure=figure.key, unit_path=scope.unit_path)
    late = Grievance.objects.filter(org_unit=world["units"]["TA1"], state="closed").first()
    late.pk, late.number = None, "SQ-NEW"
    late.save()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        value, rows, as_of = figure_cache.evaluate_or_kept(figure, scope)
    assert (value, as_of) == (3, counted.computed_at)  # the last count, with its time
    assert len(queued) == 1
    [task] = DBTaskResult.objects.filter(task_path__endswith="refresh_figure")
    assert task.args_kwargs["args"][:2] == [figure.key, scope.unit_path]
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert figure_cache.evaluate_or_kept(figure, scope)[::2] == (3, counted.computed_at)
    assert queued == []  # queued once for this state of the data
    assert figure_cache.evaluate(figure, scope) == (4, figure.breakdown(scope))  # exports
    # The worker's task: nothing to do once current, counted again after another change.
    assert not figure_cache.refresh(*task.args_kwargs["args"])
    late.pk, late.number = None, "SQ-NEW2"
    late.save()
    assert figure_cache.refresh(*task.args_kwargs["args"])
    assert figure_cache.evaluate_or_kept(figure, scope)[::2] == (5, None)


def test_a_quick_count_is_made_by_the_page_at_once(world, db, quick_counts):
    """A small union's figures take milliseconds: the page counts them after a change."""
    figure, scope = _received(world)
    assert figure_cache.evaluate_or_kept(figure, scope)[::2] == (3, None)
    kept = FigureValue.objects.get(figure=figure.key, unit_path=scope.unit_path)
    assert kept.seconds > 0  # the time the count took is kept; QUICK decides what it means
    late = Grievance.objects.filter(org_unit=world["units"]["TA1"], state="closed").first()
    late.pk, late.number = None, "SQ-QUICK"
    late.save()
    assert figure_cache.evaluate_or_kept(figure, scope)[::2] == (4, None)


def test_a_count_too_far_behind_is_counted_by_the_page(world, db, slow_counts):
    figure, scope = _received(world)
    figure_cache.evaluate_or_kept(figure, scope)
    Grievance.objects.filter(org_unit=world["units"]["TA1"]).update(text="x")
    later = timezone.now() + figure_cache.MAX_BEHIND + dt.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        assert figure_cache.evaluate_or_kept(figure, scope)[::2] == (3, None)


def test_values_keep_their_decimals_and_rows(world, db):
    scope = _scope(world)
    figure = figures.get("org.dues_collected")
    first = figure_cache.evaluate(figure, scope)
    again = figure_cache.evaluate(figure, scope)
    assert first == again == (figure.compute(scope), [])
    assert FigureValue.objects.filter(figure=figure.key).count() == 1
    by_category = figures.get("cases.grievances_received")
    value, rows = figure_cache.evaluate(by_category, scope)
    assert (value, rows) == figure_cache.evaluate(by_category, scope)
    assert rows == [(str(label), n) for label, n in by_category.breakdown(scope)]


def test_prune_folds_the_changes_and_ends_earlier_states(world, db):
    figure, scope = _received(world)
    unit = world["units"]["TA1"]
    for _ in range(3):  # PostgreSQL: a change row per statement
        Grievance.objects.filter(org_unit=unit).update(text="x")
    rows_before = FigureChange.objects.filter(source="cases_grievance").count()
    before = figure_cache.stamps()["cases_grievance"]
    assert _evaluate(figure, scope)[1]
    figure_cache.prune()
    assert FigureChange.objects.filter(source="cases_grievance").count() == 1
    if rows_before > 1:  # PostgreSQL: folded into a new row, a new state
        assert figure_cache.stamps()["cases_grievance"] != before
        assert _evaluate(figure, scope) == (3, True)
    else:  # SQLite keeps one row per table: nothing to fold
        assert connection.vendor == "sqlite"
        assert _evaluate(figure, scope) == (3, False)


def test_prune_drops_values_not_computed_for_a_month(world, db):
    figure, scope = _received(world)
    assert _evaluate(figure, scope) == (3, True)
    later = timezone.now() + dt.timedelta(days=figure_cache.KEEP_DAYS + 1)
    with time_machine.travel(later, tick=False):
        figure_cache.prune()
    assert not FigureValue.objects.filter(figure=figure.key).exists()
    assert _evaluate(figure, scope) == (3, True)  # asked for again: computed anew
    figure_cache.prune()  # computed just now: kept
    assert _evaluate(figure, scope) == (3, False)


def test_the_dashboard_shows_a_new_record_at_once(world, db):
    # As the exports and the API read it: always counted on the current data.
    user, unit = world["users"]["ta_chair"], world["units"]["TA"]
    first = queries.dashboard(user, unit, support.YEAR)
    values = {f.key: f.value for f in first.all_figures()}
    assert values == support.EXPECTED["TA"]
    _new_member(world)
    again = queries.dashboard(user, unit, support.YEAR)
    values = {f.key: f.value for f in again.all_figures()}
    assert values["org.members_joined"] == support.EXPECTED["TA"]["org.members_joined"] + 1
    assert values["org.members_total"] == support.EXPECTED["TA"]["org.members_total"] + 1
    assert again.behind_since is None


def test_the_page_marks_its_last_count_until_the_worker_counted_again(
    world, db, django_capture_on_commit_callbacks, slow_counts
):
    from django_tasks_db.models import DBTaskResult

    from zhijia.core.tasks import refresh_figure

    client = Client()
    client.force_login(world["users"]["ta_chair"])
    url = f"/dashboard/?unit={world['units']['TA'].pk}&year={support.YEAR}"
    assert "data-behind" not in client.get(url).content.decode()
    _new_member(world)
    with django_capture_on_commit_callbacks(execute=True):
        html = client.get(url).content.decode()
    assert "data-behind" in html and "正在更新" in html
    joined = support.EXPECTED["TA"]["org.members_joined"]
    assert re.search(rf'data-figure="org.members_joined">.*?data-value>{joined}<', html, re.S)
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_figure")
    member_figures = [f.key for f in figures.declared() if "org.member" in f.sources]
    assert sorted(t.args_kwargs["args"][0] for t in queued) == sorted(member_figures)
    for task in queued:  # what the worker does with them
        refresh_figure.call(*task.args_kwargs["args"], **task.args_kwargs["kwargs"])
    html = client.get(url).content.decode()
    assert "data-behind" not in html and "data-as-of" not in html
    assert re.search(rf'data-figure="org.members_joined">.*?data-value>{joined + 1}<', html, re.S)


def _new_member(world) -> None:
    Member.objects.create(
        employee_no="DA9",
        name="新会员",
        gender="F",
        org_unit=world["units"]["TA1"],
        join_date=dt.date(support.YEAR, 8, 1),
    )


def test_the_worker_counts_the_default_pages_ahead(world, db):
    """The hourly sweep counts the current year of the committee and each branch union, in
    the site's language, only where the data changed; the page then reads what it kept."""
    from django.conf import settings

    today = dt.date(support.YEAR, 6, 1)
    with time_machine.travel(dt.datetime(support.YEAR, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        counted = queries.count_ahead(today)
        units = ["T", "TA", "TB"]  # the group TA1 is not counted ahead
        assert counted == len(units) * len(figures.declared())
        kept = FigureValue.objects.filter(
            start=dt.date(support.YEAR, 1, 1),
            end=dt.date(support.YEAR, 12, 31),
            language=settings.LANGUAGE_CODE,
        )
        paths = {world["units"][code].path for code in units}
        assert set(kept.values_list("unit_path", flat=True)) == paths
        assert queries.count_ahead(today) == 0  # nothing changed
        _new_member(world)
        member_figures = [f for f in figures.declared() if "org.member" in f.sources]
        # TA1's new member changes TA's and T's figures that read members (TB's too: their
        # tables changed, the value is counted again even though it stays the same).
        assert queries.count_ahead(today) == len(units) * len(member_figures)
        with translation.override(settings.LANGUAGE_CODE), CaptureQueriesContext(connection) as ctx:
            board = queries.dashboard(
                world["users"]["ta_chair"], world["units"]["TA"], support.YEAR, behind_ok=True
            )
        assert board.behind_since is None
        assert not any("org_member" in q["sql"] for q in ctx.captured_queries)


def test_a_count_of_an_earlier_day_shows_its_date():
    from zhijia.dashboard.templatetags.dashboard_charts import counted_at

    now = timezone.now()
    assert counted_at(now) == f"{timezone.localtime(now):%H:%M}"
    earlier = timezone.localtime(now - dt.timedelta(days=2))
    assert counted_at(earlier) == f"{earlier:%m-%d %H:%M}"
