"""Close calls go to human review and are joined only by a judgement; sanctions records
whose names hold a tracked company's name are reported as leads."""

from __future__ import annotations

from pathlib import Path

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs
from pressurepoint.trackers.companies import load_companies
from pressurepoint.trackers.review import close_pairs
from pressurepoint.trackers.sanctions import sanctions_links
from tests.conftest import FIXTURES
from tests.trackers.conftest import load_tracker_fixtures

YALE_URL = ("https://som.yale.edu/story/2022/"
            "over-1000-companies-have-curtailed-operations-russia-some-remain")


def _own_research(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "own_research.csv"
    path.write_text("company,country,industry,status,date,source_url,evidence\n" + rows,
                    encoding="utf-8")
    return path


def test_close_call_is_reviewed_not_joined(tmp_path: Path, store: Store,
                                           store_settings: Settings) -> None:
    load_tracker_fixtures(store, store_settings)
    extra = _own_research(tmp_path, "Exxon Mobil Corporation,United States,Energy,exited,"
                          f"2025-05-21,{YALE_URL},\"Yale CELI, grade A\"\n")
    load(store, store_settings, LoadRequest("company_tracker_csv", extra, published="2026-09-02"))
    found = load_companies(store)
    record = "company-tracker-csv-exxon-mobil-corporation"
    assert found.grouping.group_of[record] == record  # not joined automatically
    pairs = close_pairs(found.data, found.grouping, rs.judgements(store))
    assert any(record in (p.left, p.right) and p.score >= 0.7 for p in pairs)
    rs.add_judgement(store, record, "kse-leave-russia-exxonmobil", "same")
    joined = load_companies(store).find(record)
    assert joined is not None and "yale-celi-exxonmobil" in {m.id for m in joined.members}
    assert not any(record in (p.left, p.right) for p in close_pairs(
        found.data, load_companies(store).grouping, rs.judgements(store)))


def test_sanctions_records_with_the_companys_name_are_leads(tmp_path: Path, store: Store,
                                                             store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest(
        "ofac_consolidated", FIXTURES / "ofac_consolidated" / "CONS_ENHANCED.XML"))
    own = _own_research(tmp_path, "Gazprombank,Russia,Financials,staying,2025-01-01,,\n")
    load(store, store_settings, LoadRequest("company_tracker_csv", own, published="2025-01-01"))
    view = load_companies(store).find("Gazprombank")
    assert view is not None
    links = sanctions_links(store, view)
    assert links and {link.relation for link in links} <= {"same name", "name contains"}
    same = [link for link in links if link.relation == "same name"]
    assert same and all(link.record.source == "ofac_consolidated" for link in same)
    assert any(d["authority"] for link in same for d in link.designations)
    assert sanctions_links(store, view, search=False) == []
