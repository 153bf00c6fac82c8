"""One store for the screening tests: the fixture files of nine publishers, loaded and
resolved once per session (as tests/analysis does per module), and its screening index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.screening.engine import ScreeningIndex
from pressurepoint.store import Store
from tests.fixture_store import fixture_settings, load_fixtures


@pytest.fixture(scope="session")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Path]]:
    """Settings of a store holding every sanctions fixture, resolved; and its folder."""
    folder = tmp_path_factory.mktemp("screen")
    settings = fixture_settings(folder)
    store = Store(settings.db_url)
    load_fixtures(store, settings)
    store.close()
    yield settings, folder


@pytest.fixture(scope="session")
def index(loaded: tuple[Settings, Path]) -> Iterator[ScreeningIndex]:
    store = Store(loaded[0].db_url)
    yield ScreeningIndex.build(store)
    store.close()
