"""What the entity page shows of one canonical entity: its names grouped by script, its
identifiers and other facts (each with the sources stating it), its source records, and
one row per jurisdiction with the designations behind it (the gap row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from followthemoney import model

from pressurepoint.analysis.designations import NAME_PROPS, Designation, Designations
from pressurepoint.analysis.gaps import LISTED, NOBODY, NOT_LISTED, Cell, cell_of
from pressurepoint.errors import NotFound
from pressurepoint.model.statement import ID_PROP
from pressurepoint.names.text import scripts_of
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs
from pressurepoint.store.views import RecordView

FACT_PROPS = ("birthDate", "birthPlace", "deathDate", "gender", "nationality", "citizenship",
              "country", "jurisdiction", "position", "incorporationDate", "address", "flag",
              "buildDate", "type", "topics")


@dataclass
class Fact:
    """One value of one property, and the sources that state it."""

    label: str
    value: str
    prop: str = ""
    sources: list[str] = field(default_factory=list)
    current: bool = False
    lang: str | None = None


@dataclass
class JurisdictionRow:
    """What one jurisdiction says of the entity: a gap-matrix cell."""

    code: str
    cell: Cell
    gap: bool  # not listing it while another jurisdiction does


@dataclass
class EntityPage:
    id: str
    schema: str
    caption: str
    names: dict[str, list[Fact]]  # script -> names
    identifiers: list[Fact]
    facts: list[Fact]
    records: list[RecordView]
    jurisdictions: list[JurisdictionRow]
    first_listed: str | None

    @property
    def listed_by(self) -> list[str]:
        return [r.code for r in self.jurisdictions if r.cell.status == LISTED]

    @property
    def gaps(self) -> list[str]:
        return [r.code for r in self.jurisdictions if r.gap]

    def gap_days(self, today: date) -> int | None:
        if not self.gaps or not self.first_listed:
            return None
        return (today - date.fromisoformat(_full_day(self.first_listed))).days


def canonical_for(store: Store, key: str) -> tuple[str, list[str]]:
    """(canonical id, its source records) for a canonical id, a merged (redirected) id or
    a source record id; the caller redirects when the canonical id differs from the key."""
    target = rs.resolve_redirect(store, key)
    members = rs.members_of(store, target)
    if members:
        return target, members
    canonical = rs.canonical_of(store, [key]).get(key)
    if canonical is not None:
        return canonical, rs.members_of(store, canonical) or [key]
    if store.entity_exists(key):
        return key, [key]
    raise NotFound(f"no entity or record with id {key!r}")


def entity_page(store: Store, data: Designations, canonical: str, members: list[str]
                ) -> EntityPage:
    items = designations_of(data, canonical, set(members))
    views = [v for v in record_views_of(store, members, [d.id for d in items])
             if v.schema != "Sanction"]
    if not views:
        raise NotFound(f"no record of entity {canonical!r}")
    schema = _schema(views)
    rows = jurisdiction_rows(data.jurisdictions, items)
    names = _facts(views, NAME_PROPS)
    grouped: dict[str, list[Fact]] = {}
    for name in names:
        grouped.setdefault(_script_label(name.value), []).append(name)
    identifiers = _facts(views, _identifier_props(views))
    listed = [r.cell.since for r in rows if r.cell.status == LISTED and r.cell.since]
    return EntityPage(
        id=canonical, schema=schema, caption=names[0].value if names else canonical,
        names=dict(sorted(grouped.items(), key=lambda kv: (kv[0] != "Latin", kv[0]))),
        identifiers=identifiers, facts=_facts(views, FACT_PROPS), records=views,
        jurisdictions=rows, first_listed=min(listed, default=None))


def record_views_of(store: Store, record_ids: list[str], sanction_ids: list[str]
                    ) -> list[RecordView]:
    """Full-history views of records and of the designations of them, as
    `store.views.record_views` builds them, but with the designation ids known (from the
    analysis) instead of searched for: that search reads every statement's value (no
    index holds it) and takes a second on a full store."""
    newest = {s: r["published_at"] for s, r in store.newest_runs().items()}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in store.statements_for([*record_ids, *sanction_ids]):
        row["current"] = row["last_seen"] == newest.get(row["source"])
        grouped.setdefault(row["entity_id"], []).append(row)
    views = {entity_id: _view(entity_id, rows) for entity_id, rows in grouped.items()}
    for sanction_id in sanction_ids:
        designation = views.get(sanction_id)
        if designation is None:
            continue
        for target in designation.prop("entity"):
            if target in views and designation not in views[target].designations:
                views[target].designations.append(designation)
    for view in views.values():
        view.designations.sort(key=lambda d: d.id)
    return [views[r] for r in record_ids if r in views]


def _view(entity_id: str, rows: list[dict[str, Any]]) -> RecordView:
    marker = next((r for r in rows if r["prop"] == ID_PROP), rows[0])
    rows.sort(key=lambda r: (r["prop"], r["first_seen"], r["value"]))
    return RecordView(id=entity_id, schema=marker["schema"], source=marker["source"],
                      current=bool(marker["current"]), first_seen=marker["first_seen"],
                      last_seen=marker["last_seen"],
                      values=[r for r in rows if r["prop"] != ID_PROP])


def designations_of(data: Designations, canonical: str, members: set[str]
                    ) -> list[Designation]:
    return [d for d in data.items if d.canonical == canonical or d.target in members]


def jurisdiction_rows(codes: list[str], items: list[Designation]) -> list[JurisdictionRow]:
    per: dict[str, list[Designation]] = {}
    for item in items:
        per.setdefault(item.jurisdiction, []).append(item)
    cells = {code: cell_of(per[code]) if code in per else NOBODY for code in codes}
    anyone = any(c.status == LISTED for c in cells.values())
    return [JurisdictionRow(code, cell, anyone and cell.status != LISTED)
            for code, cell in cells.items()]


def _schema(views: list[RecordView]) -> str:
    from pressurepoint.analysis.designations import SCHEMA_ORDER

    found = {v.schema for v in views}
    return next((s for s in SCHEMA_ORDER if s in found), min(found))


def _identifier_props(views: list[RecordView]) -> tuple[str, ...]:
    props: set[str] = set()
    for view in views:
        schema = model.get(view.schema)
        if schema is None:
            continue
        props.update(name for name, prop in schema.properties.items()
                     if prop.type.name == "identifier" and name != "programId")
    props.update(("imoNumber", "mmsi", "callSign", "registrationNumber"))
    return tuple(sorted(props))


def _facts(views: list[RecordView], props: tuple[str, ...]) -> list[Fact]:
    """Distinct values of the properties, in the order of `props`, each with its sources;
    values no file states any more are kept and marked."""
    found: dict[tuple[str, str], Fact] = {}
    for view in views:
        for value in view.values:
            if value["prop"] not in props:
                continue
            key = (value["prop"], value["value"])
            fact = found.get(key)
            if fact is None:
                fact = found[key] = Fact(_label(view.schema, value["prop"]), value["value"],
                                         value["prop"], lang=value["lang"])
            if view.source not in fact.sources:
                fact.sources.append(view.source)
            fact.current = fact.current or bool(value["current"])
    order = {prop: n for n, prop in enumerate(props)}
    return sorted(found.values(),
                  key=lambda f: (order[f.prop], not f.current, f.value))


def _label(schema_name: str, prop_name: str) -> str:
    schema = model.get(schema_name)
    prop = schema.get(prop_name) if schema is not None else None
    return str(prop.label) if prop is not None else prop_name


def _script_label(name: str) -> str:
    scripts = sorted(scripts_of(name))
    return " + ".join(scripts) if scripts else "Other"


def _full_day(text: str) -> str:
    parts = [*text[:10].split("-"), "01", "01"][:3]
    return "-".join(p.zfill(2) for p in parts)


__all__ = ["NOT_LISTED", "EntityPage", "Fact", "JurisdictionRow", "canonical_for",
           "entity_page"]
