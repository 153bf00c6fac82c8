"""Data extension of the W3C / OpenRefine Reconciliation Service API (version 0.2): after a
column is reconciled, OpenRefine adds columns of the matched entities' values (who lists
them, their sources, birth date, nationality, identifiers...).

    GET  /reconcile/{dataset}/extend/propose?type=Person   the properties offered for a type
    GET|POST /reconcile[/{dataset}]?extend={"ids": [...], "properties": [{"id": ...}]}

Values come from the records of each entity as their latest file states them (a value a
newer file of the same list dropped is not shown), merged over the entity's records.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from followthemoney import model
from pydantic import BaseModel, Field, ValidationError

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.api.data import checked_id
from pressurepoint.outputs.api.matching import checked_dataset, json_response, state
from pressurepoint.outputs.api.models import ERRORS, MAX_BATCH
from pressurepoint.outputs.api.state import ServiceState, Snapshot
from pressurepoint.store import resolution as rs

router = APIRouter(tags=["Reconciliation"])
Cell = list[dict[str, Any]]
NAME_PROPS = ("name", "alias", "previousName", "weakAlias")
#: FtM properties offered (label), for the types whose schema has them.
STATED = {"birthDate": "Birth date", "birthPlace": "Birth place",
          "nationality": "Nationality", "citizenship": "Citizenship", "country": "Country",
          "gender": "Gender", "position": "Position", "incorporationDate":
          "Incorporation date", "jurisdiction": "Jurisdiction", "innCode": "INN",
          "ogrnCode": "OGRN", "taxNumber": "Tax number", "registrationNumber":
          "Registration number", "leiCode": "LEI", "swiftBic": "SWIFT/BIC",
          "passportNumber": "Passport number", "idNumber": "ID number",
          "imoNumber": "IMO number", "mmsi": "MMSI", "flag": "Flag",
          "callSign": "Call sign", "address": "Address", "website": "Website"}
DATES = frozenset({"birthDate", "incorporationDate"})
#: What pressurepoint knows of every entity (label).
DERIVED = {"caption": "Name", "names": "All names", "schema": "Type",
           "listed_by": "Jurisdictions listing it", "lifted_by":
           "Jurisdictions that lifted their listing", "sources": "Sources",
           "listed_since": "Listed since", "first_seen": "First seen",
           "last_seen": "Last seen", "last_change": "Last change"}
PROPOSED = ("listed_by", "lifted_by", "sources", "listed_since", "names", "birthDate",
            "nationality", "country", "incorporationDate", "jurisdiction",
            "registrationNumber", "innCode", "ogrnCode", "imoNumber", "passportNumber",
            "idNumber", "last_change")
SETTINGS = [{"name": "limit", "label": "Limit", "type": "number", "default": 0,
             "help_text": "Most values in one cell (0: all of them)."}]
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PropertyRequest(BaseModel):
    id: str = Field(max_length=64)
    settings: dict[str, Any] = {}


class ExtendRequest(BaseModel):
    ids: list[str] = Field(max_length=MAX_BATCH)
    properties: list[PropertyRequest] = Field(min_length=1, max_length=50)


def labels() -> dict[str, str]:
    return {**DERIVED, **STATED}


def offered(schema_name: str | None) -> list[str]:
    """The properties proposed for a type (every one for an unknown type)."""
    schema = model.get(schema_name) if schema_name else None
    return [p for p in PROPOSED if p in DERIVED or schema is None or p in schema.properties]


def manifest_part(base: str) -> dict[str, Any]:
    """The `extend` member of the service manifest."""
    return {"propose_properties": {"service_url": base, "service_path": "/extend/propose"},
            "property_settings": SETTINGS}


@router.get("/reconcile/{dataset}/extend/propose", responses=ERRORS,
            summary="Properties to add as columns")
async def propose(request: Request, dataset: str,
                  type: str | None = Query(None, max_length=64),
                  limit: int | None = Query(None, ge=1, le=100)) -> Response:
    """The properties offered for a type (Person, Company...)."""
    checked_dataset(state(request).index(), dataset)
    names = labels()
    found = [{"id": p, "name": names[p]} for p in offered(type)][:limit]
    body: dict[str, Any] = {"type": type or "LegalEntity", "properties": found}
    if limit is not None:
        body["limit"] = limit
    return json_response(body)


def extend(pp: ServiceState, text: str) -> dict[str, Any]:
    """The answer to a data extension request (`text`: its JSON)."""
    try:
        wanted = ExtendRequest.model_validate_json(text)
    except ValidationError as exc:
        problems = exc.errors()
        where = ".".join(str(p) for p in problems[0]["loc"]) if problems else ""
        what = str(problems[0]["msg"]) if problems else "not a data extension request"
        raise InvalidInput(f"extend: {where[:80]} {what[:200]}") from None
    names = labels()
    for prop in wanted.properties:
        if prop.id not in names:
            raise InvalidInput(f"extend: unknown property {prop.id[:64]!r} (known: "
                               f"{', '.join(names)})")
    for entity_id in wanted.ids:
        checked_id(entity_id)
    snap = pp.snapshot()
    stated = _stated_values(pp, snap, wanted.ids)
    rows = {}
    for entity_id in wanted.ids:
        values = _Values(pp, snap, entity_id, stated.get(entity_id, {}))
        rows[entity_id] = {p.id: values.cell(p.id)[:_limit(p)] or [] for p in wanted.properties}
    return {"meta": [{"id": p.id, "name": names[p.id]} for p in wanted.properties],
            "rows": rows}


def _limit(prop: PropertyRequest) -> int | None:
    value = prop.settings.get("limit", 0)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"extend: the limit of {prop.id!r} is not a number") from None
    return number if number > 0 else None


def _members(pp: ServiceState, snap: Snapshot, entity_id: str) -> tuple[str, list[str]]:
    """The canonical id an id stands for (following a merge) and its records."""
    found = snap.index.canonical(entity_id) or snap.index.canonical(
        rs.resolve_redirect(pp.store, entity_id))
    if found is None:
        return entity_id, []
    return found.id, [snap.index.entries[n].id for n in found.records]


def _stated_values(pp: ServiceState, snap: Snapshot, ids: list[str]
                   ) -> dict[str, dict[str, list[str]]]:
    """Requested id -> property -> the values its records' latest files state."""
    records_of = {entity_id: _members(pp, snap, entity_id)[1] for entity_id in ids}
    everything = sorted({r for records in records_of.values() for r in records})
    latest: dict[str, str] = {}
    rows = pp.store.statements_for(everything) if everything else []
    for row in rows:
        record = row["entity_id"]
        latest[record] = max(latest.get(record, ""), row["last_seen"])
    by_record: dict[str, dict[str, list[str]]] = {}
    for row in sorted(rows, key=lambda r: (r["first_seen"], r["value"])):
        if row["last_seen"] == latest[row["entity_id"]]:
            values = by_record.setdefault(row["entity_id"], {}).setdefault(row["prop"], [])
            if row["value"] not in values:
                values.append(row["value"])
    out: dict[str, dict[str, list[str]]] = {}
    for entity_id, records in records_of.items():
        merged = out.setdefault(entity_id, {})
        for record in records:
            for prop, values in by_record.get(record, {}).items():
                cell = merged.setdefault(prop, [])
                cell.extend(v for v in values if v not in cell)
    return out


class _Values:
    """The cells of one requested id."""

    def __init__(self, pp: ServiceState, snap: Snapshot, entity_id: str,
                 stated: dict[str, list[str]]) -> None:
        self.canonical_id, _ = _members(pp, snap, entity_id)
        self.entity = snap.index.canonicals.get(self.canonical_id)
        self.snap, self.pp, self.stated = snap, pp, stated

    def cell(self, prop: str) -> Cell:
        if self.entity is None:
            return []
        if prop in STATED:
            return [_date(v) if prop in DATES else {"str": v}
                    for v in self.stated.get(prop, [])]
        make: Callable[[], Cell] = getattr(self, f"_{prop}")
        return make()

    def _caption(self) -> Cell:
        return [{"str": self.entity.caption}] if self.entity else []

    def _names(self) -> Cell:
        seen: list[str] = []
        for prop in NAME_PROPS:
            seen.extend(v for v in self.stated.get(prop, []) if v not in seen)
        return [{"str": name} for name in seen]

    def _schema(self) -> Cell:
        return [{"str": self.entity.schema}] if self.entity else []

    def _status(self, status: str) -> Cell:
        found = self.entity.jurisdictions if self.entity else {}
        return [{"str": code} for code, s in sorted(found.items()) if s == status]

    def _listed_by(self) -> Cell:
        return self._status("listed")

    def _lifted_by(self) -> Cell:
        return self._status("lifted")

    def _sources(self) -> Cell:
        if self.entity is None:
            return []
        return [{"str": source} for source in self.entity.sources(self.snap.index.entries)]

    def _listed_since(self) -> Cell:
        since = [d.since for d in self.pp.designations_of(self.canonical_id) if d.since]
        return [_date(min(since)[:10])] if since else []

    def _seen(self, field: str) -> Cell:
        found = self.snap.seen.get(self.canonical_id)
        return [{"date": getattr(found, field)}] if found else []

    def _first_seen(self) -> Cell:
        return self._seen("first_seen")

    def _last_seen(self) -> Cell:
        return self._seen("last_seen")

    def _last_change(self) -> Cell:
        return self._seen("last_change")


def _date(value: str) -> dict[str, Any]:
    """A full date as the API's date value; a partial one ("1964", "1964-06") as text."""
    if FULL_DATE.match(value):
        try:
            date.fromisoformat(value)
            return {"date": f"{value}T00:00:00"}
        except ValueError:
            pass
    return {"str": value}
