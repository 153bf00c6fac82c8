"""`gaps --format xlsx` and `companies --format xlsx` read back with openpyxl: the CSV's
columns and rows; and the table writer's guards (no formulas, no control characters)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from pressurepoint.config import Settings
from pressurepoint.outputs.cli.main import cli
from pressurepoint.outputs.exports.xlsx import MAX_CELL_TEXT, write_table
from pressurepoint.store import Store


def _sheet(path: Path) -> list[tuple[object, ...]]:
    book = load_workbook(path, read_only=True)
    sheet = book.active
    assert sheet is not None
    rows = [tuple("" if v is None else v for v in row)
            for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _csv(settings: Settings, *args: str) -> list[list[str]]:
    result = CliRunner().invoke(cli, ["--db", settings.db_url, *args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    return list(csv.reader(io.StringIO(result.stdout)))


def test_gaps_xlsx_has_the_csv_rows(tmp_path: Path,
                                    report_store: tuple[Settings, Store]) -> None:
    settings, _ = report_store
    target = tmp_path / "gaps.xlsx"
    args = ["gaps", "--regime", "russia", "--as-of", "2026-09-30"]
    result = CliRunner().invoke(cli, ["--db", settings.db_url, *args, "--format", "xlsx",
                                      "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = _sheet(target)
    expected = _csv(settings, *args)
    assert [list(r) for r in rows[:1]] == expected[:1]
    assert len(rows) == len(expected) > 5
    # numbers stay numbers; everything else is the CSV's text
    assert [[str(v) for v in r] for r in rows] == expected
    header = rows[0]
    lavrov = next(r for r in rows if "Lavrov" in str(r[1]))
    assert lavrov[header.index("CA_status")] == "listed"
    assert lavrov[header.index("CA_since")] == "2022-02-28"
    assert lavrov[header.index("US_status")] == "not_listed"
    assert lavrov[header.index("gap_age_days")] == 1675


def test_xlsx_needs_an_output_file(report_store: tuple[Settings, Store]) -> None:
    settings, _ = report_store
    result = CliRunner().invoke(cli, ["--db", settings.db_url, "gaps", "--format", "xlsx"])
    assert result.exit_code == 2 and "needs -o" in result.stderr
    help_text = CliRunner().invoke(cli, ["gaps", "--help"]).output
    assert "xlsx is binary" in help_text


def test_gaps_other_formats_write_to_the_output_file(
        tmp_path: Path, report_store: tuple[Settings, Store]) -> None:
    settings, _ = report_store
    target = tmp_path / "gaps.csv"
    result = CliRunner().invoke(cli, ["--db", settings.db_url, "gaps", "--format", "csv",
                                      "-o", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    with target.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == _csv(settings, "gaps")


def test_companies_xlsx_has_the_csv_rows(tmp_path: Path,
                                         report_store: tuple[Settings, Store]) -> None:
    settings, _ = report_store
    target = tmp_path / "companies.xlsx"
    result = CliRunner().invoke(cli, ["--db", settings.db_url, "companies", "--country", "DE",
                                      "--format", "xlsx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = [[str(v) for v in r] for r in _sheet(target)]
    assert rows == _csv(settings, "companies", "--country", "DE")
    stihl = next(r for r in rows if r[1] == "STIHL")
    assert stihl[rows[0].index("yale_celi grade")] == "D, B"


def test_writer_keeps_formulas_and_control_characters_out(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    long_text = "x" * (MAX_CELL_TEXT + 10)
    count = write_table(target, ["name", "n"], [["=HYPERLINK(\"http://x\")", 3],
                                                ["bell\x07 ok", None], [long_text, 1.5]],
                        sheet="a sheet name longer than thirty-one characters")
    assert count == 3
    book = load_workbook(target)
    sheet = book.active
    assert sheet is not None and sheet.title == "a sheet name longer than thirty"
    assert sheet["A2"].value == "=HYPERLINK(\"http://x\")" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3
    assert sheet["A3"].value == "bell ok" and sheet["B3"].value is None
    text = sheet["A4"].value
    assert isinstance(text, str) and len(text) == MAX_CELL_TEXT
    assert text.endswith("[truncated]")
