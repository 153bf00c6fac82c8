"""A store holding the company-tracker fixtures (five Yale snapshots, KSE, own research),
loaded once per module: the tracker tests only read it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.ingest.mirror import plan_mirror
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES

OWN_RESEARCH = FIXTURES / "company_tracker_csv" / "own_research.csv"


def load_tracker_fixtures(store: Store, settings: Settings) -> None:
    for request in plan_mirror(FIXTURES, {"yale_celi", "kse_leave_russia"}).requests:
        load(store, settings, request)
    load(store, settings, LoadRequest("company_tracker_csv", OWN_RESEARCH,
                                      published="2026-09-01"))


@pytest.fixture(scope="module")
def tracker_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    folder: Path = tmp_path_factory.mktemp("trackers")
    settings = Settings(data_dir=folder / "data", db_url=f"sqlite:///{folder / 'pp.sqlite'}")
    store = Store(settings.db_url)
    load_tracker_fixtures(store, settings)
    store.close()
    yield settings


@pytest.fixture
def tracker_store(tracker_settings: Settings) -> Iterator[Store]:
    store = Store(tracker_settings.db_url)
    yield store
    store.close()
