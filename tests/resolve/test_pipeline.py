"""`resolve` end to end on fixture files of four publishers: the same person joined across
lists, judgements respected, re-runs incremental and ids stable."""

from __future__ import annotations

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.resolve.matcher import default_matcher
from pressurepoint.resolve.pipeline import resolve
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs
from tests.conftest import FIXTURES

FILES = [
    ("ca_sema", FIXTURES / "ca_sema" / "sema-lmes.xml"),
    ("ch_seco", FIXTURES / "ch_seco" / "swiss-sanctions-list.xml"),
    ("uk_ofsi", FIXTURES / "uk_ofsi" / "ConList.xlsx"),
    ("uk_fcdo", FIXTURES / "uk_fcdo" / "UK_Sanctions_List.xml"),
]


def _load_all(store: Store, settings: Settings) -> None:
    for source, path in FILES:
        load(store, settings, LoadRequest(source, path, published="2025-09-01"))


def _record(store: Store, source: str, needle: str) -> str:
    prefix = source.replace("_", "-") + "-"
    found = [e for e in store.find_by_name(needle, 50) if e.startswith(prefix)]
    assert found, (source, needle)
    return found[0]


def test_same_person_on_several_lists_becomes_one_entity(store: Store,
                                                         store_settings: Settings) -> None:
    _load_all(store, store_settings)
    report = resolve(store, default_matcher())
    assert report.records > 0 and report.changed == report.records
    canon = rs.canonical_map(store)
    lavrov_ca, lavrov_ch = _record(store, "ca_sema", "lavrov"), _record(store, "ch_seco", "lavrov")
    assert canon[lavrov_ca] == canon[lavrov_ch]
    peskov_uk, peskov_fcdo = _record(store, "uk_ofsi", "peskov"), _record(store, "uk_fcdo",
                                                                           "peskov")
    assert canon[peskov_uk] == canon[peskov_fcdo]
    assert canon[peskov_uk] != canon[lavrov_ca]
    assert set(rs.members_of(store, canon[lavrov_ca])) >= {lavrov_ca, lavrov_ch}
    # statements carry the canonical id too
    rows = store.statements_for([lavrov_ch])
    assert {r["canonical_id"] for r in rows} == {canon[lavrov_ch]}


def test_rerun_does_no_new_work_and_keeps_ids(store: Store, store_settings: Settings) -> None:
    _load_all(store, store_settings)
    resolve(store, default_matcher())
    before = rs.canonical_map(store)
    again = resolve(store, default_matcher())
    assert again.changed == 0 and again.candidate_pairs == 0
    assert rs.canonical_map(store) == before


def test_different_judgement_splits_and_same_joins(store: Store,
                                                   store_settings: Settings) -> None:
    _load_all(store, store_settings)
    resolve(store, default_matcher())
    lavrov_ca, lavrov_ch = _record(store, "ca_sema", "lavrov"), _record(store, "ch_seco", "lavrov")
    old_id = rs.canonical_map(store)[lavrov_ca]
    rs.add_judgement(store, lavrov_ca, lavrov_ch, "different", "test")
    resolve(store, default_matcher())
    canon = rs.canonical_map(store)
    assert canon[lavrov_ca] != canon[lavrov_ch]
    assert old_id in (canon[lavrov_ca], canon[lavrov_ch])  # one side keeps the old id
    rs.add_judgement(store, lavrov_ca, lavrov_ch, "same", "test")  # newest judgement counts
    resolve(store, default_matcher())
    canon = rs.canonical_map(store)
    assert canon[lavrov_ca] == canon[lavrov_ch]
    assert [j["verdict"] for j in rs.judgement_history(store)] == ["different", "same"]
