"""`POST /match/{dataset}` (yente's query-by-example API) and `GET /search/{dataset}`."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import Response

from pressurepoint.errors import InvalidInput, NotFound
from pressurepoint.outputs.api.models import (
    ERRORS,
    MAX_BATCH,
    EntityMatchQuery,
    EntityMatchResponse,
    MatchParams,
    SearchParams,
    SearchResponse,
)
from pressurepoint.outputs.api.params import documented, read_query
from pressurepoint.outputs.api.state import ServiceState
from pressurepoint.screening.engine import (
    MatchHit,
    MatchQuery,
    ScreeningIndex,
)

router = APIRouter(tags=["Matching"])

#: yente's algorithm names are accepted (clients send them); every one is answered by
#: pp-v1, which the `x-pp-algorithm` header names.
ALGORITHMS = frozenset({"pp-v1", "default", "best", "logic-v1", "logic-v2", "name-based",
                        "name-qualified", "regression-v1", "regression-v2", "regression-v3"})
#: Every entity here is a sanctions target: yente's topic for it.
TOPICS = frozenset({"sanction", "sanction.linked"})
FACET_LABELS = {"schema": "Types", "countries": "Countries", "jurisdictions": "Jurisdictions"}


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
        raise InvalidInput(f"unknown algorithm {params.algorithm[:40]!r} (pp-v1)")
    index = state(request).index()
    datasets = _included(checked_dataset(index, dataset), params.include_dataset)
    if len(body.queries) > MAX_BATCH:
        raise InvalidInput(f"too many queries in one request: {len(body.queries)} "
                           f"(at most {MAX_BATCH})")
    if not body.queries:
        raise InvalidInput("no queries given")
    skipped_schemata = set(params.exclude_schema)
    skipped_ids = set(params.exclude_entity_ids)
    responses: dict[str, Any] = {}
    for key, example in body.queries.items():
        props = {p: [v] if isinstance(v, str) else v for p, v in example.properties.items()}
        query = MatchQuery(example.schema_, props)
        if params.topics and TOPICS.isdisjoint(params.topics):
            hits: list[MatchHit] = []
        else:
            try:
                hits = index.match(query, limit=limit + len(skipped_ids) + 1,
                                   threshold=threshold, cutoff=min(cutoff, threshold),
                                   datasets=datasets, exclude=params.exclude_dataset)
            except InvalidInput as exc:
                raise InvalidInput(f"query {key[:40]!r}: {exc}") from None
        hits = [h for h in hits if h.schema not in skipped_schemata
                and skipped_ids.isdisjoint((h.id, *h.records))][:limit]
        responses[key] = {
            "status": 200, "results": [scored(index, h) for h in hits],
            "total": {"value": len(hits), "relation": "eq"},
            "query": {"id": example.id, "schema": example.schema_, "properties": props},
        }
    return json_response({"responses": responses, "limit": limit},
                         headers={"x-batch-size": str(len(responses)),
                                  "x-pp-algorithm": "pp-v1",
                                  "x-pp-data-version": index.version})


def entity_body(index: ScreeningIndex, entity_id: str) -> dict[str, Any]:
    """An entity as yente's EntityResponse (with `jurisdictions` added)."""
    entity = index.canonicals[entity_id]
    return {
        "id": entity.id, "caption": entity.caption, "schema": entity.schema,
        "properties": index.properties(entity.id),
        "datasets": list(entity.sources(index.entries)),
        "referents": [index.entries[n].id for n in entity.records],
        "target": True, "first_seen": None, "last_seen": None, "last_change": None,
        "jurisdictions": entity.jurisdictions,
    }


def scored(index: ScreeningIndex, hit: MatchHit) -> dict[str, Any]:
    explanations: dict[str, dict[str, Any]] = {}
    for feature, value in hit.explanation.items():
        if isinstance(value, float | int) and not isinstance(value, bool) \
                and feature != "threshold":
            detail = hit.explanation.get(f"{feature}_detail")
            explanations[feature] = {"score": value, "detail": detail}
    return dict(entity_body(index, hit.id), score=hit.score, match=hit.match,
                explanations=explanations,
                features={k: v["score"] for k, v in explanations.items()})


@router.get("/search/{dataset}", response_model=SearchResponse, responses=ERRORS,
            summary="Full-text search over names, with facets",
            openapi_extra=documented(SearchParams))
async def search(request: Request, dataset: str) -> Response:
    """Entities whose names hold every word of `q` (any spelling the names engine knows:
    transliterations, Cyrillic), best match first, with the number of all matching
    entities by type, country and listing jurisdiction."""
    params = read_query(SearchParams, request)
    index = state(request).index()
    datasets = _included(checked_dataset(index, dataset), params.include_dataset)
    result = index.search(params.q, limit=params.limit, offset=params.offset,
                          schema=params.schema_, countries=params.countries,
                          datasets=datasets)
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
        "results": [dict(entity_body(index, h.id), score=h.score) for h in result.hits],
        "facets": facets,
    })
