"""The congress rules at their boundaries: pure Python, no database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from zhijia.congress import rules
from zhijia.congress.rules import FAIL, OK, WARN, RuleSet, Slate, Workforce

RS = RuleSet()


def _slate(voting, **kw):
    return Slate(voting=voting, **kw)


# --- size: 5 % of all workers and at least 30 -----------------------------------------------------


@pytest.mark.parametrize(
    ("workforce", "reps", "status"),
    [
        (400, 29, FAIL),  # 5 % is 20, the floor of 30 applies
        (400, 30, OK),
        (800, 39, FAIL),  # 5 % of 800 = 40
        (800, 40, OK),
        (801, 40, FAIL),  # 5 % of 801 = 40.05: 41 needed (never round down)
        (801, 41, OK),
    ],
)
def test_size_min(workforce, reps, status):
    check = rules.check_size(Workforce(workforce), _slate(reps), RS)
    assert check.status == status
    assert check.basis == "《企业民主管理规定》第十八条"
    assert check.figures["reps"] == reps


def test_min_reps_for():
    assert rules.min_reps_for(100, RS) == 30
    assert rules.min_reps_for(600, RS) == 30
    assert rules.min_reps_for(620, RS) == 31
    assert rules.min_reps_for(20000, RS) == 1000


@pytest.mark.parametrize(
    ("workforce", "reps", "status", "required"),
    [
        (999, 30, OK, None),  # below 1,000 workers no provincial floor applies
        (1000, 99, FAIL, 100),
        (1000, 100, OK, 100),
        (9999, 100, OK, 100),
        (10000, 149, FAIL, 150),
        (10000, 150, OK, 150),
    ],
)
def test_provincial_floor(workforce, reps, status, required):
    check = rules.check_provincial_size(Workforce(workforce), _slate(reps), RS)
    assert check.status == status
    assert check.figures["required"] == required
    assert check.basis == "省级职代会条例（可配置）"


def test_provincial_floor_is_configurable():
    rs = RuleSet.from_overrides({"provincial_floors": [[500, 60], [5000, 120]]})
    assert rules.check_provincial_size(Workforce(600), _slate(59), rs).status == FAIL
    assert rules.check_provincial_size(Workforce(600), _slate(60), rs).status == OK
    assert rules.check_provincial_size(Workforce(5000), _slate(119), rs).status == FAIL


# --- managers at most 20 %, front-line at least half, 列席 at most 1/5 ----------------------


@pytest.mark.parametrize(("managers", "status"), [(0, OK), (24, OK), (25, FAIL)])
def test_managers_at_most_a_fifth(managers, status):
    check = rules.check_managers(_slate(120, managers=managers), RS)
    assert check.status == status
    assert check.figures["allowed"] == 24
    assert "第十九条" in check.basis


def test_managers_share_with_a_remainder():
    # 31 representatives: 20 % is 6.2, so 6 managers are allowed and 7 are not.
    assert rules.check_managers(_slate(31, managers=6), RS).status == OK
    assert rules.check_managers(_slate(31, managers=7), RS).status == FAIL


@pytest.mark.parametrize(
    ("reps", "frontline", "status"),
    [(120, 59, FAIL), (120, 60, OK), (31, 15, FAIL), (31, 16, OK)],
)
def test_frontline_at_least_half(reps, frontline, status):
    check = rules.check_frontline(_slate(reps, frontline=frontline), RS)
    assert check.status == status
    assert check.basis == "省级职代会条例（可配置）"


@pytest.mark.parametrize(("attending", "status"), [(0, OK), (24, OK), (25, FAIL)])
def test_attending_at_most_a_fifth(attending, status):
    assert rules.check_attending(_slate(120, attending=attending), RS).status == status


# --- women and dispatched workers in proportion: warn ---------------------------------------------


def test_women_in_proportion():
    wf = Workforce(total=1000, women=380)
    # 38 % of 100 representatives is 38.
    assert rules.check_women(wf, _slate(100, women=38), RS).status == OK
    check = rules.check_women(wf, _slate(100, women=37), RS)
    assert check.status == WARN
    assert check.figures["required"] == 38
    assert check.figures["workforce_share"] == "38%"
    assert "第十九条" in check.basis


def test_dispatched_in_proportion_and_not_applicable():
    wf = Workforce(total=1200, dispatched=150)  # 12.5 %
    # 12.5 % of 120 is 15 exactly
    assert rules.check_dispatched(wf, _slate(120, dispatched=15), RS).status == OK
    assert rules.check_dispatched(wf, _slate(120, dispatched=14), RS).status == WARN
    # No dispatched workers at all: nothing to represent.
    assert rules.check_dispatched(Workforce(1200), _slate(120), RS).status == OK


def test_all_checks_and_overall():
    wf = Workforce(total=2000, women=600, dispatched=100)
    good = Slate(voting=120, managers=20, frontline=70, women=40, dispatched=6, attending=10)
    checks = rules.composition_checks(wf, good)
    assert [c.code for c in checks] == [
        "size_min",
        "size_provincial",
        "managers_max",
        "frontline_min",
        "women_share",
        "dispatched_share",
        "attending_max",
    ]
    assert rules.overall(checks) == OK
    warn_only = Slate(voting=120, managers=20, frontline=70, women=30, dispatched=6)
    assert rules.overall(rules.composition_checks(wf, warn_only)) == WARN
    bad = Slate(voting=99, managers=20, frontline=70, women=40, dispatched=6)
    assert rules.overall(rules.composition_checks(wf, bad)) == FAIL
    assert all(c.basis for c in checks)


# --- terms and sessions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "status"),
    [
        (dt.date(2027, 2, 27), FAIL),  # a day short of 3 years
        (dt.date(2027, 2, 28), OK),  # 3 years, written as the last day
        (dt.date(2027, 3, 1), OK),  # 3 years, written as the anniversary
        (dt.date(2029, 3, 1), OK),  # 5 years
        (dt.date(2029, 3, 2), FAIL),  # more than 5 years
    ],
)
def test_term_length(end, status):
    assert rules.check_term_length(dt.date(2024, 3, 1), end).status == status


def test_term_years_and_missing_sessions():
    start, end = dt.date(2024, 3, 1), dt.date(2027, 2, 28)
    years = rules.sessions_per_year(
        start,
        end,
        [dt.date(2024, 4, 10), dt.date(2024, 12, 1), dt.date(2026, 3, 1)],
        today=dt.date(2025, 6, 1),
    )
    assert [(y.start, y.end) for y in years] == [
        (dt.date(2024, 3, 1), dt.date(2025, 2, 28)),
        (dt.date(2025, 3, 1), dt.date(2026, 2, 28)),
        (dt.date(2026, 3, 1), dt.date(2027, 2, 28)),
    ]
    assert [y.sessions for y in years] == [2, 0, 1]
    assert [y.status for y in years] == [OK, WARN, OK]
    assert [y.past for y in years] == [True, False, False]


# --- quorum and the pass rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("present", "total", "reached"),
    [(79, 120, False), (80, 120, True), (120, 120, True), (20, 31, False), (21, 31, True)],
)
def test_quorum_two_thirds_of_all(present, total, reached):
    result = rules.quorum(present, total)
    assert result.reached is reached
    assert result.required == rules.quorum_required(total)


def test_quorum_figures():
    q = rules.quorum(79, 120)
    assert (q.required, q.missing) == (80, 1)
    assert rules.quorum(0, 0).reached is False  # no quorum without representatives


@pytest.mark.parametrize(("yes", "passes"), [(60, False), (61, True)])
def test_resolution_needs_more_than_half_of_all_representatives(yes, passes):
    # 80 present: 60 yes is three quarters of those present and still fails.
    assert rules.resolution_passes(yes, 120) is passes
    assert rules.pass_threshold(120) == 61


def test_ruleset_overrides():
    rs = RuleSet.from_overrides(
        {
            "max_manager_share": "1/4",
            "min_reps": 40,
            "quorum": 0.75,
            "basis": {"managers_max": "某省职代会条例第二十条"},
            "unknown": 1,
        }
    )
    assert rs.max_manager_share == Fraction(1, 4)
    assert rs.min_reps == 40
    assert rs.quorum == Fraction(3, 4)
    assert rs.basis_for("managers_max") == "某省职代会条例第二十条"
    assert rs.basis_for("size_min") == "《企业民主管理规定》第十八条"
    assert rules.check_managers(_slate(120, managers=30), rs).status == OK
    assert rules.quorum(89, 120, rs).reached is False
    assert rules.quorum(90, 120, rs).reached is True


def test_rules_module_imports_no_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(rules.__file__).read_text())
    imported = {
        (n.module or "") if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in (n.names if isinstance(n, ast.Import) else [n])
    }
    assert not any(name.startswith("django") for name in imported)
