"""Bounded field types for the API's schemas: input bounds declared once, here, and used in
the schema classes and endpoint signatures (docs/api.md, "Input bounds").

A value outside its bounds is refused with 422 before any query runs: an id beyond what the
database's integer column holds, a negative head count, an election for 10^12 seats, session
number 0, a transfer dated 1900-01-01. Without them such values reached the database and
answered 500 (or passed as absurd records).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from ninja import Field, Schema
from pydantic import AliasChoices, model_validator

# Ids are 64-bit (DEFAULT_AUTO_FIELD is BigAutoField); other integer columns are PostgreSQL's
# 32-bit integer (SQLite's 64-bit integers hold more).
ID_MAX = 2**63 - 1
DB_INT_MAX = 2_147_483_647

# The id of a record (path, query or body).
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
# A head count, a number of items: zero or more.
Count = Annotated[int, Field(ge=0, le=DB_INT_MAX)]
# Seats to fill in one election, representatives or places in one event.
Seats = Annotated[int, Field(ge=1, le=10_000)]
# The ordinal of a term or a session (第几届, 第几次).
Ordinal = Annotated[int, Field(ge=1, le=1_000)]
# A deadline or notice period in working days.
Workdays = Annotated[int, Field(ge=1, le=250)]
# A calendar year of union business.
Year = Annotated[int, Field(ge=1950, le=2100)]
# A date of union business (membership, transfers, meetings, payments).
Date = Annotated[dt.date, Field(ge=dt.date(1950, 1, 1), le=dt.date(2100, 12, 31))]
# A time of day as "HH:MM" (local time): OpenAPI's "time" format asks for an offset, which a
# slot of a day (a reception, a room's hours) does not have. `clock()` writes one, `parse_clock()`
# reads one.
Clock = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:30"])]


def clock(value: dt.time) -> str:
    return value.strftime("%H:%M")


def parse_clock(value: str) -> dt.time:
    return dt.datetime.strptime(value, "%H:%M").time()


# A code or token a client copies (receipt codes, hall tokens, activation codes): printable
# ASCII, spaces included (a slip prints its code in groups, "ABCD EFGH", and the member types
# it so), bounded.
Code = Annotated[str, Field(max_length=128, pattern=r"^[\x20-\x7e]*$")]


# --- renamed inputs (docs/api.md, "Renamed inputs") -------------------------------------------
# An input renamed to follow the conventions (a foreign key named `<thing>_id`) keeps its old
# name working for clients written against it, documented as deprecated.


def renamed_from(new: str, old: str, default: Any = ..., **kwargs: Any) -> Any:
    """A body field that had another name: `department_id: Id = renamed_from("department_id",
    "department")` accepts either name; the document shows the new one."""
    return Field(default, validation_alias=AliasChoices(new, old), **kwargs)


# A query parameter's old name, still accepted next to the new one: `unit: DeprecatedId = None`
# beside `unit_id: Id | None = None`, resolved with `either(unit_id, unit)` or a RenamedQuery.
DeprecatedId = Annotated[
    int | None,
    Field(
        ge=1,
        le=ID_MAX,
        description="Deprecated: the old name of the parameter `<name>_id`; use that.",
        json_schema_extra={"deprecated": True},
    ),
]


def either(new: Any, old: Any) -> Any:
    """The new parameter's value, else the deprecated one's."""
    return new if new is not None else old


class RenamedQuery(Schema):
    """A query schema whose parameters were renamed: declare the old ones as
    `DeprecatedId = None` and list them in `renamed = {"unit": "unit_id"}`; a client's old
    name fills the new one."""

    renamed: ClassVar[dict[str, str]] = {}

    @model_validator(mode="after")
    def _old_names_fill_new_ones(self) -> Any:
        for old, new in self.renamed.items():
            if getattr(self, new) is None and getattr(self, old) is not None:
                setattr(self, new, getattr(self, old))
        return self
