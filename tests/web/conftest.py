"""A store holding every sanctions fixture and every company-tracker fixture, resolved, and
the real app (`create_app`: the API and the web pages) served over it: in process
(TestClient) and by uvicorn on 127.0.0.1 for the browser tests. Built once per session:
the web tests only read it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.outputs.api.app import create_app
from pressurepoint.resolve.matcher import default_matcher
from pressurepoint.resolve.pipeline import resolve
from pressurepoint.store import Store
from tests.conftest import FIXTURES
from tests.fixture_store import fixture_settings, load_fixtures, load_trackers

OWN_RESEARCH = FIXTURES / "company_tracker_csv" / "own_research.csv"


def load_everything(store: Store, settings: Settings) -> None:
    """The sanctions and company tracker fixtures, the own-research CSV, then resolve."""
    load_fixtures(store, settings, resolve_after=False)
    load_trackers(store, settings)
    load(store, settings, LoadRequest("company_tracker_csv", OWN_RESEARCH,
                                      published="2026-09-01"))
    resolve(store, default_matcher())


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder: Path = tmp_path_factory.mktemp("web")
    settings = fixture_settings(folder)
    store = Store(settings.db_url)
    load_everything(store, settings)
    store.close()
    return settings


def ready_app(settings: Settings) -> FastAPI:
    # no refresh while the tests run: the store does not change
    return create_app(settings, refresh_seconds=3600)


@pytest.fixture(scope="session")
def client(web_settings: Settings) -> Iterator[TestClient]:
    app = ready_app(web_settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        assert app.state.pp.wait_ready(120), app.state.pp.error
        yield test_client


@pytest.fixture(scope="session")
def server(web_settings: Settings) -> Iterator[str]:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread, once ready."""
    app = ready_app(web_settings)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    assert app.state.pp.wait_ready(120), app.state.pp.error
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)
