"""UN Security Council XML, on a fixture of real records (QDi.290, CDi.001, KPi.006, CDe.001)."""

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES

FILE = FIXTURES / "un_sc" / "consolidated.xml"


def test_un_fixture_loads_people_entities_and_designations(
    store: Store, store_settings: Settings
) -> None:
    result = load(store, store_settings, LoadRequest("un_sc", FILE))
    assert result.info is not None
    assert result.info.records == 4
    assert result.info.records_by_schema == {"Organization": 1, "Person": 3}
    assert result.info.published_at == "2026-02-27T00:00:09"
    rows = store.statements_for(["un-sc-2960872"])  # Doku Umarov, QDi.290
    names = {r["value"] for r in rows if r["prop"] == "name"}
    assert "Умаров Доку Хаматович" in names
    sanction_id = "un-sc-2960872-sanction-un"
    sanction = {r["prop"]: r["value"] for r in store.statements_for([sanction_id])}
    assert sanction["entity"] == "un-sc-2960872"
    assert sanction["status"] == "active"
    assert sanction["pp:statusRule"].startswith("listed in the file")


def test_loading_same_file_twice_changes_nothing(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("un_sc", FILE))
    before = store.dump()
    again = load(store, store_settings, LoadRequest("un_sc", FILE))
    assert again.outcome == "unchanged"
    assert store.dump() == before
