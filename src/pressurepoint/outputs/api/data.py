"""Read endpoints over the store: `/entities/{id}`, `/gaps`, `/sources`, `/companies`,
`/healthz`, `/readyz`; and the one write endpoint, `POST /judgements` (bearer token)."""

from __future__ import annotations

import hmac
import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from pressurepoint.analysis.gaps import Query as GapQuery
from pressurepoint.analysis.gaps import (
    check_jurisdictions,
    iso_day,
    jurisdictions,
    matrix,
    split_codes,
)
from pressurepoint.errors import InvalidInput, NotFound
from pressurepoint.outputs.api.errors import ApiError
from pressurepoint.outputs.api.matching import json_response, state
from pressurepoint.outputs.api.models import (
    ERRORS,
    CompanyParams,
    EntityDetail,
    GapParams,
    GapsResponse,
    JudgementIn,
    JudgementOut,
    SourcesResponse,
    Status,
)
from pressurepoint.store import resolution as rs
from pressurepoint.store.views import record_views

router = APIRouter()
#: What an id may look like: the ids pressurepoint makes and the publishers' record ids.
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,254}$")
MAX_RECORDS = 200  # records of one entity shown in full


def checked_id(entity_id: str) -> str:
    if not ID_PATTERN.match(entity_id) or ".." in entity_id:
        raise InvalidInput(f"{entity_id[:80]!r} is not an entity id (letters, digits and "
                           ". _ : - only)")
    return entity_id


# -- entities ------------------------------------------------------------------------------
@router.get("/entities/{entity_id}", response_model=EntityDetail, tags=["Entities"],
            responses={**ERRORS, 308: {"description": "Merged or record id: the entity"}})
def entity(request: Request, entity_id: str) -> Response:
    """One canonical entity: every source record of it with every value's history and
    the designations of it, and its row of the gap matrix. A record id, or the id of an
    entity since merged into another, redirects (308) to the entity's id."""
    pp = state(request)
    checked_id(entity_id)
    canonical = _canonical_id(request, entity_id)
    if canonical != entity_id:
        return RedirectResponse(request.url_for("entity", entity_id=canonical),
                                status_code=308)
    members = rs.members_of(pp.store, canonical) or [canonical]
    records = record_views(pp.store, members[:MAX_RECORDS])
    if not records:
        raise NotFound(f"no entity with id {entity_id!r}")
    found = pp.index().canonical(canonical)
    row = pp.gap_rows().get(canonical)
    as_of = date.today()
    designations = [_designation(d) for d in pp.designations_of(canonical)]
    return json_response({
        "id": canonical,
        "caption": found.caption if found else (records[0].prop("name") or [canonical])[0],
        "schema": found.schema if found else records[0].schema,
        "jurisdictions": found.jurisdictions if found else {},
        "records": [r.to_json() for r in records],
        "designations": designations,
        "gaps": row.to_json(as_of) if row else None,
    })


def _canonical_id(request: Request, entity_id: str) -> str:
    """The canonical id an id stands for (itself if it is one, or an unresolved record)."""
    pp = state(request)
    found = pp.index().canonical(entity_id)
    if found is not None:
        return found.id
    moved = rs.resolve_redirect(pp.store, entity_id)
    if moved != entity_id:
        return moved
    mapped = rs.canonical_of(pp.store, [entity_id]).get(entity_id)
    if mapped:
        return mapped
    if rs.members_of(pp.store, entity_id) or pp.store.entity_exists(entity_id):
        return entity_id
    raise NotFound(f"no entity with id {entity_id!r}")


def _designation(item: Any) -> dict[str, Any]:
    return {"id": item.id, "source": item.source, "jurisdiction": item.jurisdiction,
            "record": item.target, "status": item.status, "rule": item.rule,
            "since": item.since, "since_basis": item.since_basis, "until": item.until,
            "programs": item.programs, "record_id": item.record_id, "run": item.run,
            "first_seen": item.first_seen, "last_seen": item.last_seen}


# -- gaps ----------------------------------------------------------------------------------
@router.get("/gaps", response_model=GapsResponse, responses=ERRORS, tags=["Analysis"])
def gaps(request: Request, params: Annotated[GapParams, Query()]) -> Response:
    """The gap matrix, most glaring gaps first, with the filters of `pressurepoint gaps`."""
    query = GapQuery(regimes=split_codes(params.regime, upper=False),
                     schema=split_codes(params.schema_, upper=False),
                     listed_by=split_codes(params.listed_by),
                     not_listed_by=split_codes(params.not_listed_by),
                     since=iso_day(params.since, "since"), include_all=params.all)
    day = date.fromisoformat(iso_day(params.as_of, "as_of") or date.today().isoformat())
    data = state(request).designations()
    check_jurisdictions(query, data.jurisdictions)
    rows = matrix(data, query)
    offset, limit = params.offset, params.limit
    return json_response({
        "total": len(rows), "limit": limit, "offset": offset,
        "jurisdictions": jurisdictions(data, query.regimes), "as_of": day.isoformat(),
        "results": [row.to_json(day) for row in rows[offset:offset + limit]],
    })


# -- sources -------------------------------------------------------------------------------
@router.get("/sources", response_model=SourcesResponse, tags=["Data"])
def sources(request: Request) -> Response:
    """Every loaded source with its newest file (publication and load time, records,
    issues) and how old it is."""
    from pressurepoint.sources import get_source

    store = state(request).store
    runs = store.runs()
    counts: dict[str, int] = {}
    for row in runs:
        counts[row["source"]] = counts.get(row["source"], 0) + 1
    today = datetime.now(UTC).date()
    out = []
    for source, newest in sorted(store.newest_runs().items()):
        try:
            spec = get_source(source)
            title, publisher, code, kind = (spec.title, spec.publisher, spec.jurisdiction,
                                            spec.kind)
        except NotFound:
            title, publisher, code, kind = source, "", source.upper(), "unknown"
        published = newest["published_at"]
        out.append({
            "id": source, "title": title, "publisher": publisher, "jurisdiction": code,
            "kind": kind, "runs": counts[source],
            "newest": {"run": newest["id"], "published_at": published,
                       "loaded_at": newest["loaded_at"], "file_name": newest["file_name"],
                       "records": newest["records"], "issues": newest["issues"]},
            "age_days": (today - date.fromisoformat(published[:10])).days,
        })
    return json_response({"sources": out})


# -- companies -----------------------------------------------------------------------------
@router.get("/companies", tags=["Companies"], responses=ERRORS)
def companies(request: Request, params: Annotated[CompanyParams, Query()]) -> Response:
    """Companies graded by the trackers, as `pressurepoint companies --format json`."""
    from pressurepoint.trackers.companies import Filters
    from pressurepoint.trackers.history import tracker_sources

    if params.tracker and params.tracker not in tracker_sources():
        raise InvalidInput(f"unknown tracker {params.tracker!r} (known: "
                           f"{', '.join(tracker_sources())})")
    filters = Filters(country=params.country, industry=params.industry,
                      status=params.status, tracker=params.tracker, name=params.name).check()
    found = state(request).companies()
    return json_response([v.to_json(history=params.history) for v in found.views
                          if filters.match(v)])


@router.get("/companies/{company_id}", tags=["Companies"], responses=ERRORS)
def company(request: Request, company_id: str, search: Annotated[bool, Query(
        description="Also look for sanctions records whose names hold the company's "
        "(slower).")] = False) -> Response:
    """One company: every tracker's grade over time, its tracker records, and the
    sanctions records linked to it (as `pressurepoint companies show --json`)."""
    from pressurepoint.trackers.sanctions import sanctions_links

    checked_id(company_id)
    pp = state(request)
    found = pp.companies()
    view = found.find(company_id)
    if view is None:
        raise NotFound(f"no company with id {company_id!r}")
    if view.id != company_id:
        return RedirectResponse(request.url_for("company", company_id=view.id),
                                status_code=308)
    members = {m.id for m in view.members}
    joined = [{"records": list(pair), "rule": why}
              for pair, why in found.grouping.reasons.items() if pair[0] in members]
    links = sanctions_links(pp.store, view, search=search)
    return json_response(dict(view.to_json(), sanctions=[link.to_json() for link in links],
                              joined=joined))


# -- service -------------------------------------------------------------------------------
@router.get("/healthz", tags=["Service"])
async def healthz() -> Response:
    """The process answers (`{"status": "ok"}`), ready or not."""
    return json_response({"status": "ok"})


@router.get("/readyz", response_model=Status, tags=["Service"],
            responses={503: {"model": Status, "description": "Still loading, or failed"}})
async def readyz(request: Request) -> Response:
    """Ready when the screening index is loaded; with the data version it serves."""
    pp = state(request)
    return json_response(pp.status(), status=200 if pp.ready else 503)


@router.post("/judgements", response_model=JudgementOut, status_code=201, tags=["Review"],
             responses={**ERRORS, 401: {"description": "No or wrong bearer token"}})
def judge(request: Request, body: JudgementIn) -> Response:
    """Record a human judgement on a pair of source records (same / different /
    unsure); `pressurepoint resolve` applies it. Needs `Authorization: Bearer <token>`
    (the server's PRESSUREPOINT_API_TOKEN)."""
    pp = state(request)
    authorize(request, pp.api_token)
    checked_id(body.left)
    checked_id(body.right)
    rs.add_judgement(pp.store, body.left, body.right, body.verdict, author=body.author,
                     note=body.note)
    return json_response({"left": body.left, "right": body.right, "verdict": body.verdict,
                          "author": body.author}, status=201)


def authorize(request: Request, token: str | None) -> None:
    if not token:
        raise ApiError(403, "writes are disabled on this server (no "
                       "PRESSUREPOINT_API_TOKEN is set)")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(),
                                                             token.encode()):
        raise ApiError(401, "a valid bearer token is needed (Authorization: Bearer ...)",
                       headers={"WWW-Authenticate": "Bearer"})
