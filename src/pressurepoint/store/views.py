"""Entities assembled from statements: the current view of each source, and one record's
full history. Pure functions over Store queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pressurepoint.model import Entity, Value
from pressurepoint.model.statement import ID_PROP, META_PREFIX
from pressurepoint.store.store import Store


def entities_from_rows(rows: Iterable[dict[str, Any]], *, with_meta: bool = False
                       ) -> Iterator[Entity]:
    """Group statement rows (ordered by entity_id) into entities."""
    current: Entity | None = None
    for row in rows:
        if current is None or row["entity_id"] != current.id:
            if current is not None:
                yield current
            current = Entity(id=row["entity_id"], schema=row["schema"])
        prop = row["prop"]
        if prop == ID_PROP or (prop.startswith(META_PREFIX) and not with_meta):
            continue
        current.put(prop, Value(row["value"], row["lang"], row["original_value"]))
    if current is not None:
        yield current


def current_entities(store: Store, source: str | None = None, *, with_meta: bool = False
                     ) -> Iterator[Entity]:
    """Every entity as the newest publication of its source states it."""
    return entities_from_rows(store.current_statements(source), with_meta=with_meta)


@dataclass
class RecordView:
    """One source record with every value's history, and the designations of it."""

    id: str
    schema: str
    source: str
    current: bool
    first_seen: str
    last_seen: str
    values: list[dict[str, Any]] = field(default_factory=list)
    designations: list[RecordView] = field(default_factory=list)

    def prop(self, name: str) -> list[str]:
        return [v["value"] for v in self.values if v["prop"] == name]

    def to_json(self) -> dict[str, Any]:
        props: dict[str, list[dict[str, Any]]] = {}
        for value in self.values:
            props.setdefault(value["prop"], []).append(
                {k: value[k] for k in ("value", "lang", "original_value", "source",
                                       "first_seen", "last_seen", "current")}
            )
        return {
            "id": self.id, "schema": self.schema, "source": self.source,
            "current": self.current, "first_seen": self.first_seen,
            "last_seen": self.last_seen, "properties": props,
            "designations": [d.to_json() for d in self.designations],
        }


def record_views(store: Store, entity_ids: list[str], *, designations: bool = True
                 ) -> list[RecordView]:
    """Full-history views of records, each with the designations that point at it
    (designations=False: without them; finding them reads every statement's value)."""
    newest = {s: r["published_at"] for s, r in store.newest_runs().items()}
    views = _views(store.statements_for(entity_ids), newest)
    sanction_ids = store.entities_referring_to(entity_ids) if designations else []
    by_target: dict[str, list[RecordView]] = {}
    for view in _views(store.statements_for(sanction_ids), newest):
        for target in view.prop("entity"):
            by_target.setdefault(target, []).append(view)
    for view in views:
        view.designations = sorted(by_target.get(view.id, []), key=lambda v: v.id)
    order = {entity_id: n for n, entity_id in enumerate(entity_ids)}
    return sorted(views, key=lambda v: order.get(v.id, len(order)))


def _views(rows: list[dict[str, Any]], newest: dict[str, str]) -> list[RecordView]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        row["current"] = row["last_seen"] == newest.get(row["source"])
        grouped.setdefault(row["entity_id"], []).append(row)
    views = []
    for entity_id, values in grouped.items():
        marker = next((v for v in values if v["prop"] == ID_PROP), values[0])
        values.sort(key=lambda v: (v["prop"], v["first_seen"], v["value"]))
        views.append(RecordView(
            id=entity_id, schema=marker["schema"], source=marker["source"],
            current=bool(marker["current"]), first_seen=marker["first_seen"],
            last_seen=marker["last_seen"],
            values=[v for v in values if v["prop"] != ID_PROP],
        ))
    return views
