"""The generic company-tracker CSV (a campaign's own research): documented columns, dated
rows, status words, spreadsheet delimiters, and bad input."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.model import Entity
from pressurepoint.sources import get_source
from pressurepoint.store import Store
from tests.conftest import FIXTURES

FILE = FIXTURES / "company_tracker_csv" / "own_research.csv"


def parse(path: Path) -> tuple[ParseContext, dict[str, Entity]]:
    spec = get_source("company_tracker_csv")
    ctx = ParseContext(source=spec, path=path)
    return ctx, {e.id: e for e in spec.formats[0].parser(ctx, path)}


def test_fixture_rows_become_dated_assessments(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("company_tracker_csv", FILE,
                                                     published="2026-09-01"))
    assert result.info is not None and result.issues == []
    assert result.info.records_by_schema == {"Company": 4}
    _, entities = parse(FILE)
    valeo = entities["company-tracker-csv-valeo-sa"]
    assert valeo.get("country") == ["fr"] and valeo.get("sector") == ["Consumer Discretionary"]
    old = entities["company-tracker-csv-valeo-sa-status-2024-02-25"]
    new = entities["company-tracker-csv-valeo-sa-status-2025-05-21"]
    assert (old.first("status"), new.first("status")) == ("staying", "exited")
    assert new.first("reason") == "Yale CELI, grade A: no longer have any industrial activities"
    assert new.first("authority") == "Campaign research"
    philips = entities["company-tracker-csv-philips-status-2025-05-21"]
    assert (philips.first("status"), philips.first("summary")) == ("D", "Buying Time")
    assert entities["company-tracker-csv-philips"].get("country") == ["nl"]


def test_semicolons_optional_columns_and_own_ids(tmp_path: Path) -> None:
    path = tmp_path / "research.csv"
    path.write_text("Company;Status;Date;ID;Tracker;Notes\n"
                    "Valeo SA;Exited;2025-05;valeo;Our group;x\n", encoding="utf-8")
    ctx, entities = parse(path)
    risk = entities["company-tracker-csv-valeo-status-2025-05"]
    assert risk.first("authority") == "Our group" and risk.first("date") == "2025-05"
    assert [i.code for i in ctx.issues] == ["unknown_column"]


def test_bad_rows_are_issues_and_the_run_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "research.csv"
    path.write_text("company,status,date,country\n"
                    "Valeo SA,maybe,2025-02-30,France\n"
                    "Philips,,,Nowhereland\n"
                    ",staying,,\n"
                    "Heineken,exited,2025-05-21,NL\n", encoding="utf-8")
    ctx, entities = parse(path)
    codes = Counter(i.code for i in ctx.issues)
    assert codes == {"unknown_status": 1, "invalid_date": 1, "missing_status": 1,
                     "invalid_country": 1, "empty_name": 1}
    assert "company-tracker-csv-heineken" in entities
    assert sum(e.schema == "Company" for e in entities.values()) == 3


def test_missing_required_column_is_a_format_error(tmp_path: Path, store: Store,
                                                   store_settings: Settings) -> None:
    path = tmp_path / "research.csv"
    path.write_text("name,grade\nValeo,A\n", encoding="utf-8")
    with pytest.raises(FormatError, match="header lacks column"):
        load(store, store_settings, LoadRequest("company_tracker_csv", path))
    assert store.runs() == []


def test_file_cut_inside_its_last_row_is_a_format_error(tmp_path: Path, store: Store,
                                                        store_settings: Settings) -> None:
    text = FILE.read_text(encoding="utf-8")
    path = tmp_path / "own_research.csv"
    path.write_text(text[: text.rindex("Phillips 66") + len("Phillips 66,Uni")],
                    encoding="utf-8")
    with pytest.raises(FormatError, match="truncated file"):
        load(store, store_settings, LoadRequest("company_tracker_csv", path))
