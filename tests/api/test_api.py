"""Every endpoint of the API over real HTTP (FastAPI's TestClient, real SQLite): yente's
/match as a yente client sends it, search with facets, entities and their redirects, the
gap matrix with the CLI's filters, sources, companies as the CLI prints them, the bearer
token of the write endpoint, and the one error shape of every refused request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import insert

from pressurepoint.config import Settings
from pressurepoint.outputs.api.models import MAX_BATCH
from pressurepoint.outputs.cli.main import cli
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs
from pressurepoint.store import schema as t
from tests.api.conftest import TOKEN

LAVROV_ID = "pp-b922750f4793f2e2b825"


def _error(response: Any, status: int, needle: str) -> None:
    """The one error shape: status, a code, a readable detail; never a trace."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"status", "error", "detail"} and body["status"] == status
    assert needle in body["detail"], body["detail"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def _match(client: TestClient, queries: dict[str, Any], path: str = "/match/default",
           **params: Any) -> Any:
    return client.post(path, json={"queries": queries}, params=params)


# -- /match --------------------------------------------------------------------------------
def test_a_yente_client_request_and_response(client: TestClient) -> None:
    """The body and parameters yente's documentation shows, and the fields its clients
    read (responses.<key>.results[].score / match / explanations / caption...)."""
    body = {"weights": {}, "config": {}, "queries": {
        "entity1": {"schema": "Person", "properties": {
            "name": ["Sergey Lavrov"], "birthDate": ["1950-03-21"], "nationality": ["ru"]}},
        "entity2": {"schema": "Company", "properties": {
            "name": "Promsvyazbank", "jurisdiction": ["ru"]}},
    }}
    response = client.post("/match/default", json=body,
                           params={"algorithm": "logic-v2", "limit": 3, "threshold": 0.7})
    assert response.status_code == 200
    assert response.headers["x-batch-size"] == "2"
    data = response.json()
    assert data["limit"] == 3 and set(data["responses"]) == {"entity1", "entity2"}
    first = data["responses"]["entity1"]
    assert first["status"] == 200 and first["total"]["relation"] == "eq"
    assert first["query"] == {"id": None, "schema": "Person", "properties": {
        "name": ["Sergey Lavrov"], "birthDate": ["1950-03-21"], "nationality": ["ru"]}}
    best = first["results"][0]
    assert best["id"] == LAVROV_ID and best["schema"] == "Person" and best["match"] is True
    assert best["score"] >= 0.9 and best["target"] is True
    assert set(best["datasets"]) == {"ca_sema", "ch_seco", "jp_mof"}
    assert "ch-seco-72081" in best["referents"]
    assert "Sergey Lavrov" in best["properties"]["name"]
    assert best["explanations"]["name"]["score"] > 0.8
    assert "lavrov" in best["explanations"]["name"]["detail"].lower()
    assert best["features"]["birth_date"] == best["explanations"]["birth_date"]["score"]
    assert best["jurisdictions"] == {"CA": "listed", "CH": "listed", "JP": "listed"}
    company = data["responses"]["entity2"]["results"][0]
    assert company["caption"] == "Promsvyazbank" and company["schema"] == "Company"


def test_match_dataset_filters(client: TestClient) -> None:
    query = {"q": {"schema": "Person", "properties": {"name": ["Sergey Lavrov"]}}}
    assert _match(client, query, "/match/CH").json()["responses"]["q"]["results"][0][
        "id"] == LAVROV_ID
    assert _match(client, query, "/match/US").json()["responses"]["q"]["results"] == []
    assert _match(client, query, exclude_dataset=["CA", "CH", "JP"]).json()[
        "responses"]["q"]["results"] == []
    assert _match(client, query, include_dataset=["jp_mof"]).json()["responses"]["q"][
        "results"][0]["referents"]
    assert _match(client, query, exclude_entity_ids=["jp-mof-29-2"]).json()[
        "responses"]["q"]["results"] == []
    assert _match(client, query, topics=["crime"]).json()["responses"]["q"]["results"] == []
    assert _match(client, query, topics=["sanction"]).json()["responses"]["q"]["results"]
    assert _match(client, query, exclude_schema=["Person"]).json()["responses"]["q"][
        "results"] == []


@pytest.mark.parametrize(("queries", "status", "needle"), [
    ({"q": {"schema": "Spaceship", "properties": {"name": ["x"]}}}, 400,
     "query 'q': unknown schema 'Spaceship'"),
    ({"q": {"schema": "Person", "properties": {"shoeSize": ["44"]}}}, 400,
     "unknown property 'shoeSize'"),
    ({"q": {"schema": "Person", "properties": {"name": ["Ivan"], "birthDate": ["1950-13-01"]}}},
     400, "is not a date"),
    ({"q": {"schema": "Person", "properties": {"name": ["x" * 5000]}}}, 400, "longer than"),
    ({"q": {"schema": "Person", "properties": {"birthDate": ["1950"]}}}, 400,
     "no usable name"),
    ({"q": {"properties": {"name": ["x"]}}}, 422, "schema"),
    ({"q": {"schema": "Person", "properties": {"name": [1, {"a": 2}]}}}, 422, "name"),
    ({}, 400, "no queries"),
])
def test_match_refuses_bad_queries(client: TestClient, queries: dict[str, Any], status: int,
                                   needle: str) -> None:
    _error(_match(client, queries), status, needle)


def test_match_refuses_oversized_batches_and_bodies(client: TestClient) -> None:
    many = {f"q{n}": {"schema": "Person", "properties": {"name": [f"Name {n}"]}}
            for n in range(10_000)}
    _error(_match(client, many), 400, f"at most {MAX_BATCH}")
    huge = json.dumps({"queries": {"q": {"schema": "Person", "properties": {
        "name": ["x" * 2_000_000]}}}})
    _error(client.post("/match/default", content=huge,
                       headers={"content-type": "application/json"}), 413, "larger than")
    _error(client.post("/match/default", content=b"\xff\xfe{not json",
                       headers={"content-type": "application/json"}), 400, "parsing the body")
    _error(client.post("/match/default", content=b"{not json",
                       headers={"content-type": "application/json"}), 422, "JSON")
    _error(client.post("/match/nowhere", json={"queries": {}}), 404, "unknown dataset")
    _error(_match(client, {}, limit=0), 422, "limit")
    _error(_match(client, {"q": {"schema": "Person", "properties": {"name": ["A B"]}}},
                  algorithm="magic"), 400, "unknown algorithm")


# -- /search -------------------------------------------------------------------------------
def test_search_with_facets(client: TestClient) -> None:
    data = client.get("/search/default", params={"q": "mordashov", "limit": 2}).json()
    assert data["total"] == {"value": 4, "relation": "eq"} and len(data["results"]) == 2
    assert data["facets"]["jurisdictions"]["values"] == [
        {"name": "CA", "label": "CA", "count": 4}]
    assert data["facets"]["schema"]["values"][0]["name"] == "Person"
    assert all("mordashov" in r["caption"].lower() for r in data["results"])
    assert client.get("/search/UK", params={"q": "mordashov"}).json()["total"]["value"] == 0
    _error(client.get("/search/default"), 422, "q")
    _error(client.get("/search/default", params={"q": "x" * 600}), 422, "q")
    _error(client.get("/search/default", params={"q": "lavrov", "schema": "Ghost"}), 400,
           "unknown schema")


# -- /entities -----------------------------------------------------------------------------
def test_entity_with_records_designations_and_gap_row(client: TestClient) -> None:
    response = client.get(f"/entities/{LAVROV_ID}")
    assert response.status_code == 200
    data = response.json()
    assert data["id"] == LAVROV_ID and data["schema"] == "Person"
    assert {r["id"] for r in data["records"]} == {
        "ca-sema-russia-1-part-1-505", "ch-seco-72081", "jp-mof-29-2"}
    assert {d["jurisdiction"] for d in data["designations"]} == {"CA", "CH", "JP"}
    assert data["gaps"]["listed_by"] == ["CA", "CH", "JP"] and "US" in data["gaps"]["gaps"]
    assert data["records"][0]["properties"]["name"]


def test_record_and_merged_ids_redirect(client: TestClient, api_settings: Settings) -> None:
    moved = client.get("/entities/ch-seco-72081", follow_redirects=False)
    assert moved.status_code == 308
    assert moved.headers["location"].endswith(f"/entities/{LAVROV_ID}")
    store = Store(api_settings.db_url)
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(t.canonical_redirect).values(
                old_id="pp-00000000000000000000", new_id=LAVROV_ID, created_at="2026-01-01"))
        assert rs.resolve_redirect(store, "pp-00000000000000000000") == LAVROV_ID
    finally:
        store.close()
    merged = client.get("/entities/pp-00000000000000000000", follow_redirects=False)
    assert merged.status_code == 308 and merged.headers["location"].endswith(LAVROV_ID)
    assert client.get("/entities/pp-00000000000000000000").json()["id"] == LAVROV_ID


@pytest.mark.parametrize(("path", "status", "needle"), [
    ("/entities/no-such-entity", 404, "no entity with id"),
    ("/entities/..%2F..%2Fetc%2Fpasswd", 404, "Not Found"),
    ("/entities/%2e%2e%5cwindows", 400, "is not an entity id"),
    ("/entities/a%20b%3Cscript%3E", 400, "is not an entity id"),
    (f"/entities/{'a' * 300}", 400, "is not an entity id"),
])
def test_bad_entity_ids(client: TestClient, path: str, status: int, needle: str) -> None:
    _error(client.get(path), status, needle)


# -- /gaps, /sources, service --------------------------------------------------------------
def test_gaps_with_the_cli_filters(client: TestClient, api_settings: Settings) -> None:
    data = client.get("/gaps", params={"listed_by": "CA,CH", "not_listed_by": "US",
                                       "limit": 50}).json()
    assert data["total"] >= 1 and data["jurisdictions"][0] == "AU"
    assert all({"CA", "CH"} <= set(r["listed_by"]) and "US" not in r["listed_by"]
               for r in data["results"])
    assert LAVROV_ID in {r["id"] for r in data["results"]}
    everything = client.get("/gaps", params={"all": "true", "limit": 10_000}).json()
    runner = CliRunner()
    printed = runner.invoke(cli, ["--db", api_settings.db_url, "gaps", "--all",
                                  "--format", "json"])
    assert printed.exit_code == 0, printed.output
    assert [r["id"] for r in everything["results"]] == [
        r["id"] for r in json.loads(printed.output)]
    _error(client.get("/gaps", params={"listed_by": "XX"}), 400, "jurisdiction XX")
    _error(client.get("/gaps", params={"since": "2024-02-30"}), 400, "is not a date")
    _error(client.get("/gaps", params={"limit": "many"}), 422, "limit")


def test_sources_and_health(client: TestClient) -> None:
    sources = {s["id"]: s for s in client.get("/sources").json()["sources"]}
    assert {"ofac_sdn", "ca_sema", "yale_celi"} <= set(sources)
    assert sources["ca_sema"]["jurisdiction"] == "CA" and sources["ca_sema"]["runs"] == 1
    assert sources["ca_sema"]["newest"]["published_at"].startswith("2025-09-01")
    assert sources["ca_sema"]["age_days"] > 0
    assert sources["yale_celi"]["kind"] == "tracker"
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["records"] > 80 and ready["version"]
    _error(client.get("/nothing/here"), 404, "Not Found")
    _error(client.delete("/sources"), 405, "Method Not Allowed")


def test_security_headers_and_typed_openapi(client: TestClient) -> None:
    response = client.get("/readyz")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    schema = client.get("/openapi.json").json()
    assert "/match/{dataset}" in schema["paths"] and "/reconcile" in schema["paths"]
    matched = schema["paths"]["/match/{dataset}"]["post"]
    assert matched["responses"]["200"]["content"]["application/json"]["schema"][
        "$ref"].endswith("EntityMatchResponse")
    assert "ScoredEntityResponse" in schema["components"]["schemas"]
    assert {p["name"] for p in matched["parameters"]} >= {"limit", "threshold",
                                                          "include_dataset"}


# -- /companies ----------------------------------------------------------------------------
def test_companies_as_the_cli_prints_them(client: TestClient, api_settings: Settings) -> None:
    runner = CliRunner()
    for params, args in (({}, []), ({"status": "staying"}, ["--status", "staying"]),
                         ({"country": "FR"}, ["--country", "FR"])):
        printed = runner.invoke(cli, ["--db", api_settings.db_url, "companies", *args,
                                      "--format", "json"])
        assert printed.exit_code == 0, printed.output
        expected = json.loads(printed.stdout)
        served = client.get("/companies", params=params).json()
        assert served == expected and served
    first = client.get("/companies").json()[0]
    assert {"id", "name", "country", "industry", "status", "assessments"} <= set(first)
    one = client.get(f"/companies/{first['id']}").json()
    assert one["id"] == first["id"] and "sanctions" in one and "joined" in one
    _error(client.get("/companies", params={"status": "gone"}), 400, "unknown status")
    _error(client.get("/companies", params={"tracker": "nope"}), 400, "unknown tracker")
    _error(client.get("/companies/no-such-company"), 404, "no company")


# -- writes --------------------------------------------------------------------------------
def test_judgements_need_the_bearer_token(client: TestClient, api_settings: Settings) -> None:
    body = {"left": "ca-sema-russia-1-part-1-483", "right": "uk-fcdo-rus1770",
            "verdict": "different", "author": "tester"}
    _error(client.post("/judgements", json=body), 401, "bearer token")
    _error(client.post("/judgements", json=body,
                       headers={"authorization": "Bearer wrong"}), 401, "bearer token")
    done = client.post("/judgements", json=body, headers={"authorization": f"Bearer {TOKEN}"})
    assert done.status_code == 201 and done.json()["verdict"] == "different"
    store = Store(api_settings.db_url)
    try:
        assert rs.judgements(store)[("ca-sema-russia-1-part-1-483", "uk-fcdo-rus1770")] == \
            "different"
    finally:
        store.close()
    _error(client.post("/judgements", json=dict(body, verdict="maybe"),
                       headers={"authorization": f"Bearer {TOKEN}"}), 400, "verdict")
    _error(client.post("/judgements", json=dict(body, left="nope"),
                       headers={"authorization": f"Bearer {TOKEN}"}), 404, "no record")


def test_writes_are_refused_without_a_configured_token(api_settings: Settings) -> None:
    from pressurepoint.outputs.api.app import create_app

    app = create_app(api_settings, refresh_seconds=3600, api_token="")
    with TestClient(app) as other:
        _error(other.post("/judgements", json={"left": "a", "right": "b",
                                               "verdict": "same"},
                          headers={"authorization": "Bearer "}), 403, "disabled")
