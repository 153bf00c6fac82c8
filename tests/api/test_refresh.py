"""Data refresh while serving: a real uvicorn server on 127.0.0.1 answers /match from
several client threads while another source is loaded and `resolve` runs in this
process; every request is answered (200, a whole response), and once the data version
moves the server swaps in an index that finds the new source's records."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.outputs.api.app import create_app
from pressurepoint.resolve.matcher import default_matcher
from pressurepoint.resolve.pipeline import resolve
from pressurepoint.store import Store
from tests.conftest import FIXTURES
from tests.fixture_store import fixture_settings, load_fixtures

SURKOV = {"q": {"schema": "Person", "properties": {"name": ["Vladislav Surkov"]}}}
LAVROV = {"q": {"schema": "Person", "properties": {"name": ["Sergey Lavrov"]}}}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Settings, str, Any]]:
    settings = fixture_settings(tmp_path)
    store = Store(settings.db_url)
    load_fixtures(store, settings, skip={"uk_ofsi"})
    store.close()
    app = create_app(settings, refresh_seconds=0.3, api_token="")
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert app.state.pp.wait_ready(120), app.state.pp.error
    while not server.started:
        time.sleep(0.05)
    try:
        yield settings, f"http://127.0.0.1:{port}", app.state.pp
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def _hammer(base: str, stop: threading.Event, outcomes: list[str]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            response = client.post("/match/default", json={"queries": LAVROV})
            ok = response.status_code == 200 and response.json()["responses"]["q"][
                "results"][0]["caption"].lower().startswith("lavrov")
            outcomes.append("ok" if ok else f"{response.status_code} {response.text[:200]}")


def test_requests_keep_being_answered_while_the_data_changes(
        served: tuple[Settings, str, Any]) -> None:
    settings, base, pp = served
    before = httpx.get(f"{base}/readyz").json()["version"]
    assert httpx.post(f"{base}/match/default", json={"queries": SURKOV}).json()[
        "responses"]["q"]["results"] == []
    stop, outcomes = threading.Event(), []
    clients = [threading.Thread(target=_hammer, args=(base, stop, outcomes))
               for _ in range(4)]
    for client in clients:
        client.start()
    try:
        store = Store(settings.db_url)
        load(store, settings, LoadRequest("uk_ofsi", FIXTURES / "uk_ofsi" / "ConList.csv",
                                          published="2025-09-01"))
        resolve(store, default_matcher())
        store.close()
        deadline = time.monotonic() + 120
        while httpx.get(f"{base}/readyz").json()["version"] == before:
            assert time.monotonic() < deadline, "the index was not refreshed"
            time.sleep(0.2)
        time.sleep(0.5)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=60)
    assert outcomes and all(o == "ok" for o in outcomes), [o for o in outcomes if o != "ok"]
    assert pp.refreshes >= 1
    found = httpx.post(f"{base}/match/default", json={"queries": SURKOV}).json()
    assert found["responses"]["q"]["results"][0]["jurisdictions"] == {"UK": "listed"}
    # a forked child caches the new index for the next start, the server serving on
    after = httpx.get(f"{base}/readyz").json()["version"]
    cached = settings.data_dir / "screening" / f"index-{after}.pickle"
    deadline = time.monotonic() + 60
    while not cached.exists():
        assert time.monotonic() < deadline, "the new index was not cached"
        time.sleep(0.2)
