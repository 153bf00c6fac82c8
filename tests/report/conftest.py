"""One store for the report tests: the sanctions fixtures of nine publishers (as the gap
matrix tests load them), the company-tracker fixtures, resolved; and the report built
from it once per session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.outputs.report import ReportSummary, build_report
from pressurepoint.store import Store
from tests.fixture_store import load_fixtures as load_sanctions_fixtures
from tests.trackers.conftest import load_tracker_fixtures

AS_OF = date(2026, 9, 30)


@pytest.fixture(scope="session")
def report_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    folder = tmp_path_factory.mktemp("report-store")
    settings = Settings(data_dir=folder / "data", db_url=f"sqlite:///{folder / 'pp.sqlite'}")
    store = Store(settings.db_url)
    load_tracker_fixtures(store, settings)
    load_sanctions_fixtures(store, settings)  # the sanctions files, then resolve (all records)
    yield settings, store
    store.close()


@pytest.fixture(scope="session")
def built(report_store: tuple[Settings, Store],
          tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ReportSummary]:
    out = tmp_path_factory.mktemp("report") / "site"
    return out, build_report(report_store[1], out, as_of=AS_OF)
