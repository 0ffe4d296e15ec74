"""core.figures: the scope's bounds and root id, rates, and a figure's links and rows."""

from __future__ import annotations

import datetime as dt

import pytest

from zhijia.core import figures


def test_the_scope_names_its_root_and_its_days_as_datetimes():
    scope = figures.Scope(
        unit_path="/1/4/17/", start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    assert scope.unit_id == 17
    lo, hi = scope.bounds()
    assert (lo.date(), hi.date()) == (dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    assert lo.tzinfo is not None and lo.time() == dt.time.min


def test_rates_have_no_value_without_anything_behind_them():
    assert figures.rate(1, 3) == 33.3
    assert figures.rate(0, 0) is None


def test_links_rows_and_keys_of_a_declared_figure():
    figure = figures.Figure(
        key="testmod.things",
        label="事项",
        module="testmod",
        compute=lambda scope: 2,
        link=lambda scope: f"/things/?unit={scope.unit_id}",
        breakdown=lambda scope: [("甲", 1), ("乙", 1)],
    )
    plain = figures.Figure(
        key="testmod.plain", label="无", module="testmod", compute=lambda s: None
    )
    scope = figures.Scope(unit_path="/1/", start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
    try:
        figures.register(figure)
        figures.register(plain)
        assert figures.value("testmod.things", scope) == 2
        assert figures.link("testmod.things", scope) == "/things/?unit=1"
        assert figures.rows("testmod.things", scope) == [("甲", 1), ("乙", 1)]
        assert (
            figures.link("testmod.plain", scope) == ""
            and figures.rows("testmod.plain", scope) == []
        )
        with pytest.raises(ValueError, match="must start with its module"):
            figures.register(figures.Figure(key="x.y", label="", module="z", compute=plain.compute))
    finally:
        figures._FIGURES.pop("testmod.things", None)
        figures._FIGURES.pop("testmod.plain", None)
