"""Per-entity pages: one HTML file per canonical entity with a designation. Its
jurisdiction table links every cell to the source records behind it, and each record is
shown below with its source, record id, runs, names, birth dates and identifiers (read
with `store.views.record_views`, in batches so that the full data stays within memory)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from followthemoney import model
from followthemoney.types import registry

from pressurepoint.analysis.designations import NAME_PROPS, Designation
from pressurepoint.analysis.gaps import Row
from pressurepoint.outputs.report.site import Site, page_name
from pressurepoint.store import Store
from pressurepoint.store.views import RecordView, record_views

# Source records read in one go: the rows of record_views are plain dicts, and the
# records of the first (most listed) entities carry hundreds of statements each.
BATCH_RECORDS = 1500
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag")


def record_anchor(entity_id: str) -> str:
    return "rec-" + page_name(entity_id).removesuffix(".html")


@dataclass
class RecordInfo:
    """One source record as the entity page shows it."""

    view: RecordView
    anchor: str
    names: list[str]
    birth_dates: list[str]
    countries: list[str]
    identifiers: list[tuple[str, str]]  # (label, value)
    designations: list[Designation]

    @property
    def record_ids(self) -> list[str]:
        return list(dict.fromkeys(d.record_id for d in self.designations if d.record_id))

    @property
    def runs(self) -> list[int]:
        return sorted({d.run for d in self.designations})


def record_info(view: RecordView, designations: list[Designation]) -> RecordInfo:
    schema = model.get(view.schema)
    identifiers: list[tuple[str, str]] = []
    for value in view.values:
        prop = schema.get(value["prop"]) if schema is not None else None
        if prop is not None and prop.type == registry.identifier:
            pair = (str(prop.label), value["value"])
            if pair not in identifiers:
                identifiers.append(pair)
    return RecordInfo(
        view=view, anchor=record_anchor(view.id),
        names=_distinct(view, NAME_PROPS), birth_dates=_distinct(view, ("birthDate",)),
        countries=_distinct(view, COUNTRY_PROPS), identifiers=identifiers,
        designations=[d for d in designations if d.target == view.id],
    )


def _distinct(view: RecordView, props: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(v["value"] for p in props for v in view.values
                              if v["prop"] == p))


def cell_rows(row: Row) -> list[dict[str, Any]]:
    """The jurisdiction table of one entity, gaps marked."""
    gaps = set(row.gaps)
    return [{"code": code, "cell": cell, "gap": code in gaps,
             "designations": [(d, record_anchor(d.target)) for d in cell.designations]}
            for code, cell in row.cells.items()]


def write_entity_pages(site: Site, store: Store, rows: Sequence[Row], as_of: date,
                       advance: Callable[[int], None]) -> int:
    """Write every entity page; returns the number written."""
    count = 0
    for batch in _batches(rows, BATCH_RECORDS):
        members = [m for row in batch for m in row.target.members]
        views = {v.id: v for v in record_views(store, members, designations=False)}
        for row in batch:
            designations = [d for cell in row.cells.values() for d in cell.designations]
            records = [record_info(views[m], designations) for m in row.target.members
                       if m in views]
            site.page(f"entities/{page_name(row.target.id)}", "entity.html", row=row,
                      cells=cell_rows(row), records=records, gap_age=row.gap_age(as_of))
            count += 1
        advance(len(batch))
    return count


def _batches(rows: Sequence[Row], records: int) -> Iterator[list[Row]]:
    """Consecutive rows whose entities have about `records` source records in all."""
    batch: list[Row] = []
    count = 0
    for row in rows:
        batch.append(row)
        count += len(row.target.members)
        if count >= records:
            yield batch
            batch, count = [], 0
    if batch:
        yield batch
