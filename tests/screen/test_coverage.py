"""Coverage of a target list: matched, ambiguous (two close entities; an uncertain
score), unmatched and invalid rows, statuses in every jurisdiction, the summary line, and
the three formats; plus the real ACF list from the shared data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressurepoint.config import Settings
from pressurepoint.outputs.cli.main import cli
from tests.conftest import SHARED_DATA, needs_shared

TARGETS = """\
name,birth date
Sergei Lavrov,21.03.1950
Sergei Lavrov,1970-01-01
A. Mordashov,
Alexey Mordashov,
Alexei Pushkov,
Ivan Petrovich Sidorov,
,1950
Alexei Pushkin,
"""


def _coverage(settings: Settings, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", settings.db_url,
                                      "--data-dir", str(settings.data_dir), "coverage", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def targets(tmp_path: Path) -> Path:
    path = tmp_path / "targets.csv"
    path.write_text(TARGETS, encoding="utf-8")
    return path


def test_each_row_gets_a_verdict_and_a_status_per_jurisdiction(
        loaded: tuple[Settings, Path], targets: Path) -> None:
    code, out, err = _coverage(loaded[0], str(targets), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["jurisdictions"] == ["AU", "CA", "CH", "EU", "JP", "UK", "UN", "US"]
    rows = {(r["row"]): r for r in report["rows"]}
    lavrov = rows[2]
    assert lavrov["status"] == "matched" and lavrov["best"]["name"] == \
        "Lavrov Sergei Viktorovich"
    assert lavrov["listed_by"] == ["CA", "CH", "JP"]
    assert lavrov["jurisdictions"]["US"] == "not_listed"
    assert lavrov["best"]["explanation"]["name"] == 1.0
    # Same name, another birth date: too far to be him; the candidate is still shown.
    other = rows[3]
    assert other["status"] == "unmatched" and other["candidates"][0]["name"] == \
        "Lavrov Sergei Viktorovich"
    assert set(other["jurisdictions"].values()) == {"not_listed"}
    # Three Mordashovs within 0.05 of each other: which one is meant is not guessed.
    initials = rows[4]
    assert initials["status"] == "ambiguous" and "3 entities score within 0.05" in \
        initials["reason"]
    assert len({c["id"] for c in initials["candidates"]}) == 3
    assert set(initials["jurisdictions"].values()) == {None}
    assert rows[5]["status"] == "matched" and \
        rows[5]["best"]["name"] == "Alexei Alexandrovich MORDASHOV"
    assert rows[6]["jurisdictions"]["CH"] == "lifted" and rows[6]["listed_by"] == []
    assert rows[7]["status"] == "unmatched" and rows[7]["jurisdictions"]["US"] == "not_listed"
    assert rows[8]["status"] == "invalid" and rows[8]["issues"] == \
        ["row 8: empty name, not screened"]
    # Pushkin is not Pushkov, but 0.77 is a score a human should look at.
    assert rows[9]["status"] == "ambiguous" and "review band 0.65-0.85" in rows[9]["reason"]
    summary = report["summary"]
    assert (summary["rows"], summary["matched"], summary["ambiguous"], summary["unmatched"],
            summary["invalid"]) == (8, 3, 2, 2, 1)
    assert summary["listed_by"]["CA"] == 2 and summary["lifted_by"]["CH"] == 1
    assert err.strip() == ("8 rows: 3 matched, 2 ambiguous, 2 unmatched, 1 invalid; listed by "
                           "AU 0, CA 2, CH 1, EU 0, JP 1, UK 0, UN 0, US 0")


def test_csv_and_table_formats(loaded: tuple[Settings, Path], targets: Path) -> None:
    code, out, _ = _coverage(loaded[0], str(targets), "--format", "csv", "--workers", "1")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["status"] for r in rows] == ["matched", "unmatched", "ambiguous", "matched",
                                           "matched", "unmatched", "invalid", "ambiguous"]
    assert rows[0]["CA"] == "listed" and rows[0]["US"] == "not_listed"
    assert rows[2]["CA"] == "" and "Ilya Alekseevich MORDASHOV" in rows[2]["candidates"]
    code, out, _ = _coverage(loaded[0], str(targets))
    assert code == 0 and "Lavrov Sergei Viktorovich" in out and "ambiguous" in out


def test_output_file_xlsx(loaded: tuple[Settings, Path], targets: Path) -> None:
    from pressurepoint.screening.tabular import open_table

    out = targets.with_name("coverage.xlsx")
    code, stdout, _ = _coverage(loaded[0], str(targets), "--format", "csv", "-o", str(out))
    assert code == 0 and stdout == ""
    with open_table(out) as table:
        assert table.headers[:4] == ["row", "name", "birth_date", "status"]
        assert len(list(table.rows())) == 8


def test_a_higher_threshold_moves_rows_to_ambiguous(loaded: tuple[Settings, Path],
                                                    targets: Path) -> None:
    code, out, _ = _coverage(loaded[0], str(targets), "--format", "json",
                             "--threshold", "0.95")
    rows = {r["row"]: r["status"] for r in json.loads(out)["rows"]}
    assert code == 0 and rows[2] == "matched" and rows[5] == "ambiguous"


def test_review_from_widens_the_uncertain_band(loaded: tuple[Settings, Path],
                                              targets: Path) -> None:
    code, out, _ = _coverage(loaded[0], str(targets), "--format", "json",
                             "--review-from", "0.5")
    rows = {r["row"]: r for r in json.loads(out)["rows"]}
    assert code == 0 and rows[3]["status"] == "ambiguous"
    assert "review band 0.50-0.85" in rows[3]["reason"]


def test_missing_column_names_it(loaded: tuple[Settings, Path], targets: Path) -> None:
    code, _, err = _coverage(loaded[0], str(targets), "--birth-date-col", "DOB")
    assert code == 2 and err.strip() == \
        "error: no column 'DOB' (columns: 'name', 'birth date')"


ACF = SHARED_DATA / "elite" / "acf-fbk-navalny-list" / "navalny_list_parsed.csv.gz"


@needs_shared
@pytest.mark.skipif(not ACF.is_file(), reason=f"no ACF list at {ACF}")
def test_the_acf_list_reads_whole_against_the_fixture_store(
        loaded: tuple[Settings, Path]) -> None:
    """The real list (6,694 people, Russian and English names, dd.mm.yyyy dates, quoted
    line breaks, gzip): every row is reported, and Lavrov, who is on it, is matched."""
    code, out, err = _coverage(loaded[0], str(ACF), "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 6694 and err.startswith("6694 rows: ")
    assert all(r["status"] != "invalid" for r in rows)
    # "-" is no date (no issue); "16.12.YYYY" is an unreadable one (an issue).
    assert not any("'-'" in r["issues"] for r in rows)
    assert any("unreadable birth date '16.12.YYYY'" in r["issues"] for r in rows)
    lavrov = [r for r in rows if r["name"].casefold().startswith("лавров сергей викторович")]
    assert [r["status"] for r in lavrov] == ["matched"] and lavrov[0]["CA"] == "listed"
