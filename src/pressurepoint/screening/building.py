"""Building a `ScreeningIndex` from the store (see `pressurepoint.screening.engine`)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import TYPE_CHECKING

from pressurepoint.analysis.designations import SCHEMA_ORDER, Designations, load_designations
from pressurepoint.analysis.gaps import NOT_LISTED, Query, matrix
from pressurepoint.processes import collector_paused
from pressurepoint.resolve.features import Prepared
from pressurepoint.resolve.matcher import DefaultMatcher
from pressurepoint.resolve.pipeline import Record, load_records
from pressurepoint.resolve.scorer import SCORER_VERSION
from pressurepoint.screening import lineage
from pressurepoint.screening.version import code_digest, data_version
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs

if TYPE_CHECKING:
    from pressurepoint.screening.engine import Canonical, Entry, ScreeningIndex

Progress = Callable[[int, int], None]
NAME_ORDER = ("name", "alias", "previousName", "weakAlias")


def build_index(cls: type[ScreeningIndex], store: Store, progress: Progress | None = None, *,
                previous: ScreeningIndex | None = None, version: str | None = None
                ) -> ScreeningIndex:
    return build_parts(cls, store, progress, previous=previous, version=version)[0]


def build_parts(cls: type[ScreeningIndex], store: Store, progress: Progress | None = None, *,
                previous: ScreeningIndex | None = None, version: str | None = None
                ) -> tuple[ScreeningIndex, Designations]:
    """The index and the designations it was built with (the service keeps both)."""
    from pressurepoint.screening.engine import Entry

    stamp = version or data_version(store)
    records = load_records(store)
    canon = rs.canonical_map(store)
    data = load_designations(store)
    listed = {row.target.id: {j: c.status for j, c in row.cells.items()
                              if c.status != NOT_LISTED}
              for row in matrix(data, Query(include_all=True))}
    reusable = _reusable(previous)
    matcher = DefaultMatcher()
    entries: list[Entry] = []
    prepared_records: list[Prepared] = []
    postings: dict[str, list[int]] = {}
    tick = progress or (lambda _done, _total: None)
    # a record prepared by other code (an older cached index) is prepared again
    code = f"{SCORER_VERSION}/{code_digest()}"
    # millions of objects and none in a reference cycle: the collector is paused while
    # they are made, and they are out of its walks for good once made (a full
    # collection over them would stall this process, and every request, for seconds)
    with collector_paused():
        for n, (record_id, record) in enumerate(sorted(records.items())):
            fingerprint = record.fingerprint(code)
            kept = reusable.get((record_id, fingerprint))
            if kept is None:
                prepared = matcher.prepare(record.schema, record.props)
                keys = list(matcher.block_keys(prepared))
                countries = tuple(sorted(prepared.countries))
            else:
                prepared, keys, countries = kept
            prepared_records.append(prepared)
            entries.append(Entry(
                id=record_id, schema=record.schema, source=record.source,
                canonical=canon.get(record_id, record_id), caption=_caption(record),
                countries=tuple(countries), fingerprint=fingerprint))
            for key in keys:
                postings.setdefault(key, []).append(n)
            if (n + 1) % 2000 == 0 or n + 1 == len(records):
                tick(n + 1, len(records))
        canonicals = _canonicals(entries, data, listed)
        index = cls(entries, prepared_records, {k: tuple(v) for k, v in postings.items()},
                    canonicals, dict(data.source_jurisdiction), stamp, lineage.next_number())
        gc.freeze()
    return index, data


def _canonicals(entries: list[Entry], data: Designations,
                listed: dict[str, dict[str, str]]) -> dict[str, Canonical]:
    """The canonical entities of the records (`entries`), each with its best name and
    schema and the jurisdictions that list it."""
    from pressurepoint.screening.engine import Canonical

    canonicals: dict[str, Canonical] = {}
    for n, entry in enumerate(entries):
        found = canonicals.get(entry.canonical)
        if found is None:
            target = data.targets.get(entry.canonical)
            found = canonicals[entry.canonical] = Canonical(
                id=entry.canonical, caption=target.name if target and target.names
                else entry.caption, schema=entry.schema, records=[],
                jurisdictions=listed.get(entry.canonical, {}))
        found.records.append(n)
    for found in canonicals.values():
        schemata = {entries[n].schema for n in found.records}
        found.schema = next((s for s in SCHEMA_ORDER if s in schemata), min(schemata))
    return canonicals


def _reusable(previous: ScreeningIndex | None
              ) -> dict[tuple[str, str], tuple[Prepared, list[str], tuple[str, ...]]]:
    """(record id, fingerprint) -> (prepared record, keys, countries) of the records of an
    index built or adopted by this process (records of another numbering must not mix
    with this one's: `pressurepoint.screening.lineage`)."""
    if previous is None:
        return {}
    keys_of: list[list[str]] = [[] for _ in previous.entries]
    for key, members in previous.postings.items():
        for n in members:
            keys_of[n].append(key)
    return {(e.id, e.fingerprint): (prepared, keys_of[n], e.countries)
            for n, (e, prepared) in enumerate(zip(previous.entries, previous.records,
                                                  strict=True))}


def _caption(record: Record) -> str:
    for prop in NAME_ORDER:
        values = record.props.get(prop)
        if values:
            return sorted(values, key=lambda v: (len(v) > 80, v))[0]
    parts = [record.props[p][0] for p in ("firstName", "lastName") if record.props.get(p)]
    return " ".join(parts) or record.id
