"""yente's /match parameters and fields beyond the basics (test_api.py): `changed_since`
and the entities' `first_seen` / `last_seen` / `last_change`, over two files of one list
published two months apart (one person's birth date corrected, one person dropped); values
sent as numbers; the `matcher` feature docs; `GET /algorithms`."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.outputs.api.app import create_app
from pressurepoint.outputs.api.seen import Seen, record_dates, stored_record_dates
from pressurepoint.store import Store
from tests.api.test_api import _error
from tests.conftest import FIXTURES
from tests.fixture_store import fixture_settings

#: the publication dates the two files state in their first line
FIRST, SECOND = "2018-04-13", "2018-06-13"
ORLOV = {"schema": "Person", "properties": {"name": ["Yevgeniy Orlov"]}}
KOVALCHUK = {"schema": "Person", "properties": {"name": ["Yuriy Kovalchuk"]}}
SURKOV = {"schema": "Person", "properties": {"name": ["Vladislav Surkov"]}}


@pytest.fixture(scope="module")
def two_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("yente")
    settings: Settings = fixture_settings(folder)
    original = FIXTURES / "uk_ofsi" / "ConList.csv"
    lines = original.read_bytes().split(b"\n")
    newer = [line.replace(b"21/10/1983", b"21/10/1984").replace(b"13/04/2018", b"13/06/2018")
             for line in lines if not line.startswith(b"SURKOV,")]
    corrected = folder / "ConList.csv"
    corrected.write_bytes(b"\n".join(newer))
    store = Store(settings.db_url)
    load(store, settings, LoadRequest("uk_ofsi", original))
    load(store, settings, LoadRequest("uk_ofsi", corrected))
    store.close()
    app = create_app(settings, refresh_seconds=3600, api_token="")
    with TestClient(app, raise_server_exceptions=False) as client:
        assert app.state.pp.wait_ready(120), app.state.pp.error
        yield client


def _results(client: TestClient, query: dict[str, Any], **params: Any) -> list[Any]:
    response = client.post("/match/default", json={"queries": {"q": query}}, params=params)
    assert response.status_code == 200, response.text
    found: list[Any] = response.json()["responses"]["q"]["results"]
    return found


def test_first_seen_last_seen_and_last_change(two_files: TestClient) -> None:
    orlov = _results(two_files, ORLOV)[0]
    assert orlov["first_seen"].startswith(FIRST) and orlov["last_seen"].startswith(SECOND)
    assert orlov["last_change"].startswith(SECOND)  # a birth date added, one dropped
    kovalchuk = _results(two_files, KOVALCHUK)[0]
    assert kovalchuk["first_seen"].startswith(FIRST)
    assert kovalchuk["last_seen"].startswith(SECOND)
    assert kovalchuk["last_change"].startswith(FIRST)  # stated alike by both files
    surkov = _results(two_files, SURKOV)[0]  # dropped by the newer file: listing lifted
    assert surkov["jurisdictions"] == {"UK": "lifted"}
    assert surkov["last_seen"].startswith(FIRST)
    assert surkov["last_change"].startswith(SECOND)  # the file that dropped him


@pytest.mark.parametrize("since", ["2018-05-01", "2018-05-01T12:00:00", "2018-06-13"])
def test_changed_since_keeps_only_entities_changed_since(two_files: TestClient,
                                                         since: str) -> None:
    assert [r["caption"] for r in _results(two_files, ORLOV, changed_since=since)]
    assert _results(two_files, KOVALCHUK, changed_since=since) == []
    assert _results(two_files, SURKOV, changed_since=since)  # dropped: a change too


def test_record_dates_are_cached_by_data_version(tmp_path: Path) -> None:
    settings = fixture_settings(tmp_path)
    store = Store(settings.db_url)
    load(store, settings, LoadRequest("uk_ofsi", FIXTURES / "uk_ofsi" / "ConList.csv"))
    folder = tmp_path / "cache"
    read = stored_record_dates(store, folder, "v1")
    assert read == record_dates(store) and read["uk-ofsi-12937"].first_seen.startswith(FIRST)
    assert [p.name for p in folder.iterdir()] == ["dates-v1.pickle"]
    with (folder / "dates-v1.pickle").open("wb") as out:  # what a start reads instead
        pickle.dump({"x": ("a", "b", "c")}, out)
    assert stored_record_dates(store, folder, "v1") == {"x": Seen("a", "b", "c")}
    (folder / "dates-v2.pickle").write_bytes(b"not a pickle")  # broken: read again
    assert stored_record_dates(store, folder, "v2") == read
    store.close()


def test_changed_since_before_everything_keeps_everything(two_files: TestClient) -> None:
    everything = _results(two_files, KOVALCHUK)
    assert everything and _results(two_files, KOVALCHUK, changed_since="2010-01-01") == \
        everything
    assert _results(two_files, ORLOV, changed_since="2019-01-01") == []


@pytest.mark.parametrize(("since", "status", "needle"), [
    ("2018-13-01", 400, "not a valid date"),
    ("2018-02-30", 400, "not a valid date"),
    ("yesterday", 422, "changed_since"),
    ("2018-05-01T12", 422, "changed_since"),
    ("2018-05-01' OR 1=1", 422, "changed_since"),
])
def test_bad_changed_since(two_files: TestClient, since: str, status: int,
                           needle: str) -> None:
    _error(two_files.post("/match/default", json={"queries": {"q": ORLOV}},
                          params={"changed_since": since}), status, needle)


def test_values_sent_as_numbers_are_read_as_text(two_files: TestClient) -> None:
    query = {"schema": "Person", "properties": {"name": "Yevgeniy Orlov",
                                                "birthDate": ["1980-05-10"],
                                                "idNumber": [12345, 1.5e3]}}
    response = two_files.post("/match/default", json={"queries": {"q": query}})
    assert response.status_code == 200, response.text
    echoed = response.json()["responses"]["q"]["query"]["properties"]
    assert echoed["idNumber"] == ["12345", "1500"] and echoed["name"] == ["Yevgeniy Orlov"]


def test_matcher_docs_and_algorithms(two_files: TestClient) -> None:
    response = two_files.post("/match/default", json={"queries": {"q": ORLOV}})
    matcher = response.json()["matcher"]
    used = set(response.json()["responses"]["q"]["results"][0]["explanations"])
    assert used <= set(matcher)
    for doc in matcher.values():
        assert set(doc) == {"description", "coefficient", "url"} and doc["description"]
    algorithms = two_files.get("/algorithms").json()
    assert algorithms["default"] == algorithms["best"] == "pp-v2"
    assert [a["name"] for a in algorithms["algorithms"]] == ["pp-v2"]
    assert algorithms["algorithms"][0]["features"] == matcher
    schema = two_files.get("/openapi.json").json()
    parameters = {p["name"] for p in schema["paths"]["/match/{dataset}"]["post"]["parameters"]}
    assert {"changed_since", "limit", "threshold", "cutoff", "algorithm", "include_dataset",
            "exclude_dataset", "exclude_schema", "exclude_entity_ids", "topics"} <= parameters


def test_search_honours_changed_since(two_files: TestClient) -> None:
    """/search takes yente's `changed_since` as /match does: hits, total and facets count
    only the entities changed since the date."""
    def search(**params: Any) -> dict[str, Any]:
        response = two_files.get("/search/default", params={"q": "Orlov", **params})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    everything = search()
    assert everything["total"]["value"] >= 1
    assert search(changed_since="2010-01-01") == everything
    assert search(changed_since="2018-05-01")["total"]["value"] >= 1  # his birth date changed
    later = search(changed_since="2019-01-01")
    assert later["total"]["value"] == 0 and later["results"] == []
    assert all(v["values"] == [] for v in later["facets"].values())
    bad = two_files.get("/search/default", params={"q": "Orlov", "changed_since": "2018-02-30"})
    assert bad.status_code == 400 and "not a valid date" in bad.text
