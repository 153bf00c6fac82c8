"""A row-level problem in a source file: recorded, never a crash, never a silent drop."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem with one value or row.

    `code` is stable (documented in docs/issues.md) so that users can filter and count.
    `location` says where in the file: "line 1234", "row 17 of sheet X", "element 55".
    """

    code: str
    message: str
    record_id: str | None = None
    prop: str | None = None
    value: str | None = None
    location: str | None = None
    level: str = "warning"
