"""When each record was first and last seen, and when its data last changed: yente's
`first_seen`, `last_seen` and `last_change` of an entity, and its `/match` filter
`changed_since`.

From the statement history of the store: every value of a record carries the publication
stamps of the first and the latest file that stated it (`first_seen`, `last_seen`; files
may be loaded in any order). A record's data changed when a value appeared (its
`first_seen`) or when a file stopped stating a value (the publication of the source's
first file after the value's `last_seen`). An entity's dates span its records.
"""

from __future__ import annotations

import contextlib
import logging
import pickle
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import case, func, select

from pressurepoint.screening.cache import prune, write_pickle
from pressurepoint.store import Store
from pressurepoint.store import schema as t

log = logging.getLogger(__name__)


class Seen(NamedTuple):
    """Publication stamps ("YYYY-MM-DDTHH:MM:SS")."""

    first_seen: str
    last_seen: str
    last_change: str


#: A record's dates: a `Seen` or a plain tuple of the same three stamps.
Dates = tuple[str, str, str]


def record_dates(store: Store) -> dict[str, Seen]:
    """Record id -> its dates, for every record of every source (one grouped scan of
    each source's statements)."""
    published: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for source, stamp in conn.execute(select(t.run.c.source, t.run.c.published_at)
                                          .order_by(t.run.c.published_at)):
            published.setdefault(source, []).append(stamp)
        out: dict[str, Seen] = {}
        s = t.statement.c
        for source, stamps in published.items():
            # the latest stamp of a value the newest file no longer states
            dropped = func.max(case((s.last_seen < stamps[-1], s.last_seen), else_=None))
            query = (select(s.entity_id, func.min(s.first_seen), func.max(s.last_seen),
                            func.max(s.first_seen), dropped)
                     .where(s.source == source).group_by(s.entity_id))
            for entity_id, first, last, newest_value, dropped_at in conn.execute(query):
                change = newest_value
                if dropped_at is not None:
                    later = bisect_right(stamps, dropped_at)  # the first file without it
                    if later < len(stamps):
                        change = max(change, stamps[later])
                out[entity_id] = Seen(first, last, change)
    return out


def stored_record_dates(store: Store, folder: Path, version: str) -> Mapping[str, Dates]:
    """`record_dates` of the data version `version`, read from `folder` if an earlier
    start wrote them (the grouped scan takes seconds on the full data: a start reads a
    file instead), else read from the store and written there. Read back as plain tuples
    (a start needs no more: making 100,000 named tuples takes a quarter of a second)."""
    path = folder / f"dates-{version}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError,
                             TypeError, ValueError), path.open("rb") as handle:
        # plain tuples on disk: unpickling 100,000 named tuples calls Python per item
        # (seconds); tuples of text load in C
        stored = pickle.load(handle)
        if isinstance(stored, dict) and all(
                type(value) is tuple and len(value) == 3 for value in stored.values()):
            return stored
    found = record_dates(store)
    try:
        _write(found, folder, path)
    except OSError as exc:  # a read-only data folder: read again at the next start
        log.warning("cannot cache the records' dates: %s", exc)
    return found


def _write(found: dict[str, Seen], folder: Path, path: Path) -> None:
    """Write atomically, each distinct stamp once (a few dozen publications stamp
    100,000 records); keep the newest few versions."""
    stamps: dict[str, str] = {}
    write_pickle(path, {key: tuple([stamps.setdefault(v, v) for v in value])
                        for key, value in found.items()})
    prune(folder, "dates-*.pickle")


def entity_dates(records: Mapping[str, Dates], members: Iterable[tuple[str, Iterable[str]]]
                 ) -> dict[str, Seen]:
    """Entity id -> the span of its records' dates; `members`: (entity id, record ids)."""
    out: dict[str, Seen] = {}
    for entity_id, record_ids in members:
        found = [records[r] for r in record_ids if r in records]
        if found:
            out[entity_id] = Seen(min(f[0] for f in found), max(f[1] for f in found),
                                  max(f[2] for f in found))
    return out
