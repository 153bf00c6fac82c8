"""Data extension of the Reconciliation Service API (v0.2), as OpenRefine uses it: the
manifest's `extend` member, the proposed properties of a type, and extension requests as a
form field and as a query parameter. The shapes are checked against the specification's
JSON schemas (manifest.json, propose-properties-response.json,
data-extension-response.json), written out by hand below (the `jsonschema` package is not
a dependency); the values against the fixture data."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.test_api import _error

LAVROV_ID = "pp-b922750f4793f2e2b825"
#: data-extension-response.json: the date value's pattern.
DATE = re.compile(r"^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12][0-9])"
                  r"T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?"
                  r"(Z|[+-](?:2[0-3]|[01][0-9]):[0-5][0-9])?$")
SETTING_DEFAULTS = {"number": (int, float), "text": str, "checkbox": bool, "select": str}


def _value_kinds(value: Any) -> list[str]:
    """Which of the schema's `oneOf` alternatives a cell value satisfies."""
    kinds = []
    if not isinstance(value, dict):
        return kinds
    keys = set(value)
    if not keys:
        kinds.append("empty")
    if keys in ({"id", "name"}, {"id", "name", "description"}) and all(
            isinstance(v, str) for v in value.values()):
        kinds.append("entity")
    if keys == {"str"} and isinstance(value["str"], str):
        kinds.append("str")
    if keys == {"float"} and isinstance(value["float"], int | float) \
            and not isinstance(value["float"], bool):
        kinds.append("float")
    if keys == {"int"} and isinstance(value["int"], int) and not isinstance(value["int"],
                                                                            bool):
        kinds.append("int")
    if keys == {"date"} and isinstance(value["date"], str) and DATE.match(value["date"]):
        kinds.append("date")
    return kinds


def _check_extension_response(body: Any) -> None:
    """data-extension-response.json: required rows and meta; meta items with a string id
    and name (and a type with an id); every cell a list of values, each exactly one of
    the alternatives."""
    assert isinstance(body, dict) and {"rows", "meta"} <= set(body)
    for item in body["meta"]:
        assert isinstance(item["id"], str) and isinstance(item["name"], str)
        if "type" in item:
            assert isinstance(item["type"]["id"], str)
    assert isinstance(body["rows"], dict)
    for row in body["rows"].values():
        assert isinstance(row, dict)
        for cell in row.values():
            assert isinstance(cell, list)
            for value in cell:
                assert len(_value_kinds(value)) == 1, value


def _check_propose_response(body: Any) -> None:
    """propose-properties-response.json: properties (id, name) for a type; limit a number."""
    assert isinstance(body["type"], str) and isinstance(body["properties"], list)
    for item in body["properties"]:
        assert isinstance(item["id"], str) and isinstance(item["name"], str)
    assert isinstance(body.get("limit", 0), int)


def _extend(client: TestClient, request: dict[str, Any]) -> Any:
    response = client.post("/reconcile", data={"extend": json.dumps(request)})
    assert response.status_code == 200, response.text
    body = response.json()
    _check_extension_response(body)
    return body


def test_manifest_offers_data_extension(client: TestClient) -> None:
    extend = client.get("/reconcile").json()["extend"]
    service = extend["propose_properties"]
    assert isinstance(service["service_url"], str) and isinstance(service["service_path"], str)
    assert service["service_url"].endswith("/reconcile/default")
    for setting in extend["property_settings"]:  # manifest.json: one of four kinds
        assert {"type", "label", "name"} <= set(setting)
        assert isinstance(setting["default"], SETTING_DEFAULTS[setting["type"]])


def test_proposed_properties_depend_on_the_type(client: TestClient) -> None:
    service = client.get("/reconcile/default").json()["extend"]["propose_properties"]
    path = service["service_url"].removeprefix("http://testserver") + service["service_path"]
    person = client.get(path, params={"type": "Person"}).json()
    _check_propose_response(person)
    ids = [p["id"] for p in person["properties"]]
    assert person["type"] == "Person"
    assert {"listed_by", "sources", "birthDate", "nationality", "passportNumber"} <= set(ids)
    assert "imoNumber" not in ids
    vessel = [p["id"] for p in client.get(path, params={"type": "Vessel"}).json()[
        "properties"]]
    assert "imoNumber" in vessel and "birthDate" not in vessel
    short = client.get(path, params={"type": "Person", "limit": 3}).json()
    _check_propose_response(short)
    assert short["limit"] == 3 and len(short["properties"]) == 3


def test_extension_values_of_matched_entities(client: TestClient) -> None:
    properties = ["listed_by", "lifted_by", "sources", "birthDate", "nationality", "names",
                  "caption", "schema", "listed_since", "first_seen", "last_change"]
    body = _extend(client, {"ids": [LAVROV_ID, "ch-seco-72081", "pp-nobody-at-all"],
                            "properties": [{"id": p} for p in properties]})
    assert [m["id"] for m in body["meta"]] == properties
    assert all(m["name"] for m in body["meta"])
    lavrov = body["rows"][LAVROV_ID]
    assert lavrov["listed_by"] == [{"str": "CA"}, {"str": "CH"}, {"str": "JP"}]
    assert lavrov["lifted_by"] == []
    assert lavrov["sources"] == [{"str": "ca_sema"}, {"str": "ch_seco"}, {"str": "jp_mof"}]
    assert {"date": "1950-03-21T00:00:00"} in lavrov["birthDate"]
    assert lavrov["schema"] == [{"str": "Person"}]
    assert any("Lavrov" in v["str"] for v in lavrov["names"])
    assert lavrov["first_seen"] and lavrov["last_change"] and lavrov["listed_since"]
    # a record id of the entity answers for the entity
    assert body["rows"]["ch-seco-72081"]["listed_by"] == lavrov["listed_by"]
    assert all(cell == [] for cell in body["rows"]["pp-nobody-at-all"].values())


def test_extension_as_query_parameter_with_a_limit_setting(client: TestClient) -> None:
    request = {"ids": [LAVROV_ID], "properties": [{"id": "names", "settings": {"limit": 2}},
                                                  {"id": "sources"}]}
    response = client.get("/reconcile/CH", params={"extend": json.dumps(request)})
    assert response.status_code == 200
    body = response.json()
    _check_extension_response(body)
    assert len(body["rows"][LAVROV_ID]["names"]) == 2
    assert len(body["rows"][LAVROV_ID]["sources"]) == 3


@pytest.mark.parametrize(("request_body", "needle"), [
    ({"ids": [LAVROV_ID], "properties": [{"id": "shoeSize"}]}, "unknown property"),
    ({"ids": [LAVROV_ID], "properties": []}, "properties"),
    ({"ids": [f"id{n}" for n in range(101)], "properties": [{"id": "sources"}]}, "ids"),
    ({"ids": ["../../etc/passwd"], "properties": [{"id": "sources"}]}, "not an entity id"),
    ({"ids": [LAVROV_ID], "properties": [{"id": "names", "settings": {"limit": "x"}}]},
     "not a number"),
    ({"properties": [{"id": "sources"}]}, "ids"),
])
def test_bad_extension_requests(client: TestClient, request_body: dict[str, Any],
                                needle: str) -> None:
    _error(client.post("/reconcile", data={"extend": json.dumps(request_body)}), 400, needle)


def test_extension_request_that_is_not_json(client: TestClient) -> None:
    _error(client.post("/reconcile", data={"extend": "{ids: nope"}), 400, "extend")
    _error(client.get("/reconcile/default/extend/propose", params={"limit": 0}), 422, "limit")
