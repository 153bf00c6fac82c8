"""The gap matrix: for every canonical entity, one cell per jurisdiction (listed / lifted /
not listed). A gap is a jurisdiction that does not list (today) an entity that another
jurisdiction lists; its age is the days since the first listing elsewhere.

Several sources of one jurisdiction (OFAC SDN + consolidated; OFSI + FCDO) fold into one
cell: listed if any of them lists the entity; several regimes of one authority count once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from pressurepoint.analysis.designations import Designation, Designations, Target
from pressurepoint.analysis.regimes import matches
from pressurepoint.errors import InvalidInput

LISTED, LIFTED, NOT_LISTED = "listed", "lifted", "not_listed"


@dataclass
class Cell:
    """What one jurisdiction says of one entity."""

    status: str = NOT_LISTED
    since: str | None = None
    until: str | None = None
    regimes: list[str] = field(default_factory=list)
    designations: list[Designation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "since": self.since, "until": self.until,
            "regimes": self.regimes,
            "sources": [{"source": d.source, "record_id": d.record_id, "entity_id": d.target,
                         "designation_id": d.id, "run": d.run, "status": d.status,
                         "since": d.since, "since_basis": d.since_basis, "until": d.until,
                         "rule": d.rule, "regimes": d.programs}
                        for d in self.designations],
        }


NOBODY = Cell()  # the (shared, never changed) cell of a jurisdiction that does not list


@dataclass
class Row:
    """One canonical entity across every jurisdiction."""

    target: Target
    cells: dict[str, Cell]

    # Cached: the cells never change once a row is made, and sorting and filtering ask
    # for these several times per row.
    @cached_property
    def listed_by(self) -> list[str]:
        return [j for j, c in self.cells.items() if c.status == LISTED]

    @cached_property
    def gaps(self) -> list[str]:
        return [j for j, c in self.cells.items() if c.status != LISTED] if self.listed_by \
            else []

    @cached_property
    def first_listed(self) -> str | None:
        dates = [c.since for c in self.cells.values() if c.status == LISTED and c.since]
        return min(dates) if dates else None

    def gap_age(self, as_of: date) -> int | None:
        first = self.first_listed
        if not self.gaps or first is None:
            return None
        return (as_of - _day(first)).days

    def to_json(self, as_of: date) -> dict[str, Any]:
        target = self.target
        return {
            "id": target.id, "name": target.name, "names": target.names,
            "schema": target.schema,
            "birth_date": target.birth_dates[0] if target.birth_dates else None,
            "birth_dates": target.birth_dates, "records": target.members,
            "listed_by": self.listed_by, "gaps": self.gaps,
            "lifted_by": [j for j, c in self.cells.items() if c.status == LIFTED],
            "first_listed": self.first_listed, "gap_age_days": self.gap_age(as_of),
            "jurisdictions": {j: c.to_json() for j, c in self.cells.items()},
        }


@dataclass
class Query:
    """Filters of the gap matrix."""

    regimes: Sequence[str] = ()
    schema: Sequence[str] = ()
    listed_by: Sequence[str] = ()
    not_listed_by: Sequence[str] = ()
    since: str | None = None
    include_all: bool = False  # also entities without a gap


def split_codes(text: str | None, *, upper: bool = True) -> list[str]:
    """A filter given as comma-separated text ("UK, CA") as its items."""
    if not text:
        return []
    return [p.strip().upper() if upper else p.strip() for p in text.split(",") if p.strip()]


def iso_day(text: str | None, name: str) -> str | None:
    """A filter's date as YYYY-MM-DD; InvalidInput naming the filter if it is not one."""
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(f"{name}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None


def check_jurisdictions(query: Query, loaded: Sequence[str]) -> None:
    """InvalidInput if the query names a jurisdiction no loaded source belongs to."""
    unknown = sorted((set(query.listed_by) | set(query.not_listed_by)) - set(loaded))
    if unknown:
        raise InvalidInput(f"no loaded sanctions source of jurisdiction {', '.join(unknown)} "
                           f"(loaded: {', '.join(loaded)})")


def cell_of(items: list[Designation]) -> Cell:
    """Fold the designations of one jurisdiction into one cell."""
    listed = [d for d in items if d.status == LISTED]
    chosen = listed or items
    cell = Cell(status=LISTED if listed else LIFTED, designations=sorted(
        items, key=lambda d: (d.source, d.status != LISTED, d.id)))
    cell.since = min((d.since for d in chosen if d.since), default=None)
    if not listed:
        cell.until = max((d.until for d in items if d.until), default=None)
    cell.regimes = sorted({p for d in chosen for p in d.programs})
    return cell


def matrix(data: Designations, query: Query | None = None) -> list[Row]:
    """Rows of the gap matrix, most glaring gaps first: most jurisdictions listing, then the
    oldest first listing elsewhere, then the name."""
    query = query or Query()
    grouped: dict[str, dict[str, list[Designation]]] = {}
    for item in selected(data, query.regimes):
        grouped.setdefault(item.canonical, {}).setdefault(item.jurisdiction, []).append(item)
    codes = jurisdictions(data, query.regimes)
    rows = []
    for canonical, per_jurisdiction in grouped.items():
        cells = {j: cell_of(per_jurisdiction[j]) if j in per_jurisdiction else NOBODY
                 for j in codes}
        row = Row(data.targets[canonical], cells)
        if _keep(row, query):
            rows.append(row)
    rows.sort(key=lambda r: (-len(r.listed_by), r.first_listed or "9999",
                             r.target.name.lower(), r.target.id))
    return rows


def selected(data: Designations, regimes: Sequence[str]) -> list[Designation]:
    """The designations under the wanted regimes (all without a filter)."""
    if not regimes:
        return data.items
    return [d for d in data.items if matches(d.programs, regimes)]


def jurisdictions(data: Designations, regimes: Sequence[str]) -> list[str]:
    """The jurisdictions the matrix has a column for: every loaded one; with a regime
    filter, those with at least one designation under it (a jurisdiction without such a
    regime at all, e.g. the UN for Russia, is not a gap)."""
    if not regimes:
        return data.jurisdictions
    return sorted({d.jurisdiction for d in selected(data, regimes)})


def _keep(row: Row, query: Query) -> bool:
    if not query.include_all and not row.gaps:
        return False
    if query.schema and row.target.schema not in query.schema:
        return False
    listed = set(row.listed_by)
    if any(j not in listed for j in query.listed_by):
        return False
    if any(j in listed for j in query.not_listed_by):
        return False
    if query.since:
        dates = [c.since for c in row.cells.values() if c.status == LISTED and c.since]
        if not any(d >= query.since for d in dates):
            return False
    return True


def _day(text: str) -> date:
    """A full or partial ISO date as a date (a year alone: 1 January)."""
    parts = [*text[:10].split("-"), "01", "01"][:3]
    try:
        return date(int(parts[0]), int(parts[1] or 1), int(parts[2] or 1))
    except ValueError:
        return date(int(parts[0]), 1, 1)
