"""Conformance with the Reconciliation Service API (v0.2, as OpenRefine speaks it): the
service manifest, a batch of queries as a form field and as a query parameter, the three
suggest services, the preview, and refused input."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

LAVROV_ID = "pp-b922750f4793f2e2b825"
QUERIES = {
    "q0": {"query": "Sergey Lavrov", "type": "Person", "limit": 3,
           "properties": [{"pid": "birthDate", "v": "1950-03-21"}]},
    "q1": {"query": "Promsvyazbank", "type": "Company"},
    "q2": {"query": "Nobody Atall Whatsoever", "type": "Person"},
}


def _check_results(data: dict[str, Any]) -> None:
    assert set(data) == {"q0", "q1", "q2"}
    best = data["q0"]["result"][0]
    assert best["id"] == LAVROV_ID and best["match"] is True
    assert 90 <= best["score"] <= 100
    assert best["type"] == [{"id": "Person", "name": "People"}]
    assert best["description"] == "listed by CA, CH, JP"
    assert len(data["q0"]["result"]) <= 3
    assert data["q1"]["result"][0]["name"] == "Promsvyazbank"
    assert data["q2"]["result"] == []


def test_service_manifest(client: TestClient) -> None:
    for path in ("/reconcile", "/reconcile/default"):
        manifest = client.get(path).json()
        assert manifest["versions"] == ["0.2"]
        assert manifest["name"] and manifest["identifierSpace"] and manifest["schemaSpace"]
        assert {"id": "Person", "name": "People"} in manifest["defaultTypes"]
        assert "{{id}}" in manifest["view"]["url"] and "{{id}}" in manifest["preview"]["url"]
        for kind in ("entity", "type", "property"):
            service = manifest["suggest"][kind]
            assert service["service_url"].endswith("/reconcile/default")
            assert service["service_path"] == f"/suggest/{kind}"


def test_query_batch_as_form_and_as_parameter(client: TestClient) -> None:
    posted = client.post("/reconcile", data={"queries": json.dumps(QUERIES)})
    assert posted.status_code == 200
    _check_results(posted.json())
    _check_results(client.get("/reconcile/default",
                              params={"queries": json.dumps(QUERIES)}).json())
    only_ch = client.post("/reconcile/CH", data={"queries": json.dumps(QUERIES)}).json()
    assert only_ch["q0"]["result"][0]["id"] == LAVROV_ID and only_ch["q1"]["result"] == []


def test_suggest_services_and_preview(client: TestClient) -> None:
    entities = client.get("/reconcile/default/suggest/entity",
                          params={"prefix": "lavrov"}).json()
    assert entities["result"][0]["id"] == LAVROV_ID
    assert entities["result"][0]["notable"] == [{"id": "Person", "name": "People"}]
    types = client.get("/reconcile/default/suggest/type", params={"prefix": "ves"}).json()
    assert types["result"] == [{"id": "Vessel", "name": "Vessels"}]
    props = client.get("/reconcile/default/suggest/property",
                       params={"prefix": "birth"}).json()
    assert {"id": "birthDate", "name": "Birth date"} in props["result"]
    preview = client.get("/reconcile/default/preview", params={"id": LAVROV_ID})
    assert preview.status_code == 200 and preview.headers["content-type"].startswith(
        "text/html")
    assert "Lavrov" in preview.text and "listed by CA, CH, JP" in preview.text


def test_refused_input(client: TestClient) -> None:
    bad = client.post("/reconcile", data={"queries": "{not json"})
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_input"
    many = {f"q{n}": {"query": "x"} for n in range(500)}
    assert client.post("/reconcile", data={"queries": json.dumps(many)}).json()[
        "detail"].startswith("too many queries")
    ghost = client.post("/reconcile", data={"queries": json.dumps(
        {"q": {"query": "x", "type": "Ghost"}})})
    assert ghost.status_code == 400 and "unknown schema" in ghost.json()["detail"]
    prop = client.post("/reconcile", data={"queries": json.dumps(
        {"q": {"query": "Ivan", "type": "Person", "properties": [
            {"pid": "birthDate", "v": "yesterday"}]}})})
    assert prop.status_code == 400 and "is not a date" in prop.json()["detail"]
    missing = client.get("/reconcile/default/preview", params={"id": "nope"})
    assert missing.status_code == 404
    script = client.get("/reconcile/default/preview", params={"id": "<script>"})
    assert script.status_code == 400 and "<script>" not in script.headers.get(
        "content-type", "")
    assert client.get("/reconcile/XX").status_code == 404
