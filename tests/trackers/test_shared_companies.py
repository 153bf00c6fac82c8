"""The shared company files, loaded as a user would (`update --from .../companies`): one
entity per real company across the Yale snapshots and KSE, real movements between
snapshots, and counts of the newest Yale snapshot equal to a direct count of its CSV."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from followthemoney.types import registry

from pressurepoint.config import Settings
from pressurepoint.outputs.cli.main import cli
from pressurepoint.store import Store
from pressurepoint.trackers.changes import changes_between
from pressurepoint.trackers.companies import Companies, load_companies, snapshot_counts
from pressurepoint.trackers.status import YALE_GRADES
from tests.conftest import SHARED_DATA

COMPANIES = SHARED_DATA / "companies"
NEWEST = (COMPANIES / "yale_celi" / "2025-05-21" /
          "Yale_CELI_List_of_Companies_Leaving_and_Staying_in_Russia.csv")
pytestmark = pytest.mark.skipif(not COMPANIES.is_dir(),
                                reason=f"shared company data not present at {COMPANIES}")


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Companies]:
    folder = tmp_path_factory.mktemp("shared_companies")
    settings = Settings(data_dir=folder / "d", db_url=f"sqlite:///{folder / 'pp.sqlite'}")
    result = CliRunner().invoke(cli, ["--db", str(folder / "pp.sqlite"), "--data-dir",
                                      str(settings.data_dir), "update", "--from",
                                      str(COMPANIES)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    store = Store(settings.db_url)
    yield load_companies(store)
    store.close()


def members(found: Companies, name: str) -> set[str]:
    view = found.find(name)
    assert view is not None, name
    return {m.id for m in view.members}


def test_newest_yale_counts_equal_a_direct_count_of_the_csv(found: Companies) -> None:
    with NEWEST.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    counts = snapshot_counts(found.data, "yale_celi")
    assert counts["date"] == "2025-05-21" and counts["assessments"] == len(rows) == 1590
    assert counts["by_grade"] == {"A": 546, "B": 502, "C": 152, "D": 177, "F": 213}
    by_status = Counter(YALE_GRADES[r["yaleGrade"]].status for r in rows)
    assert counts["by_status"] == dict(by_status)
    assert counts["by_status"] == {"exited": 546, "exiting": 502, "staying": 390,
                                   "reduced": 152}
    by_country = Counter(registry.country.clean(r["country"].strip()) or "(none)" for r in rows)
    assert counts["by_country"] == dict(by_country)
    assert counts["by_country"]["us"] == 457 and counts["by_country"]["de"] == 150


def test_one_entity_per_company_across_snapshots_and_trackers(found: Companies) -> None:
    assert members(found, "Merck KGaA") == {"yale-celi-merck-kgaa", "yale-celi-merck-de",
                                            "kse-leave-russia-merck-kgaa"}
    assert members(found, "Exxonmobil") == {"yale-celi-exxon", "yale-celi-exxonmobil",
                                            "kse-leave-russia-exxonmobil"}
    assert members(found, "PepsiCo") >= {"yale-celi-pepsi", "yale-celi-pepsico"}
    assert members(found, "Raiffeisen Bank International") == {
        "yale-celi-raiffeisen-bank-international", "kse-leave-russia-raiffeisen-bank"}
    assert members(found, "Ocean Network Express") == {"kse-leave-russia-osean-network-express"}
    yale_now = [v for v in found.views if v.listed_by("yale_celi")]
    assert len(yale_now) == 1589  # 1590 rows, STIHL listed twice
    kse = [v for v in found.views if v.listed_by("kse_leave_russia")]
    assert len(kse) == 3143
    for view in found.views:  # never two records of one tracker listed at the same time
        seen = [(m.source, m.first_seen, m.last_seen) for m in view.members]
        for i, (source, first, last) in enumerate(seen):
            assert all(s != source or l2 < first or last < f2 for s, f2, l2 in seen[i + 1:])


def test_changes_list_real_movements(found: Companies) -> None:
    report = changes_between(found.data, found.views, "2022-08-01")
    moved = {(c.company.name, c.kind, c.before.grade.code if c.before else None,
              c.after.grade.code if c.after else None) for c in report.changes
             if c.source == "yale_celi"}
    assert ("Valeo", "improved", "F", "A") in moved
    assert ("LPP Group", "slid back", "A", "F") in moved
    f_to_a = [m for m in moved if m[1:] == ("improved", "F", "A")]
    assert len(f_to_a) >= 20
