"""`pressurepoint companies` end to end: a mirror of the tracker fixtures loaded with
`update --from`, then the listing in every format, changes, counts, show and review."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from pressurepoint.outputs.cli.main import cli
from tests.conftest import FIXTURES


def _run(folder: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(folder / "pp.sqlite"), "--data-dir",
                                      str(folder / "d"), *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    mirror = folder / "mirror"
    mirror.mkdir()
    for source in ("yale_celi", "kse_leave_russia"):
        (mirror / source).symlink_to(FIXTURES / source, target_is_directory=True)
    code, _, err = _run(folder, "update", "--from", str(mirror))
    assert code == 0, err
    assert err.count("loaded yale_celi") == 5 and "loaded kse_leave_russia" in err
    return folder


def test_json_listing(loaded: Path) -> None:
    code, out, err = _run(loaded, "companies", "--format", "json")
    assert code == 0 and "34 of 34 companies" in err
    by_name = {item["name"]: item for item in json.loads(out)}
    merck = by_name["Merck KGaA"]
    assert (merck["id"], merck["country"], merck["industry"], merck["status"]) == (
        "yale-celi-merck-kgaa", "de", "Health Care", "staying")
    assert [(a["tracker"], a["grade"], a["date"]) for a in merck["assessments"]][-2:] == [
        ("yale_celi", "D", "2025-05-21"), ("kse_leave_russia", "holdoff", "2026-08-24")]
    assert len(merck["assessments"]) == 6


def test_filtered_csv_and_table(loaded: Path) -> None:
    code, out, _ = _run(loaded, "companies", "--country", "DE", "--status", "staying",
                        "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["name"] for r in rows} == {"Merck KGaA", "STIHL"}
    stihl = next(r for r in rows if r["name"] == "STIHL")
    assert stihl["yale_celi grade"] == "D, B" and stihl["kse_leave_russia grade"] == "holdoff"
    code, out, _ = _run(loaded, "companies", "--industry", "energy")
    assert code == 0 and "Exxonmobil" in out


def test_xlsx_needs_a_file_and_writes_one(loaded: Path, tmp_path: Path) -> None:
    code, _, err = _run(loaded, "companies", "--format", "xlsx")
    assert code == 2 and "needs -o" in err
    target = tmp_path / "companies.xlsx"
    code, _, _ = _run(loaded, "companies", "--format", "xlsx", "-o", str(target))
    assert code == 0
    sheet = load_workbook(target, read_only=True).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("id", "name", "country", "industry", "status") and len(rows) == 35


def test_changes_counts_and_show(loaded: Path) -> None:
    code, out, err = _run(loaded, "companies", "changes", "--since", "2024-01-01",
                          "--format", "json")
    assert code == 0, err
    changes = {(c["name"], c["change"]): c for c in json.loads(out)}
    valeo = changes[("Valeo", "improved")]
    assert (valeo["before"]["grade"], valeo["after"]["grade"]) == ("F", "A")
    assert ("Coesia Group", "new") in changes
    code, out, _ = _run(loaded, "companies", "counts", "--json")
    counts = json.loads(out)
    assert counts["by_grade"] == {"A": 8, "B": 7, "C": 2, "D": 5, "F": 5}
    code, out, _ = _run(loaded, "companies", "show", "merck kgaa", "--json", "--no-search")
    shown = json.loads(out)
    assert {r["id"] for r in shown["records"]} == {
        "yale-celi-merck-kgaa", "yale-celi-merck-de", "kse-leave-russia-merck-kgaa"}
    assert shown["sanctions"] == []


def test_bad_usage_and_nothing_loaded(loaded: Path, tmp_path: Path) -> None:
    assert _run(loaded, "companies", "--country", "Atlantis")[0] == 2
    assert _run(loaded, "companies", "--tracker", "nope")[0] == 2
    assert _run(loaded, "companies", "show", "no such company")[0] == 1
    code, _, err = _run(tmp_path, "companies")
    assert code == 1 and "no company tracker is loaded" in err


def test_review_lists_nothing_on_the_fixtures(loaded: Path) -> None:
    code, _, err = _run(loaded, "companies", "review", "--list")
    assert code == 0 and "no unjudged close calls" in err
