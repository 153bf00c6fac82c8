"""History: first_seen is the earliest publication a value appears in, whatever the order
in which files are loaded; a changed file only moves last_seen; nothing is deleted."""

from __future__ import annotations

from pathlib import Path

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES

GOOD = FIXTURES / "un_sc" / "consolidated.xml"


def _variant(tmp: Path, stamp: str, extra_alias: str | None) -> Path:
    text = GOOD.read_text(encoding="utf-8").replace("2026-02-27T00:00:09.554Z", stamp)
    if extra_alias:
        text = text.replace("<ALIAS_NAME>Allied Democratic Forces</ALIAS_NAME>",
                            f"<ALIAS_NAME>{extra_alias}</ALIAS_NAME>")
    folder = tmp / stamp[:10]
    folder.mkdir()
    path = folder / "consolidated.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _seen(store: Store, entity_id: str, prop: str, value: str) -> tuple[str, str]:
    rows = [r for r in store.statements_for([entity_id]) if r["prop"] == prop
            and r["value"] == value]
    assert len(rows) == 1
    return rows[0]["first_seen"][:10], rows[0]["last_seen"][:10]


def test_older_file_loaded_after_newer_keeps_history(store: Store, store_settings: Settings,
                                                      tmp_path: Path) -> None:
    old = _variant(tmp_path, "2024-01-01T00:00:00Z", "OLD ALIAS")
    new = _variant(tmp_path, "2025-01-01T00:00:00Z", None)
    load(store, store_settings, LoadRequest("un_sc", new))
    load(store, store_settings, LoadRequest("un_sc", old))
    adf = "un-sc-6908402"
    assert _seen(store, adf, "name", "ADF") == ("2024-01-01", "2025-01-01")
    assert _seen(store, adf, "alias", "OLD ALIAS") == ("2024-01-01", "2024-01-01")
    assert _seen(store, adf, "alias", "Allied Democratic Forces") == ("2025-01-01", "2025-01-01")
    assert store.newest_runs()["un_sc"]["published_at"] == "2025-01-01T00:00:00"
    current = {r["value"] for r in store.current_statements("un_sc") if r["entity_id"] == adf}
    assert "OLD ALIAS" not in current and "Allied Democratic Forces" in current


def test_changed_file_only_moves_last_seen(store: Store, store_settings: Settings,
                                           tmp_path: Path) -> None:
    first = _variant(tmp_path, "2024-01-01T00:00:00Z", None)
    second = _variant(tmp_path, "2025-01-01T00:00:00Z", "NEW ALIAS")
    load(store, store_settings, LoadRequest("un_sc", first))
    count_before = len(store.statements_for(["un-sc-6908402"]))
    load(store, store_settings, LoadRequest("un_sc", second))
    rows = store.statements_for(["un-sc-6908402"])
    assert len(rows) == count_before + 1  # the new alias; the old one is kept
    assert _seen(store, "un-sc-6908402", "name", "ADF") == ("2024-01-01", "2025-01-01")
    assert _seen(store, "un-sc-6908402", "alias", "Allied Democratic Forces") == (
        "2024-01-01", "2024-01-01")
