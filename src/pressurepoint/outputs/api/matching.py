"""`POST /match/{dataset}` (yente's query-by-example API) and `GET /search/{dataset}`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response

from pressurepoint.errors import InvalidInput, NotFound
from pressurepoint.outputs.api.models import (
    ERRORS,
    MAX_BATCH,
    AlgorithmResponse,
    EntityMatchQuery,
    EntityMatchResponse,
    MatchParams,
    Scalar,
    SearchParams,
    SearchResponse,
)
from pressurepoint.outputs.api.params import documented, read_query
from pressurepoint.outputs.api.state import ServiceState, Snapshot
from pressurepoint.screening.engine import (
    MAX_LIMIT,
    MatchHit,
    MatchQuery,
    ScreeningIndex,
)

router = APIRouter(tags=["Matching"])

#: yente's algorithm names are accepted (clients send them); every one is answered by
#: pp-v2, which the `x-pp-algorithm` header names.
ALGORITHMS = frozenset({"pp-v2", "default", "best", "logic-v1", "logic-v2", "name-based",
                        "name-qualified", "regression-v1", "regression-v2", "regression-v3"})
#: Every entity here is a sanctions target: yente's topic for it.
TOPICS = frozenset({"sanction", "sanction.linked"})
FACET_LABELS = {"schema": "Types", "countries": "Countries", "jurisdictions": "Jurisdictions"}
#: pp-v2's features (yente's FeatureDocs): a score is the name score plus the others'
#: contributions, each already weighted (so every coefficient is 1).
FEATURES = {
    "name": "Similarity of the best pair of names, in any script and spelling (0 to 1).",
    "identifiers": "Shared identifiers (IMO, INN, OGRN, LEI, passport...) add, different "
                   "valid identifiers of one kind subtract.",
    "birth_date": "Same birth or incorporation date adds; a different one subtracts.",
    "gender": "A different stated or inferred gender subtracts.",
    "patronymic": "Different patronymics of two persons subtract.",
    "country": "A shared country adds a little; only different countries subtract.",
    "schema": "The two entity types cannot be the same thing (score 0).",
}
MATCHER = {name: {"description": text, "coefficient": 1.0, "url": None}
           for name, text in FEATURES.items()}


def state(request: Request) -> ServiceState:
    found: ServiceState = request.app.state.pp
    return found


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None
                  ) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type="application/json",
                    headers=headers)


def checked_dataset(index: ScreeningIndex, dataset: str) -> list[str] | None:
    """The datasets a path's `{dataset}` stands for (None: all)."""
    if len(dataset) > 64 or not index.is_dataset(dataset):
        raise NotFound(f"unknown dataset {dataset[:64]!r}: use default, a source id "
                       f"({', '.join(index.sources)}) or a jurisdiction "
                       f"({', '.join(index.jurisdictions)})")
    return None if dataset == "default" else [dataset]


def _included(path: list[str] | None, include: list[str]) -> list[str] | None:
    if path is None:
        return include or None
    if not include:
        return path
    return [d for d in include if d in path] or ["-none-"]


@router.post("/match/{dataset}", response_model=EntityMatchResponse, responses=ERRORS,
             summary="Query by example (yente's /match)",
             openapi_extra=documented(MatchParams))
async def match(request: Request, body: EntityMatchQuery, dataset: str) -> Response:
    """Screen up to MAX_BATCH (100) entities, each a FollowTheMoney `schema` and
    `properties` (`name`, `birthDate`, `nationality`, `country`, `innCode`, `imoNumber`,
    `passportNumber`...), keyed by the caller. Each result is a canonical entity (its
    records of every source merged) with its score, whether it is a `match`, the
    contribution of each feature (`explanations`), and the jurisdictions listing it.
    `dataset` is `default`, a source id (`ofac_sdn`...) or a jurisdiction (`US`...)."""
    params = read_query(MatchParams, request)
    limit, threshold, cutoff = params.limit, params.threshold, params.cutoff
    if params.algorithm not in ALGORITHMS:
        raise InvalidInput(f"unknown algorithm {params.algorithm[:40]!r} (pp-v2)")
    since = changed_since(params.changed_since)
    snap = state(request).snapshot()
    index = snap.index
    datasets = _included(checked_dataset(index, dataset), params.include_dataset)
    if len(body.queries) > MAX_BATCH:
        raise InvalidInput(f"too many queries in one request: {len(body.queries)} "
                           f"(at most {MAX_BATCH})")
    if not body.queries:
        raise InvalidInput("no queries given")
    skipped_schemata = set(params.exclude_schema)
    skipped_ids = set(params.exclude_entity_ids)
    # hits are filtered after matching: ask for more when filters may drop some
    wanted = MAX_LIMIT if since else min(MAX_LIMIT, limit + len(skipped_ids) + 1)
    responses: dict[str, Any] = {}
    for key, example in body.queries.items():
        props = {p: _texts(v) for p, v in example.properties.items()}
        query = MatchQuery(example.schema_, props)
        if params.topics and TOPICS.isdisjoint(params.topics):
            hits: list[MatchHit] = []
        else:
            try:
                hits = index.match(query, limit=wanted, threshold=threshold,
                                   cutoff=min(cutoff, threshold), datasets=datasets,
                                   exclude=params.exclude_dataset)
            except InvalidInput as exc:
                raise InvalidInput(f"query {key[:40]!r}: {exc}") from None
        hits = [h for h in hits if h.schema not in skipped_schemata
                and skipped_ids.isdisjoint((h.id, *h.records))
                and (since is None or _changed(snap, h.id, since))][:limit]
        responses[key] = {
            "status": 200, "results": [scored(snap, h) for h in hits],
            "total": {"value": len(hits), "relation": "eq"},
            "query": {"id": example.id, "schema": example.schema_, "properties": props},
        }
    return json_response({"responses": responses, "matcher": MATCHER, "limit": limit},
                         headers={"x-batch-size": str(len(responses)),
                                  "x-pp-algorithm": "pp-v2",
                                  "x-pp-data-version": index.version})


def _texts(value: Scalar | list[Scalar]) -> list[str]:
    """A property's values as text (yente clients may send numbers)."""
    values = value if isinstance(value, list) else [value]
    return [str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
            for v in values]


def changed_since(value: str | None) -> str | None:
    """`changed_since` as a stamp comparable with the store's ("YYYY-MM-DDTHH:MM:SS"
    compares as text); InvalidInput for a date that does not exist."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value).isoformat(timespec="seconds")
    except ValueError:
        raise InvalidInput(f"changed_since: {value!r} is not a valid date") from None


def _changed(snap: Snapshot, entity_id: str, since: str) -> bool:
    found = snap.seen.get(entity_id)
    return found is not None and found.last_change >= since


@router.get("/algorithms", response_model=AlgorithmResponse, summary="Scoring algorithms",
            tags=["Matching"])
async def algorithms() -> Response:
    """The algorithms `/match` offers (yente's endpoint): pp-v2, which also answers to
    yente's algorithm names."""
    return json_response({"algorithms": [{
        "name": "pp-v2", "features": MATCHER,
        "description": "pressurepoint's matcher: names in any script and spelling, with "
                       "identifiers, dates, gender, patronymics and countries."}],
        "default": "pp-v2", "best": "pp-v2"})


def entity_body(snap: Snapshot, entity_id: str) -> dict[str, Any]:
    """An entity as yente's EntityResponse (with `jurisdictions` added)."""
    index = snap.index
    entity = index.canonicals[entity_id]
    seen = snap.seen.get(entity_id)
    return {
        "id": entity.id, "caption": entity.caption, "schema": entity.schema,
        "properties": index.properties(entity.id),
        "datasets": list(entity.sources(index.entries)),
        "referents": [index.entries[n].id for n in entity.records],
        "target": True, "first_seen": seen.first_seen if seen else None,
        "last_seen": seen.last_seen if seen else None,
        "last_change": seen.last_change if seen else None,
        "jurisdictions": entity.jurisdictions,
    }


def scored(snap: Snapshot, hit: MatchHit) -> dict[str, Any]:
    explanations: dict[str, dict[str, Any]] = {}
    for feature, value in hit.explanation.items():
        if isinstance(value, float | int) and not isinstance(value, bool) \
                and feature != "threshold":
            detail = hit.explanation.get(f"{feature}_detail")
            explanations[feature] = {"score": value, "detail": detail}
    return dict(entity_body(snap, hit.id), score=hit.score, match=hit.match,
                explanations=explanations,
                features={k: v["score"] for k, v in explanations.items()})


@router.get("/search/{dataset}", response_model=SearchResponse, responses=ERRORS,
            summary="Full-text search over names, with facets",
            openapi_extra=documented(SearchParams))
async def search(request: Request, dataset: str) -> Response:
    """Entities whose names hold every word of `q` (any spelling the names engine knows:
    transliterations, Cyrillic), best match first, with the number of all matching
    entities by type, country and listing jurisdiction; with `changed_since`, only the
    entities whose data changed since that date (as in `/match`)."""
    params = read_query(SearchParams, request)
    since = changed_since(params.changed_since)
    snap = state(request).snapshot()
    index = snap.index
    datasets = _included(checked_dataset(index, dataset), params.include_dataset)
    result = index.search(params.q, limit=params.limit, offset=params.offset,
                          schema=params.schema_, countries=params.countries,
                          datasets=datasets, keep=None if since is None else
                          lambda entity_id: _changed(snap, entity_id, since))
    facets = {
        name: {"label": FACET_LABELS[name], "values": [
            {"name": value, "label": value, "count": count}
            for value, count in result.facets[key].items()]}
        for name, key in (("schema", "schema"), ("countries", "country"),
                          ("jurisdictions", "jurisdiction"))
    }
    return json_response({
        "limit": params.limit, "offset": params.offset,
        "total": {"value": result.total, "relation": "eq"},
        "results": [dict(entity_body(snap, h.id), score=h.score) for h in result.hits],
        "facets": facets,
    })
