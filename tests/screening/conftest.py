"""One resolved fixture store per test module (the screening tests only read it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pressurepoint.config import Settings
from pressurepoint.screening.engine import ScreeningIndex
from pressurepoint.store import Store
from tests.fixture_store import fixture_settings, load_fixtures


@pytest.fixture(scope="module")
def screening_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    settings = fixture_settings(tmp_path_factory.mktemp("screening"))
    store = Store(settings.db_url)
    load_fixtures(store, settings)
    store.close()
    yield settings


@pytest.fixture(scope="module")
def screening_store(screening_settings: Settings) -> Iterator[Store]:
    store = Store(screening_settings.db_url)
    yield store
    store.close()


@pytest.fixture(scope="module")
def index(screening_store: Store) -> ScreeningIndex:
    return ScreeningIndex.build(screening_store)
