"""Batch screening: rows to queries (and their issues), parallel screening in file order,
and `pressurepoint screen` end to end on CSV and XLSX against the fixture store."""

from __future__ import annotations

import csv
import gc
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressurepoint.config import Settings
from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import cli
from pressurepoint.screening.batch import (
    Screener,
    ScreeningFailed,
    ScreenOptions,
    read_dates,
    row_query,
    screen_chunk,
)
from pressurepoint.screening.engine import ScreeningIndex
from pressurepoint.screening.tabular import Columns, Row, open_table

COLUMNS = Columns(name=(0, 1), birth_date=2, country=3, schema=4)
LIST = """\
ФИО;Name;Дата рождения;Страна;Тип
Лавров Сергей Викторович;Sergei Lavrov;21.03.1950;Россия;физическое лицо
;;01.01.1960;;

Абрамович Роман;;24/10/1966;RU;
Ivan Petrovich Sidorov;;32.13.1970;Atlantis;alien
;Alexei Pushkov;;;Person
"""


def _row(*values: str, number: int = 2) -> Row:
    return Row(number, values)


def test_a_row_becomes_a_query_with_every_name_date_and_country() -> None:
    asked = row_query(_row("Лавров Сергей", "Sergei  Lavrov ", "21.03.1950", "Russia",
                           "individual"), COLUMNS, None)
    assert asked.issues == []
    assert asked.query is not None and asked.query.schema == "Person"
    assert dict(asked.query.properties) == {"name": ["Лавров Сергей", "Sergei Lavrov"],
                                            "birthDate": ["1950-03-21"], "country": ["ru"]}


def test_unreadable_values_are_issues_and_the_rest_is_screened() -> None:
    asked = row_query(_row("Ivan Sidorov", "", "32.13.1970", "Atlantis; UK", "alien",
                           number=7), COLUMNS, None)
    assert asked.issues == [
        "row 7: unreadable birth date '32.13.1970', screened without",
        "row 7: unknown country 'Atlantis', screened without",
        "row 7: unknown type 'alien', screened as any type"]
    assert asked.query is not None and asked.query.schema == "Thing"
    assert dict(asked.query.properties) == {"name": ["Ivan Sidorov"], "country": ["gb"]}


@pytest.mark.parametrize(("raw", "dates"), [
    ("21.03.1950", ["1950-03-21"]), ("1950", ["1950"]), ("24 .08.1973", ["1973-08-24"]),
    ("8 марта 1959", ["1959-03-08"]), ("1 мая 1960 г.", ["1960-05-01"]),
    ("11.27.1963", ["1963-11-27"]), ("1958 or 1959", ["1958", "1959"]),
    ("16.12.YYYY", None), ("12.05.", None), ("32.13.1970", None)])
def test_dates_people_type(raw: str, dates: list[str] | None) -> None:
    assert read_dates(raw) == dates


def test_a_row_without_a_name_is_kept_with_an_issue() -> None:
    asked = row_query(_row("", " ", "1960", "", "", number=9), COLUMNS, None)
    assert asked.query is None
    assert asked.issues == ["row 9: empty name, not screened"]


def test_a_company_birth_date_is_its_incorporation_date() -> None:
    asked = row_query(_row("Gazprom", "", "1989", "", "company"), COLUMNS, "Person")
    assert asked.query is not None and asked.query.schema == "Company"
    assert dict(asked.query.properties)["incorporationDate"] == ["1989"]
    vessel = row_query(_row("Akademik Cherskiy", "", "1980", "", "ship"), COLUMNS, None)
    assert vessel.issues == ["row 2: a Vessel has no birth date, screened without"]


def test_options_are_checked() -> None:
    with pytest.raises(InvalidInput, match=r"threshold 1\.5"):
        ScreenOptions(threshold=1.5)
    with pytest.raises(InvalidInput, match="unknown schema 'Cat'"):
        ScreenOptions(threshold=0.7, schema="Cat")


def _rows(count: int, pulled: list[int]) -> Iterator[Row]:
    names = ["Sergei Lavrov", "Roman Abramovich", "Ivan Sidorov", "", "A. Mordashov"]
    for n in range(count):
        pulled[0] += 1
        yield Row(n + 2, (names[n % len(names)],))


def test_workers_keep_the_file_order_and_read_ahead_only_a_few_chunks(
        index: ScreeningIndex) -> None:
    columns = Columns(name=(0,))
    serial = ScreenOptions(threshold=0.7, workers=1)
    with Screener(index, columns, serial) as screener:
        expected = [(r.row.number, [h.id for h in r.hits], r.issues)
                    for r in screener.screen(_rows(200, [0]))]
    pulled = [0]
    with Screener(index, columns, ScreenOptions(threshold=0.7, workers=2),
                  chunk_rows=5) as screener:
        results = screener.screen(_rows(200, pulled))
        first = next(results)
        # Streaming: the first result comes before the input is read to its end; at most
        # three chunks per worker (and the one being queued) are in flight.
        assert first.row.number == 2 and pulled[0] <= 5 * 7
        got = [first, *results]
    assert [(r.row.number, [h.id for h in r.hits], r.issues) for r in got] == expected
    assert sum(r.matched for r in got) == 120  # Lavrov, Abramovich, Mordashov x 40
    assert sum(not r.screened for r in got) == 40


def test_screening_makes_no_reference_cycles(index: ScreeningIndex) -> None:
    # screen_chunk freezes what a chunk leaves without looking for cycles in it: a cycle
    # made by screening would never be freed. Good rows, rows with unreadable values, a
    # row refused by the engine ("Mr": no usable name) and an empty one.
    rows = [Row(n + 2, values) for n, values in enumerate([
        ("Лавров Сергей Викторович", "21.03.1950", "Россия"),
        ("Roman Abramovich", "1966", "RU"), ("Mr", "", ""), ("", "01.01.1960", ""),
        ("Ivan Petrovich Sidorov", "32.13.1970", "Atlantis"), ("LLC Gazprom", "", ""),
        ("A. Mordashov", "", ""), ("Ivan Sidorov " * 40, "", "")] * 3)]
    options = ScreenOptions(threshold=0.7, limit=3, workers=1)
    columns = Columns(name=(0,), birth_date=1, country=2)
    gc.collect()  # no garbage of earlier work is frozen with the chunks' survivors
    screen_chunk(index, rows, columns, options)  # the caches' first entries
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        results = screen_chunk(index, rows, columns, options)
        gc.unfreeze()  # what the chunk left is visible to the collection again
        unreachable = gc.collect()
    finally:
        if was_enabled:
            gc.enable()
    assert unreachable == 0
    assert sum(r.matched for r in results) >= 6
    assert any("no usable name" in issue for r in results for issue in r.issues)


class _DyingIndex:
    """An index whose worker dies on the name "die" (as one killed for memory would)."""

    def match(self, query: object, **options: object) -> list[object]:
        if dict(query.properties)["name"] == ["die"]:
            os._exit(1)
        return []


def test_a_dead_worker_fails_the_run_instead_of_hanging() -> None:
    rows = [Row(n + 2, ("die" if n == 30 else "Lavrov",)) for n in range(60)]
    options = ScreenOptions(threshold=0.7, workers=2)
    with pytest.raises(ScreeningFailed, match="a screening worker process died"), \
            Screener(_DyingIndex(), Columns(name=(0,)), options,
                     chunk_rows=4) as screener:
        list(screener.screen(rows))


def _screen(settings: Settings, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", settings.db_url,
                                      "--data-dir", str(settings.data_dir), "screen", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.stderr


@pytest.fixture
def target_list(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_bytes(LIST.encode("cp1251"))
    return path


@pytest.mark.parametrize("workers", ["1", "2"])
def test_screen_writes_input_columns_then_matches(loaded: tuple[Settings, Path],
                                                  target_list: Path, workers: str) -> None:
    out = target_list.with_name("out.csv")
    code, err = _screen(loaded[0], str(target_list), "-o", str(out), "--limit", "2",
                        "--workers", workers)
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:7] == ["ФИО", "Name", "Дата рождения", "Страна", "Тип",
                                 "screened", "matched"]
    assert [r["ФИО"] for r in rows] == ["Лавров Сергей Викторович", "",
                                        "Абрамович Роман", "Ivan Petrovich Sidorov", ""]
    lavrov, empty, abramovich, sidorov, pushkov = rows
    assert lavrov["matched"] == "yes" and lavrov["match_1_name"] == "Lavrov Sergei Viktorovich"
    assert lavrov["match_1_listed_by"] == "CA,CH,JP" and lavrov["match_1_score"] == "1.0"
    assert json.loads(lavrov["match_1_explanation"])["scorer"] == "pp-v2"
    assert empty["screened"] == "no" and empty["issues"] == "row 3: empty name, not screened"
    assert abramovich["match_1_listed_by"] == "AU"
    assert sidorov["matched"] == "no" and "row 6: unreadable birth date" in sidorov["issues"]
    assert pushkov["match_1_lifted_by"] == "CH" and pushkov["match_1_listed_by"] == ""
    assert "5 rows, 3 with a match, 1 not screened (rows 3)" in err
    assert "1 blank rows skipped" in err and "cp1251, semicolon-separated" in err


def test_screen_xlsx_in_and_out(loaded: tuple[Settings, Path], target_list: Path) -> None:
    first = target_list.with_name("first.xlsx")
    assert _screen(loaded[0], str(target_list), "-o", str(first))[0] == 0
    # The output, an XLSX, screened again (its name columns named explicitly).
    again = target_list.with_name("again.xlsx")
    code, err = _screen(loaded[0], str(first), "-o", str(again), "--name-col", "фио",
                        "--name-col", "NAME", "--workers", "1")
    assert code == 0, err
    with open_table(again) as table:
        rows = list(table.rows())
        headers = table.headers
    assert headers.count("match_1_id") == 2  # the first run's columns, then this one's
    assert [r.values[headers.index("matched", 7)] for r in rows] == \
        ["yes", "no", "yes", "no", "yes"]


@pytest.mark.parametrize(("content", "args", "message"), [
    ("name,dob\nLavrov,1950\n", ["--name-col", "ФИО"],
     "error: no column 'ФИО' (columns: 'name', 'dob')"),
    ("id;dob\n1;1950\n", [], "error: no name column found (columns: 'id', 'dob')"),
    ("name:dob\nLavrov:1950\nShoigu:1955\n", [], "unknown delimiter ':'"),
    ("", [], "the file is empty"),
    ("name\nLavrov\n", ["--dataset", "XX"], "unknown dataset 'XX'"),
])
def test_screen_bad_input_is_one_line_and_exit_2(loaded: tuple[Settings, Path],
                                                 tmp_path: Path, content: str,
                                                 args: list[str], message: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(content, encoding="utf-8")
    code, err = _screen(loaded[0], str(path), "-o", str(tmp_path / "out.csv"), *args)
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "out.csv").exists()


def test_screen_against_an_empty_store_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("name\nLavrov\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path, db_url=f"sqlite:///{tmp_path / 'empty.sqlite'}")
    code, err = _screen(settings, str(path), "-o", str(tmp_path / "out.csv"))
    assert code == 2 and "run `pressurepoint update`" in err


def test_screen_refuses_to_overwrite_its_input(loaded: tuple[Settings, Path],
                                               target_list: Path) -> None:
    code, err = _screen(loaded[0], str(target_list), "-o", str(target_list))
    assert code == 2 and "overwrite the input" in err
