"""Designations as the analysis reads them: every FtM Sanction of a sanctions source, with
the status it has today, and the canonical entity (from the resolver) of its target.

A Sanction's values are those of the newest publication that stated it. Its status is the
publisher's (`status` + `pp:statusRule`), except that a designation or target record no
longer present in the newest run of its source is lifted since the last file that stated
it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ClauseElement, select

from pressurepoint.model import TARGET_SCHEMATA
from pressurepoint.store import Store
from pressurepoint.store import schema as t

SANCTION_PROPS = ("entity", "status", "pp:statusRule", "listingDate", "endDate", "program",
                  "recordId")
NAME_PROPS = ("name", "alias", "weakAlias", "previousName")
TARGET_PROPS = (*NAME_PROPS, "birthDate")
# When a canonical entity mixes schemata, the most specific wins.
Mark = tuple[str, str, str, str, int]  # schema, source, first_seen, last_seen, last_run
SCHEMA_ORDER = ("Person", "Vessel", "Airplane", "Company", "Organization", "LegalEntity")


@dataclass
class Designation:
    """One listing of one source record by one source."""

    id: str
    source: str
    jurisdiction: str
    target: str
    canonical: str
    status: str  # listed | lifted
    rule: str
    since: str | None  # listing date, or the first file that stated it
    since_basis: str  # "listingDate" or "first seen"
    until: str | None
    programs: list[str]
    record_id: str | None
    run: int
    first_seen: str
    last_seen: str


@dataclass
class Target:
    """A canonical entity with what the analysis shows of it."""

    id: str
    schema: str = "LegalEntity"
    names: list[str] = field(default_factory=list)
    birth_dates: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.id


@dataclass
class Designations:
    """Everything the gap matrix and the timeline need, read in a handful of queries."""

    items: list[Designation]
    targets: dict[str, Target]
    jurisdictions: list[str]  # of every loaded sanctions source
    source_jurisdiction: dict[str, str]
    runs: dict[str, list[tuple[str, int]]]  # source -> [(published_at, run id)], oldest first


def sanctions_sources(store: Store) -> dict[str, str]:
    """Loaded sanctions sources -> jurisdiction code (an unknown source: its id, upper)."""
    from pressurepoint.errors import NotFound
    from pressurepoint.sources import SOURCE_JURISDICTIONS, get_source

    out = {}
    for source in sorted({r["source"] for r in store.runs()}):
        known = SOURCE_JURISDICTIONS.get(source)
        if known is None:
            try:
                spec = get_source(source)
            except NotFound:
                out[source] = source.upper()
                continue
            known = (spec.jurisdiction, spec.kind)
        if known[1] == "sanctions":
            out[source] = known[0]
    return out


def load_designations(store: Store) -> Designations:
    """Read every designation of every loaded sanctions source (one pass over the
    statements: the props the analysis reads, of the sanctions sources)."""
    juris = sanctions_sources(store)
    runs: dict[str, list[tuple[str, int]]] = {}
    for row in store.runs():
        if row["source"] in juris:
            runs.setdefault(row["source"], []).append((row["published_at"], int(row["id"])))
    for history in runs.values():
        history.sort()
    newest = {s: history[-1][0] for s, history in runs.items()}
    seen, sanctions, target_rows = _read(store, set(juris))
    canon = _canonical(store)
    items = []
    for sanction_id, values in sanctions.items():
        mark = seen.get(sanction_id)
        pointed = values.get("entity", [])
        if mark is None or not pointed or pointed[0] not in seen:
            continue
        items.append(_designation(sanction_id, values, mark, seen[pointed[0]], juris,
                                  newest, canon))
    targets = _targets(target_rows, {d.target for d in items}, canon, seen)
    return Designations(items, targets, sorted(set(juris.values())), juris, runs)


def _designation(sanction_id: str, values: dict[str, list[str]], mark: Mark, target: Mark,
                 juris: dict[str, str], newest: dict[str, str], canon: dict[str, str]
                 ) -> Designation:
    source, first_seen = mark[1], mark[2]
    last_seen = min(mark[3], target[3])
    stated = (values.get("status") or ["active"])[0]
    rule = (values.get("pp:statusRule") or [""])[0]
    end = min(values["endDate"]) if values.get("endDate") else None
    status = "lifted" if stated == "lifted" else "listed"
    if last_seen < newest[source]:
        status, end = "lifted", end or last_seen[:10]
        rule = (f"absent from the newest file of {source} (published {newest[source][:10]}); "
                f"last stated in the file published {last_seen[:10]}")
    listing = min(values["listingDate"]) if values.get("listingDate") else None
    target_id = values["entity"][0]
    return Designation(
        id=sanction_id, source=source, jurisdiction=juris[source], target=target_id,
        canonical=canon.get(target_id, target_id), status=status, rule=rule,
        since=listing or first_seen[:10],
        since_basis="listingDate" if listing else "first seen",
        until=end if status == "lifted" else None,
        programs=sorted(set(values.get("program", []))),
        record_id=values["recordId"][0] if values.get("recordId") else None, run=mark[4],
        first_seen=first_seen, last_seen=last_seen,
    )


def _read(store: Store, sources: set[str]
          ) -> tuple[dict[str, Mark], dict[str, dict[str, list[str]]],
                     list[tuple[str, str, str]]]:
    """id marks of every record of the sources; Sanction id -> prop -> the values stated
    by the newest file that stated the Sanction; (entity, prop, value) of target names and
    birth dates. Three sequential passes with narrow rows."""
    s = t.statement.c
    seen: dict[str, Mark] = {}
    query = select(s.entity_id, s.schema, s.source, s.first_seen, s.last_seen, s.last_run
                   ).where(s.prop == "id")
    for entity_id, schema, source, first, last, run in _raw_rows(store, query):
        if source in sources:
            seen[entity_id] = (schema, source, first, last, int(run))
    sanctions: dict[str, dict[str, list[str]]] = {}
    query = select(s.entity_id, s.prop, s.value, s.last_seen).where(
        s.schema == "Sanction", s.prop.in_(SANCTION_PROPS))
    for entity_id, prop, value, last in _raw_rows(store, query):
        mark = seen.get(entity_id)
        if mark is not None and last == mark[3]:
            sanctions.setdefault(entity_id, {}).setdefault(prop, []).append(value)
    query = select(s.entity_id, s.prop, s.value).where(
        s.schema.in_(sorted(TARGET_SCHEMATA)), s.prop.in_(TARGET_PROPS))
    target_rows = [row for row in _raw_rows(store, query) if row[0] in seen]
    return seen, sanctions, target_rows


def _raw_rows(store: Store, query: ClauseElement) -> Iterator[tuple[Any, ...]]:
    """Rows of a query straight from the database driver: the analysis reads half a
    million statements, and plain tuples are several times faster than result rows."""
    sql = str(query.compile(dialect=store.engine.dialect,
                            compile_kwargs={"literal_binds": True}))
    if store.engine.dialect.name == "sqlite":  # one sequential pass, not an index walk
        sql = sql.replace("FROM statement", "FROM statement NOT INDEXED", 1)
    raw = store.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql)
        while rows := cursor.fetchmany(20000):
            yield from rows
        cursor.close()
    finally:
        raw.close()


def _canonical(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.canonical.c.entity_id, t.canonical.c.canonical_id))
        return {r[0]: r[1] for r in rows}


def _targets(rows: list[tuple[str, str, str]], wanted: set[str], canon: dict[str, str],
             seen: dict[str, Mark]) -> dict[str, Target]:
    out: dict[str, Target] = {}
    for entity_id in sorted(wanted):
        target = out.setdefault(canon.get(entity_id, entity_id),
                                Target(canon.get(entity_id, entity_id)))
        target.members.append(entity_id)
    for target in out.values():
        schemata = {seen[m][0] for m in target.members if m in seen}
        target.schema = next((s for s in SCHEMA_ORDER if s in schemata),
                             min(schemata) if schemata else "LegalEntity")
    names: dict[str, dict[str, int]] = {}
    for entity_id, prop, value in rows:
        if entity_id not in wanted:
            continue
        target = out[canon.get(entity_id, entity_id)]
        if prop == "birthDate":
            if value not in target.birth_dates:
                target.birth_dates.append(value)
            continue
        rank = names.setdefault(target.id, {})
        rank[value] = min(rank.get(value, 9), NAME_PROPS.index(prop))
    for target_id, rank in names.items():
        out[target_id].names = sorted(rank, key=lambda n: (rank[n], n))
    for target in out.values():
        target.birth_dates.sort(key=lambda d: (-len(d), d))  # the most precise first
    return out


def by_canonical(items: Iterable[Designation]) -> Iterator[tuple[str, list[Designation]]]:
    """Designations grouped by canonical entity."""
    grouped: dict[str, list[Designation]] = {}
    for item in items:
        grouped.setdefault(item.canonical, []).append(item)
    yield from grouped.items()
