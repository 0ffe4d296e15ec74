"""zhijia.core.viewmodels.Row: a record with typed page values, read through otherwise."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.template import Context, Template

from zhijia.core.viewmodels import Row


class Thing:
    def __init__(self, pk: int, name: str) -> None:
        self.pk = pk
        self.name = name

    def __str__(self) -> str:
        return f"thing {self.name}"

    def get_kind_display(self) -> str:
        return "kind"


@dataclass(eq=False)
class ThingRow(Row[Thing]):
    seats_left: int = 0


def test_a_row_reads_through_to_its_record_and_adds_its_own_values():
    thing = Thing(7, "甲")
    row = ThingRow(thing, seats_left=3)
    assert (row.pk, row.name, row.seats_left) == (7, "甲", 3)
    assert str(row) == "thing 甲"
    assert not hasattr(thing, "seats_left"), "the record itself is left alone"
    page = Template("{{ r }}|{{ r.name }}|{{ r.get_kind_display }}|{{ r.seats_left }}").render(
        Context({"r": row})
    )
    assert page == "thing 甲|甲|kind|3"


def test_a_missing_name_is_an_attribute_error_and_rows_copy():
    row = ThingRow(Thing(1, "乙"))
    try:
        row.nothing  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("expected AttributeError")
    assert copy.copy(row).name == "乙"
