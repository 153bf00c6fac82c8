"""The statement upsert of a run, on every backend: a newer run widens what an earlier one
stated (last seen, last run, the schema, an original spelling where none was stored), an
older one moves first seen, the same publication changes nothing. SQLite takes a faster
path for statements an earlier publication stated; these tests pin it to the rules."""

from __future__ import annotations

from typing import Any

from pressurepoint.model import RunInfo, StatementRow
from pressurepoint.model.statement import statement_id
from pressurepoint.store import Store

SOURCE = "un_sc"


def _row(entity: str, schema: str, prop: str, value: str,
         original: str | None = None) -> StatementRow:
    return StatementRow(statement_id(SOURCE, entity, prop, value, None), entity, schema,
                        prop, value, None, original, SOURCE)


def _write(store: Store, day: str, rows: list[StatementRow]) -> int:
    info = RunInfo(source=SOURCE, file_name=f"{day}.xml", sha256=day * 4,
                   fetched_at=f"{day}T00:00:00", published_at=f"{day}T00:00:00",
                   published_basis="given by the caller", records=1,
                   statements=len(rows))
    return store.write_run(info, rows, [], [])


def _stored(store: Store, entity: str) -> dict[str, dict[str, Any]]:
    return {r["value"]: r for r in store.statements_for([entity])}


def test_newer_run_widens_last_seen_schema_and_missing_original(store: Store) -> None:
    first = _write(store, "2024-01-01", [
        _row("un-sc-1", "Organization", "name", "ADF"),
        _row("un-sc-1", "Organization", "alias", "Allied Democratic Forces", "ALLIED  DF"),
        _row("un-sc-1", "Organization", "notes", "gone later"),
    ])
    second = _write(store, "2025-01-01", [
        _row("un-sc-1", "Company", "name", "ADF", "A.D.F."),
        _row("un-sc-1", "Company", "alias", "Allied Democratic Forces", "another spelling"),
        _row("un-sc-1", "Company", "country", "cd"),
    ])
    rows = _stored(store, "un-sc-1")
    name, alias = rows["ADF"], rows["Allied Democratic Forces"]
    assert (name["first_seen"][:10], name["last_seen"][:10]) == ("2024-01-01", "2025-01-01")
    assert (name["first_run"], name["last_run"]) == (first, second)
    assert name["schema"] == "Company"
    assert name["original_value"] == "A.D.F."  # none was stored: the newer run's
    assert alias["original_value"] == "ALLIED  DF"  # the first spelling stays
    assert alias["last_run"] == second and alias["schema"] == "Company"
    gone = rows["gone later"]
    assert (gone["last_seen"][:10], gone["last_run"], gone["schema"]) == (
        "2024-01-01", first, "Organization")
    new = rows["cd"]
    assert (new["first_seen"][:10], new["first_run"], new["last_run"]) == (
        "2025-01-01", second, second)


def test_older_run_after_newer_moves_first_seen_only(store: Store) -> None:
    newer = _write(store, "2025-01-01", [_row("un-sc-2", "Person", "name", "X")])
    older = _write(store, "2023-06-30", [_row("un-sc-2", "LegalEntity", "name", "X", "x ")])
    row = _stored(store, "un-sc-2")["X"]
    assert (row["first_seen"][:10], row["last_seen"][:10]) == ("2023-06-30", "2025-01-01")
    assert (row["first_run"], row["last_run"]) == (older, newer)
    assert row["schema"] == "Person"  # the newest publication's
    assert row["original_value"] == "x "


def test_same_publication_again_changes_nothing(store: Store) -> None:
    rows = [_row("un-sc-3", "Person", "name", "Y"), _row("un-sc-3", "Person", "alias", "Z")]
    _write(store, "2025-01-01", rows)
    before = store.dump()
    _write(store, "2025-01-01", rows)
    after = store.dump()
    statements = {name: table for name, table in before}["statement"]
    assert {name: table for name, table in after}["statement"] == statements
