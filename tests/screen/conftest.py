"""One store for the screening tests: the fixture files of nine publishers, loaded and
resolved once per session (as tests/analysis does per module), and its screening index."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.resolve.matcher import default_matcher
from pressurepoint.resolve.pipeline import resolve
from pressurepoint.screening.engine import ScreeningIndex
from pressurepoint.store import Store
from tests.conftest import FIXTURES

FILES = [
    ("ca_sema", "ca_sema/sema-lmes.xml"),
    ("ch_seco", "ch_seco/swiss-sanctions-list.xml"),
    ("eu_fsf", "eu_fsf/xmlFullSanctionsList_1_1.xml"),
    ("uk_fcdo", "uk_fcdo/UK_Sanctions_List.xml"),
    ("uk_ofsi", "uk_ofsi/ConList.csv"),
    ("un_sc", "un_sc/consolidated.xml"),
    ("au_dfat", "au_dfat/regulation8_consolidated.xlsx"),
    ("jp_mof", "jp_mof/shisantouketsu20260305.xlsx"),
]
OFAC = FIXTURES / "ofac_sdn"


@pytest.fixture(scope="session")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Path]]:
    """Settings of a store holding every sanctions fixture, resolved; and its folder."""
    folder = tmp_path_factory.mktemp("screen")
    settings = Settings(data_dir=folder / "data", db_url=f"sqlite:///{folder / 'pp.sqlite'}")
    store = Store(settings.db_url)
    for source, path in FILES:
        load(store, settings, LoadRequest(source, FIXTURES / path, published="2025-09-01"))
    load(store, settings, LoadRequest(
        "ofac_sdn", OFAC / "sdn.csv", published="2025-09-01",
        companions=[OFAC / "add.csv", OFAC / "alt.csv", OFAC / "sdn_comments.csv"]))
    resolve(store, default_matcher())
    store.close()
    yield settings, folder


@pytest.fixture(scope="session")
def index(loaded: tuple[Settings, Path]) -> Iterator[ScreeningIndex]:
    store = Store(loaded[0].db_url)
    yield ScreeningIndex.build(store)
    store.close()
