"""A store of real fixture records of nine publishers, loaded and resolved: the shared
set-up of the analysis, screening, API, batch-screening and web tests."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from pressurepoint.config import Settings
from pressurepoint.ingest.mirror import plan_mirror
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.resolve.matcher import default_matcher
from pressurepoint.resolve.pipeline import resolve
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


def fixture_settings(folder: Path) -> Settings:
    return Settings(data_dir=folder / "data", db_url=f"sqlite:///{folder / 'pp.sqlite'}")


def load_fixtures(store: Store, settings: Settings, *, published: str = "2025-09-01",
                  skip: Collection[str] = (), resolve_after: bool = True) -> None:
    """Load every sanctions fixture file (and OFAC's SDN CSV set) but those of the `skip`
    sources, then resolve (unless `resolve_after` is false)."""
    for source, path in FILES:
        if source in skip:
            continue
        load(store, settings, LoadRequest(source, FIXTURES / path, published=published))
    load(store, settings, LoadRequest(
        "ofac_sdn", OFAC / "sdn.csv", published=published,
        companions=[OFAC / "add.csv", OFAC / "alt.csv", OFAC / "sdn_comments.csv"]))
    if resolve_after:
        resolve(store, default_matcher())


def load_trackers(store: Store, settings: Settings) -> None:
    """The company tracker fixtures (Yale snapshots, KSE), for /companies."""
    for request in plan_mirror(FIXTURES, {"yale_celi", "kse_leave_russia"}).requests:
        load(store, settings, request)
