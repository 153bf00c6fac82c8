"""The W3C / OpenRefine Reconciliation Service API (version 0.2): a spreadsheet column of
names (with birth dates, countries, identifiers from other columns) reconciled against the
sanctions data in OpenRefine.

    GET  /reconcile[/{dataset}]                  the service manifest
    GET|POST /reconcile[/{dataset}]?queries=…    a batch of queries (form field or query)
    GET  /reconcile/{dataset}/suggest/entity?prefix=…   (and /suggest/type, /property)
    GET  /reconcile/{dataset}/preview?id=…       a small HTML card of an entity
    GET|POST /reconcile[/{dataset}]?extend=…     data extension (`extend` module)
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, RootModel, ValidationError

from pressurepoint.errors import InvalidInput, NotFound
from pressurepoint.outputs.api import extend as extension
from pressurepoint.outputs.api.data import checked_id
from pressurepoint.outputs.api.matching import checked_dataset, json_response, state
from pressurepoint.outputs.api.models import ERRORS, MAX_BATCH
from pressurepoint.screening.engine import MAX_LIMIT, MatchQuery

router = APIRouter(tags=["Reconciliation"])
TYPES = {"Person": "People", "Company": "Companies", "Organization": "Organizations",
         "LegalEntity": "Legal entities", "Vessel": "Vessels", "Airplane": "Airplanes"}
DEFAULT_TYPE = "LegalEntity"
#: Properties offered for matching (FtM names), with their labels.
PROPERTIES = {"birthDate": "Birth date", "nationality": "Nationality", "country": "Country",
              "innCode": "INN", "ogrnCode": "OGRN", "imoNumber": "IMO number",
              "passportNumber": "Passport number", "idNumber": "ID number",
              "registrationNumber": "Registration number", "incorporationDate":
              "Incorporation date", "jurisdiction": "Jurisdiction", "gender": "Gender",
              "leiCode": "LEI", "swiftBic": "SWIFT/BIC"}


class PropertyValue(BaseModel):
    pid: str = Field(max_length=64)
    v: str | int | float | list[str] | dict[str, Any]


class ReconQuery(BaseModel):
    query: str = Field("", max_length=500)
    type: str | list[str] | None = None
    limit: int = Field(5, ge=1, le=MAX_LIMIT)
    properties: list[PropertyValue] = Field([], max_length=50)
    type_strict: str | None = None


class ReconBatch(RootModel[dict[str, ReconQuery]]):
    pass


def _base(request: Request, dataset: str) -> str:
    return str(request.base_url).rstrip("/") + f"/reconcile/{dataset}"


def manifest(request: Request, dataset: str) -> dict[str, Any]:
    base = _base(request, dataset)
    root = str(request.base_url).rstrip("/")
    return {
        "versions": ["0.2"],
        "name": f"pressurepoint sanctions ({dataset})",
        "identifierSpace": f"{root}/entities/",
        "schemaSpace": "https://followthemoney.tech/explorer/schemata/",
        "defaultTypes": [{"id": t, "name": n} for t, n in TYPES.items()],
        "view": {"url": f"{root}/web/entities/{{{{id}}}}"},
        "preview": {"url": f"{base}/preview?id={{{{id}}}}", "width": 400, "height": 240},
        "suggest": {kind: {"service_url": base, "service_path": f"/suggest/{kind}"}
                    for kind in ("entity", "type", "property")},
        "extend": extension.manifest_part(base),
        "batchSize": MAX_BATCH,
    }


async def _answer(request: Request, dataset: str, queries: str | None,
                  extend: str | None = None) -> Response:
    checked_dataset(state(request).index(), dataset)
    if queries is None and extend is None and request.method == "POST":
        form = await request.form()
        found, wanted = form.get("queries"), form.get("extend")
        queries = found if isinstance(found, str) else None
        extend = wanted if isinstance(wanted, str) else None
    if extend:
        return json_response(extension.extend(state(request), extend))
    if not queries:
        return json_response(manifest(request, dataset))
    return json_response(reconcile_batch(request, dataset, queries))


def reconcile_batch(request: Request, dataset: str, text: str) -> dict[str, Any]:
    try:
        batch = ReconBatch.model_validate_json(text).root
    except ValidationError as exc:
        problems = exc.errors()
        where = ".".join(str(p) for p in problems[0]["loc"]) if problems else ""
        what = str(problems[0]["msg"]) if problems else "not a JSON object of queries"
        raise InvalidInput(f"queries: {where[:80]} {what[:200]}") from None
    if len(batch) > MAX_BATCH:
        raise InvalidInput(f"too many queries in one request: {len(batch)} "
                           f"(at most {MAX_BATCH})")
    index = state(request).index()
    datasets = None if dataset == "default" else [dataset]
    out: dict[str, Any] = {}
    for key, item in batch.items():
        schema = item.type[0] if isinstance(item.type, list) and item.type else item.type
        schema = schema if isinstance(schema, str) and schema else DEFAULT_TYPE
        props: dict[str, list[str]] = {"name": [item.query]} if item.query.strip() else {}
        for prop in item.properties:
            props.setdefault(prop.pid, []).extend(_values(prop.v))
        try:
            hits = index.match(MatchQuery(schema, props), limit=item.limit, cutoff=0.3,
                               datasets=datasets)
        except InvalidInput as exc:
            raise InvalidInput(f"query {key[:40]!r}: {exc}") from None
        out[key] = {"result": [{
            "id": h.id, "name": h.caption, "score": round(h.score * 100, 1),
            "match": h.match, "type": [{"id": h.schema, "name": TYPES.get(h.schema,
                                                                             h.schema)}],
            "description": _listed(h.jurisdictions),
        } for h in hits]}
    return out


def _values(value: Any) -> list[str]:
    if isinstance(value, dict):
        value = value.get("id") or value.get("name") or ""
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def _listed(jurisdictions: dict[str, str]) -> str:
    listed = [j for j, s in sorted(jurisdictions.items()) if s == "listed"]
    lifted = [j for j, s in sorted(jurisdictions.items()) if s == "lifted"]
    parts = [f"listed by {', '.join(listed)}"] if listed else []
    return "; ".join(parts + ([f"lifted by {', '.join(lifted)}"] if lifted else []))


@router.get("/reconcile", responses=ERRORS, summary="Manifest, or queries (default)")
async def reconcile_default(request: Request, queries: str | None = Query(
        None, max_length=200_000, description="JSON: {key: {query, type, properties}}"),
        extend: str | None = Query(None, max_length=200_000, description="JSON: {ids, "
                                   "properties} (data extension)")) -> Response:
    """The service manifest; with `queries`, their results; with `extend`, the values of
    the given entities' properties."""
    return await _answer(request, "default", queries, extend)


@router.post("/reconcile", responses=ERRORS, summary="Queries (default)")
async def reconcile_default_post(request: Request) -> Response:
    """Queries in the form field `queries` (as OpenRefine sends them)."""
    return await _answer(request, "default", None)


@router.get("/reconcile/{dataset}", responses=ERRORS, summary="Manifest, or queries")
async def reconcile_dataset(request: Request, dataset: str, queries: str | None = Query(
        None, max_length=200_000), extend: str | None = Query(None, max_length=200_000)
        ) -> Response:
    return await _answer(request, dataset, queries, extend)


@router.post("/reconcile/{dataset}", responses=ERRORS, summary="Queries")
async def reconcile_dataset_post(request: Request, dataset: str) -> Response:
    return await _answer(request, dataset, None)


@router.get("/reconcile/{dataset}/suggest/entity", responses=ERRORS)
async def suggest_entity(request: Request, dataset: str,
                         prefix: str = Query(..., min_length=1, max_length=200),
                         cursor: int = Query(0, ge=0, le=10_000)) -> Response:
    """Entities whose names hold the typed words."""
    index = state(request).index()
    datasets = checked_dataset(index, dataset)
    result = index.search(prefix, limit=10, offset=cursor, datasets=datasets)
    return json_response({"result": [
        {"id": h.id, "name": h.caption, "description": _listed(h.jurisdictions),
         "notable": [{"id": h.schema, "name": TYPES.get(h.schema, h.schema)}]}
        for h in result.hits]})


@router.get("/reconcile/{dataset}/suggest/type", responses=ERRORS)
async def suggest_type(dataset: str, prefix: str = Query("", max_length=200)) -> Response:
    wanted = prefix.strip().lower()
    return json_response({"result": [
        {"id": t, "name": n} for t, n in TYPES.items()
        if wanted in t.lower() or wanted in n.lower()]})


@router.get("/reconcile/{dataset}/suggest/property", responses=ERRORS)
async def suggest_property(dataset: str, prefix: str = Query("", max_length=200)
                           ) -> Response:
    wanted = prefix.strip().lower()
    return json_response({"result": [
        {"id": p, "name": n} for p, n in PROPERTIES.items()
        if wanted in p.lower() or wanted in n.lower()]})


@router.get("/reconcile/{dataset}/preview", response_class=HTMLResponse, responses=ERRORS)
async def preview(request: Request, dataset: str,
                  id: str = Query(..., max_length=255)) -> Response:
    """A small HTML card: the entity's name, type and who lists it (escaped)."""
    checked_id(id)
    found = state(request).index().canonical(id)
    if found is None:
        raise NotFound(f"no entity with id {id!r}")
    names = state(request).index().properties(found.id).get("name", [])[:5]
    body = (
        "<!doctype html><meta charset=utf-8><div class=pp-preview>"
        f"<h3>{html.escape(found.caption)}</h3>"
        f"<p>{html.escape(TYPES.get(found.schema, found.schema))}</p>"
        f"<p>{html.escape(_listed(found.jurisdictions) or 'no current listing')}</p>"
        "<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in names) + "</ul></div>")
    return HTMLResponse(body)

