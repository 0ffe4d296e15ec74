"""Typed page rows: a record with what one page adds to it, instead of attributes set on model
instances (which the type checker cannot see and which leak into any later use of the object).

    @dataclass(eq=False)
    class SlotRow(Row[CounselingSlot]):
        seats_left: int = 0

    rows = [SlotRow(slot, seats_left=queries.seats_left(slot)) for slot in slots]

A Row reads everything else through from its record (`row.starts_at`, `row.get_kind_display`,
`str(row)`), so a template uses it as it would the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(eq=False)
class Row(Generic[T]):
    obj: T

    def __getattr__(self, name: str) -> Any:
        # Only called for names the row itself lacks; never for dunders (copy, pickle).
        if name.startswith("__") or name == "obj":
            raise AttributeError(name)
        return getattr(self.obj, name)

    def __str__(self) -> str:
        return str(self.obj)
