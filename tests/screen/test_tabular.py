"""Reading a user's table: encodings, delimiters, BOMs, blank rows, XLSX and gzip, bad
files, column selection; writing CSV and XLSX; and streaming 100,000 rows in bounded
memory."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

import pytest

from pressurepoint.errors import InvalidInput
from pressurepoint.screening.tabular import open_table, select_columns, table_writer

HEADER = ["name", "birth date", "country"]
PEOPLE = [["Лавров Сергей Викторович", "21.03.1950", "ru"],
          ["Шойгу Сергей Кужугетович", "1955-05-21", "ru"]]


def _csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _read(path: Path, **options: str) -> tuple[list[str], list[tuple[int, tuple[str, ...]]]]:
    with open_table(path, **options) as table:
        return table.headers, [(row.number, row.values) for row in table.rows()]


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = _csv(tmp_path / "bom.csv", "\ufeffname,dob\nЛавров Сергей,1950\n")
    with open_table(path) as table:
        assert table.encoding == "utf-8-sig"
        assert table.headers == ["name", "dob"]
        assert [r.values for r in table.rows()] == [("Лавров Сергей", "1950")]


def test_windows_1251_semicolons_and_crlf(tmp_path: Path) -> None:
    text = "ФИО;Дата рождения\r\nЛавров Сергей Викторович;21.03.1950\r\nЁлкин Ёж;1960\r\n"
    path = _csv(tmp_path / "cp1251.csv", text, "cp1251")
    with open_table(path) as table:
        assert (table.encoding, table.delimiter) == ("cp1251", ";")
        assert table.headers == ["ФИО", "Дата рождения"]
        rows = list(table.rows())
    assert [r.values[0] for r in rows] == ["Лавров Сергей Викторович", "Ёлкин Ёж"]
    assert all(r.problem is None for r in rows)
    assert select_columns(table.headers).birth_date == 1


def test_western_single_byte_file_is_cp1252(tmp_path: Path) -> None:
    path = _csv(tmp_path / "w.csv", "name\nMüller\nFrançois Pérès\n", "cp1252")
    with open_table(path) as table:
        assert table.encoding == "cp1252"
        assert [r.values[0] for r in table.rows()] == ["Müller", "François Pérès"]


def test_utf16_with_its_bom_is_read(tmp_path: Path) -> None:
    path = _csv(tmp_path / "u16.csv", "name\tdob\r\nЛавров Сергей\t1950\r\n", "utf-16")
    with open_table(path) as table:
        assert (table.encoding, table.delimiter) == ("utf-16", "\t")
        assert [r.values for r in table.rows()] == [("Лавров Сергей", "1950")]


def test_an_explicit_encoding_wins(tmp_path: Path) -> None:
    path = _csv(tmp_path / "koi.csv", "name\nЛавров Сергей\n", "koi8-r")
    assert _read(path, encoding="koi8-r")[1] == [(2, ("Лавров Сергей",))]
    with pytest.raises(InvalidInput, match="unknown encoding 'klingon'"):
        open_table(path, encoding="klingon")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    lines = [delimiter.join(HEADER), *(delimiter.join(p) for p in PEOPLE)]
    path = _csv(tmp_path / "d.csv", "\n".join(lines) + "\n")
    with open_table(path) as table:
        assert table.delimiter == delimiter
        assert table.headers == HEADER
        assert [r.values for r in table.rows()] == [tuple(p) for p in PEOPLE]


def test_commas_inside_names_do_not_fool_the_semicolon_sniffer(tmp_path: Path) -> None:
    text = "name;country\nGazprom, PJSC;ru\nRosneft, Oil Company, OAO;ru\nSberbank;ru\n"
    headers, rows = _read(_csv(tmp_path / "s.csv", text))
    assert headers == ["name", "country"]
    assert rows[1] == (3, ("Rosneft, Oil Company, OAO", "ru"))


def test_unknown_delimiter_is_a_clear_error(tmp_path: Path) -> None:
    path = _csv(tmp_path / "colon.csv", "name:dob\nLavrov:1950\nShoigu:1955\n")
    with pytest.raises(InvalidInput, match=r"colon.csv: unknown delimiter ':'"):
        open_table(path)


def test_one_column_without_delimiter_is_read(tmp_path: Path) -> None:
    headers, rows = _read(_csv(tmp_path / "one.csv", "names\nSergey Lavrov\nSergei Shoigu\n"))
    assert headers == ["names"] and [r[1] for r in rows] == [("Sergey Lavrov",),
                                                              ("Sergei Shoigu",)]


def test_blank_rows_are_skipped_counted_and_keep_row_numbers(tmp_path: Path) -> None:
    text = "\nname,dob\n\nLavrov,1950\n , \n\nShoigu,1955\n"
    with open_table(_csv(tmp_path / "b.csv", text)) as table:
        rows = [(r.number, r.values[0]) for r in table.rows()]
        assert rows == [(4, "Lavrov"), (7, "Shoigu")]
        assert table.blank_rows == 4


def test_a_row_with_more_fields_than_the_header_is_kept_with_a_problem(tmp_path: Path) -> None:
    with open_table(_csv(tmp_path / "x.csv", "name,dob\nLavrov,1950,extra\n")) as table:
        [row] = list(table.rows())
    assert row.values == ("Lavrov", "1950", "extra")
    assert row.problem == "3 fields where the header has 2"


def test_a_field_too_large_is_an_unreadable_row_and_reading_goes_on(tmp_path: Path) -> None:
    from pressurepoint.screening.tabular import MAX_FIELD_BYTES

    text = f"name,dob\nLavrov,1950\n{'x' * (MAX_FIELD_BYTES + 10)},1\nShoigu,1955\n"
    with open_table(_csv(tmp_path / "big-field.csv", text)) as table:
        rows = list(table.rows())
    assert [(r.number, r.values) for r in rows] == [(2, ("Lavrov", "1950")), (3, ()),
                                                    (4, ("Shoigu", "1955"))]
    assert rows[1].problem is not None and rows[1].problem.startswith(
        "unreadable: field larger than field limit")


def test_quoted_line_breaks_count_as_one_row(tmp_path: Path) -> None:
    text = 'name,tag\n"Lavrov","a\nb"\nShoigu,c\n'
    assert [r[0] for r in _read(_csv(tmp_path / "q.csv", text))[1]] == [2, 3]


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"  \n\r\n\n", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "a binary file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), r"\.xls\) files are not read"),
    (b"PK\x03\x04garbage", "not a readable XLSX workbook"),
    (b"\x1f\x8b\x08\x00garbage", "not a readable gzip file"),
])
def test_bad_files_are_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message) as caught:
        open_table(path)
    assert "\n" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such file"):
        open_table(tmp_path / "nope.csv")


def test_gzip_csv_is_read(tmp_path: Path) -> None:
    path = tmp_path / "list.csv.gz"
    path.write_bytes(gzip.compress("Name rus, Name eng,DOB\nЛавров,Lavrov,21.03.1950\n"
                                   .encode()))
    headers, rows = _read(path)
    assert headers == ["Name rus", "Name eng", "DOB"]
    assert select_columns(headers).name == (0, 1)
    assert rows == [(2, ("Лавров", "Lavrov", "21.03.1950"))]


def test_xlsx_cells_dates_numbers_and_blank_rows(tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ФИО", "Дата рождения", "ИНН"])
    sheet.append(["Лавров Сергей", datetime(1950, 3, 21), 7707083893])
    sheet.append([None, None, None])
    sheet.append(["Шойгу Сергей", 1955.0, None])
    path = tmp_path / "list.xlsx"
    book.save(path)
    with open_table(path) as table:
        rows = [(r.number, r.values) for r in table.rows() if r.problem is None]
        assert table.blank_rows == 1 and table.describe() == "XLSX"
    assert rows == [(2, ("Лавров Сергей", "1950-03-21", "7707083893")),
                    (4, ("Шойгу Сергей", "1955"))]


def test_columns_by_name_are_case_insensitive_and_missing_ones_named() -> None:
    headers = ["Full Name", "DOB", "Citizenship", "Type"]
    assert select_columns(headers, name=["full name"], birth_date="dob").name == (0,)
    guessed = select_columns(headers)
    assert (guessed.name, guessed.birth_date, guessed.country, guessed.schema) == \
        ((0,), 1, 2, 3)
    with pytest.raises(InvalidInput) as caught:
        select_columns(headers, birth_date="date of birth")
    assert str(caught.value) == ("no column 'date of birth' (columns: 'Full Name', 'DOB', "
                                 "'Citizenship', 'Type')")


def test_no_name_column_to_guess_is_an_error_listing_the_headers() -> None:
    with pytest.raises(InvalidInput, match=r"no name column found \(columns: 'id', 'dob'\)"):
        select_columns(["id", "dob"])
    # ...unless the table has a single column, which is then the name.
    assert select_columns(["Persons of interest"]).name == (0,)


def test_name_guesses_prefer_name_columns_over_company() -> None:
    assert select_columns(["company", "name"]).name == (1,)
    assert select_columns(["Reference", "Name of Individual or Entity", "Name Type"]).name \
        == (1,)
    assert select_columns(["NAME_EN", "NAME_RU", "DOB"]).name == (0, 1)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".tsv"])
def test_written_tables_read_back(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    rows = [["=HYPERLINK(\"x\")", "Лавров\x01", 0.93], ["", "+7 (495)", None]]
    with table_writer(path, ["a", "b", "score"]) as out:
        for row in rows:
            out.write(row)
    headers, read = _read(path)
    assert headers == ["a", "b", "score"]
    got = [values for _, values in read]
    if suffix == ".xlsx":  # a formula-looking text stays text; XML can't hold \x01
        assert got == [('=HYPERLINK("x")', "Лавров", "0.93"), ("", "+7 (495)")]
    else:
        assert got == [('=HYPERLINK("x")', "Лавров\x01", "0.93"), ("", "+7 (495)", "")]


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), table_writer(path, ["a"]) as out:
        out.write(["x"])
        raise RuntimeError("stopped")
    assert list(tmp_path.iterdir()) == []


def test_writer_into_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no such folder"), \
            table_writer(tmp_path / "no" / "out.csv", ["a"]):
        pass


def test_100000_rows_stream_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("name;birth date;country\n")
        for i in range(100_000):
            handle.write(f"Иванов Иван Иванович {i};01.02.19{i % 100:02d};Russian Federation\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        with open_table(path) as table:
            rows = table.rows()
            first = next(rows)
            # The first row comes before the file is read to its end.
            assert first.number == 2 and table.progress()[0] < size // 4
            count = 1 + sum(1 for _ in rows)
            assert table.progress() == (size, size)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 100_000
    assert size > 7_000_000 and peak < 2_000_000, (size, peak)
