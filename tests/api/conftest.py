"""An app over a resolved fixture store (sanctions fixtures of nine publishers and the
company trackers), served in-process by FastAPI's TestClient (real HTTP semantics, real
SQLite), once per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from pressurepoint.config import Settings
from pressurepoint.outputs.api.app import create_app
from pressurepoint.store import Store
from tests.fixture_store import fixture_settings, load_fixtures, load_trackers

TOKEN = "test-token-0123456789"


@pytest.fixture(scope="module")
def api_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = fixture_settings(tmp_path_factory.mktemp("api"))
    store = Store(settings.db_url)
    load_trackers(store, settings)
    load_fixtures(store, settings)
    store.close()
    return settings


@pytest.fixture(scope="module")
def client(api_settings: Settings) -> Iterator[TestClient]:
    app = create_app(api_settings, refresh_seconds=3600, api_token=TOKEN)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        assert app.state.pp.wait_ready(120), app.state.pp.error
        yield test_client
