"""Changes between two dates: real movements between the fixture's Yale snapshots."""

from __future__ import annotations

from pressurepoint.store import Store
from pressurepoint.trackers.changes import changes_between
from pressurepoint.trackers.companies import load_companies


def moves(tracker_store: Store, since: str, until: str | None = None, **kw: bool
          ) -> dict[tuple[str, str], tuple[str, str | None, str | None]]:
    found = load_companies(tracker_store)
    report = changes_between(found.data, found.views, since, until, **kw)
    return {(c.company.name, c.source): (c.kind, c.before.grade.code if c.before else None,
                                         c.after.grade.code if c.after else None)
            for c in report.changes}


def test_changes_since_2024(tracker_store: Store) -> None:
    found = moves(tracker_store, "2024-01-01")
    assert found[("Valeo", "yale_celi")] == ("improved", "F", "A")
    assert found[("Unilever", "yale_celi")] == ("improved", "D", "A")
    assert found[("LPP Group", "yale_celi")] == ("slid back", "A", "F")
    assert found[("STIHL", "yale_celi")] == ("slid back", "B", "D")  # listed as B and D
    assert found[("Coesia Group", "yale_celi")] == ("new", None, "F")
    assert found[("Raiffeisen Bank International", "company_tracker_csv")] == (
        "improved", "staying", "reduced")
    assert ("Merck KGaA", "yale_celi") not in found  # D all along


def test_graded_f_in_2022_and_a_later(tracker_store: Store) -> None:
    found = moves(tracker_store, "2022-08-01")
    assert found[("Valeo", "yale_celi")] == ("improved", "F", "A")
    assert found[("Aimbridge | Interstate Hotels", "yale_celi")] == ("improved", "F", "A")
    assert found[("MOL Group | MOL Plc.", "yale_celi")] == ("improved", "F", "C")


def test_until_and_round_trips(tracker_store: Store) -> None:
    assert moves(tracker_store, "2022-12-31", "2023-12-31")[("Heineken", "yale_celi")] == (
        "slid back", "A", "D")
    assert ("Heineken", "yale_celi") not in moves(tracker_store, "2022-12-31")
    assert moves(tracker_store, "2022-12-31", round_trips=True)[("Heineken", "yale_celi")] == (
        "moved and returned", "A", "A")


def test_dropped_companies_and_a_tracker_without_early_data(tracker_store: Store) -> None:
    found = load_companies(tracker_store)
    report = changes_between(found.data, found.views, "2022-08-01")
    kinds = {(c.company.name, c.source): c.kind for c in report.changes}
    assert kinds[("Leroy Merlin", "yale_celi")] == "no longer listed"
    assert any(n.startswith("kse_leave_russia: nothing on or before") for n in report.notes)
    assert not any(c.source == "kse_leave_russia" for c in report.changes)
