"""Typed request and response bodies of the API (they make the OpenAPI schema).

The matching models follow yente's (`/match/{dataset}`: `EntityMatchQuery` in,
`EntityMatchResponse` out) field for field, so that a yente client works unchanged;
pressurepoint adds fields (`jurisdictions`), never renames one.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: Most queries in one /match or /reconcile request.
MAX_BATCH = 100
#: A value of an example's property: yente accepts any JSON value; text and numbers here.
Scalar = str | int | float
#: yente's `changed_since`: a date, or a date and time.
TIMESTAMP = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$"
CHANGED_SINCE = ("Only entities whose data changed on or after this date (YYYY-MM-DD, or "
                 "YYYY-MM-DDTHH:MM:SS): a value added, or one a newer file no longer "
                 "states (`last_change`).")


class ErrorBody(BaseModel):
    """The one error shape of every 4xx (and 5xx) response."""

    status: int = Field(examples=[400])
    error: str = Field(examples=["invalid_input"], description="A stable code.")
    detail: str = Field(examples=["query 'q1': unknown schema 'Spaceship'"],
                        description="What was wrong, for a human.")


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": text} for code, text in (
        (400, "Invalid request"), (404, "Not found"), (413, "Body too large"),
        (422, "Body or parameters of the wrong shape"), (503, "Index loading"))
}


# -- /match (yente's shapes) ---------------------------------------------------------------
class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, max_length=200, examples=["my-entity-id"])
    schema_: str = Field(alias="schema", max_length=64, examples=["Person"])
    properties: dict[str, Scalar | list[Scalar]] = Field(
        examples=[{"name": ["Sergey Lavrov"], "birthDate": ["1950-03-21"]}],
        description="FtM property -> a value or a list of values (numbers are read as "
        "text, as yente does: an IMO number may be sent as 9187629).")


class EntityMatchQuery(BaseModel):
    weights: dict[str, float] = Field(
        {}, description="Accepted for yente clients; pp-v2's weights are fixed.")
    config: dict[str, str | int | float | bool | None] = Field(
        {}, description="Accepted for yente clients; pp-v2 has no options.")
    queries: dict[str, EntityExample] = Field(
        description=f"At most {MAX_BATCH} queries, keyed by the caller.")


class FeatureResult(BaseModel):
    score: float
    detail: str | None = None


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(examples=["pp-b922750f4793f2e2b825"])
    caption: str = Field(examples=["Lavrov Sergei Viktorovich"])
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, list[str]]
    datasets: list[str] = Field([], description="Sources holding a record of it.")
    referents: list[str] = Field([], description="Its source records.")
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    jurisdictions: dict[str, str] = Field(
        {}, description="Jurisdiction code -> listed | lifted (absent: never listed).",
        examples=[{"CA": "listed", "CH": "listed", "US": "lifted"}])


class ScoredEntityResponse(EntityResponse):
    score: float
    match: bool
    explanations: dict[str, FeatureResult]
    features: dict[str, float] = Field(description="The explanations' scores (older yente "
                                                   "clients read these).")


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str | None = None


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc] = Field(description="The features of the algorithm "
                                           "(yente's FeatureDocs).")
    limit: int


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


# -- /search -------------------------------------------------------------------------------
class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    limit: int
    offset: int
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet]


# -- entities, gaps, sources ---------------------------------------------------------------
class EntityDetail(BaseModel):
    id: str
    caption: str
    schema_: str = Field(alias="schema")
    jurisdictions: dict[str, str]
    records: list[dict[str, Any]] = Field(description="Every source record with every "
                                          "value's history and the designations of it.")
    designations: list[dict[str, Any]]
    gaps: dict[str, Any] | None = Field(description="Its row of the gap matrix (None: no "
                                        "jurisdiction designates it).")


class GapsResponse(BaseModel):
    total: int
    limit: int | None
    offset: int
    jurisdictions: list[str]
    as_of: str
    results: list[dict[str, Any]]


class SourceRun(BaseModel):
    run: int
    published_at: str
    loaded_at: str
    file_name: str
    records: int
    issues: int


class SourceInfo(BaseModel):
    id: str
    title: str
    publisher: str
    jurisdiction: str
    kind: str
    runs: int
    newest: SourceRun | None
    age_days: int | None = Field(description="Days since the newest file's publication.")


class SourcesResponse(BaseModel):
    sources: list[SourceInfo]


class Status(BaseModel):
    status: str
    version: str | None = None
    records: int = 0
    entities: int = 0
    built_at: float | None = None
    refreshes: int = 0
    error: str | None = None


# -- judgements ----------------------------------------------------------------------------
class JudgementIn(BaseModel):
    left: str = Field(max_length=255, examples=["ca-sema-russia-1-part-1-505"])
    right: str = Field(max_length=255, examples=["ch-seco-72081"])
    verdict: str = Field(examples=["same"], description="same | different | unsure")
    author: str = Field("api", max_length=128)
    note: str | None = Field(None, max_length=2000)


class JudgementOut(BaseModel):
    left: str
    right: str
    verdict: str
    author: str


# -- query parameters ----------------------------------------------------------------------
class MatchParams(BaseModel):
    """Query parameters of /match (yente's)."""

    limit: int = Field(5, ge=1, le=100, description="Results per query.")
    threshold: float = Field(0.7, ge=0.0, le=1.0,
                             description="Score from which a result is a match.")
    cutoff: float = Field(0.5, ge=0.0, le=1.0,
                          description="Results scoring below this are not returned.")
    algorithm: str = Field("pp-v2", max_length=40,
                           description="pp-v2 (yente's algorithm names are accepted).")
    include_dataset: list[str] = Field([], max_length=20,
                                       description="Only these sources or jurisdictions.")
    exclude_dataset: list[str] = Field([], max_length=20, description="Leave these out.")
    exclude_schema: list[str] = Field([], max_length=10,
                                      description="Leave entities of these types out.")
    exclude_entity_ids: list[str] = Field([], max_length=50,
                                          description="Leave these entities out.")
    topics: list[str] = Field([], max_length=20,
                              description="Only entities with one of these topics.")
    changed_since: str | None = Field(None, pattern=TIMESTAMP, description=CHANGED_SINCE)


class SearchParams(BaseModel):
    q: str = Field(min_length=1, max_length=500, description="Words of a name.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)
    schema_: str | None = Field(None, alias="schema", max_length=64)
    countries: list[str] = Field([], max_length=20,
                                 description="ISO codes (lower case: ru, de...).")
    include_dataset: list[str] = Field([], max_length=20)
    changed_since: str | None = Field(None, pattern=TIMESTAMP, description=CHANGED_SINCE)


class GapParams(BaseModel):
    """The filters of `pressurepoint gaps`."""

    model_config = ConfigDict(populate_by_name=True)

    regime: str | None = Field(None, max_length=200, description="russia, belarus, or "
                               "words of program names (comma-separated).")
    schema_: str | None = Field(None, alias="schema", max_length=200,
                                description="Person,Company,...")
    listed_by: str | None = Field(None, max_length=100, description="All of these (UK,CA).")
    not_listed_by: str | None = Field(None, max_length=100, description="None of these.")
    since: str | None = Field(None, max_length=10,
                              description="Listed somewhere on or after this date.")
    all: bool = Field(False, description="Also entities without a gap.")
    as_of: str | None = Field(None, max_length=10,
                              description="Gap ages counted to this date (default today).")
    limit: int = Field(100, ge=1, le=10_000)
    offset: int = Field(0, ge=0)


class CompanyParams(BaseModel):
    """The filters of `pressurepoint companies`."""

    country: str | None = Field(None, max_length=60, description="Home country (code or "
                                "name).")
    industry: str | None = Field(None, max_length=100)
    status: str | None = Field(None, max_length=20, description="exited | exiting | "
                               "reduced | staying | unknown")
    tracker: str | None = Field(None, max_length=64)
    name: str | None = Field(None, max_length=200)
    history: bool = Field(True, description="Every dated assessment, or each tracker's "
                          "newest only.")
