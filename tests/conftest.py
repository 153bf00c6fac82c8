"""Shared test fixtures: Settings in a temporary folder, and a store on SQLite and (when
PRESSUREPOINT_TEST_PG is set) on a real PostgreSQL: one suite, one contract."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.store import Store
from pressurepoint.store.schema import metadata

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(
    os.environ.get("PRESSUREPOINT_SHARED_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data"
)
needs_shared = pytest.mark.skipif(
    not (SHARED_DATA / "sanctions").is_dir(),
    reason=f"shared data not present at {SHARED_DATA} (set PRESSUREPOINT_SHARED_DATA)",
)

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("PRESSUREPOINT_TEST_PG") else [])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", db_url=f"sqlite:///{tmp_path / 'pp.sqlite'}")


@pytest.fixture(params=BACKENDS)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings whose store is SQLite, or an emptied PostgreSQL database."""
    if request.param == "postgres":
        url = os.environ["PRESSUREPOINT_TEST_PG"]
        wipe = Store(url)
        metadata.drop_all(wipe.engine)
        wipe.close()
    else:
        url = f"sqlite:///{tmp_path / 'pp.sqlite'}"
    yield Settings(data_dir=tmp_path / "data", db_url=url)


@pytest.fixture
def store(store_settings: Settings) -> Iterator[Store]:
    opened = Store(store_settings.db_url)
    yield opened
    opened.close()


# -- a real browser ---------------------------------------------------------------------
# Debian's Chromium, driven by Playwright (its own browser download needs a network this
# project does not assume). CI installs the package; elsewhere the browser tests skip.
CHROMIUM = os.environ.get("PRESSUREPOINT_CHROMIUM", "/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
# No background connections: the test machine has no network beyond 127.0.0.1.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """A headless Chromium (a playwright Browser) shared by the session's browser tests."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
