"""A user's table of names, read and written robustly and in bounded memory.

Reading takes CSV (plain or gzip-compressed) and XLSX. A CSV's encoding, delimiter and
header are found from the file itself; rows are streamed one at a time, so a file of any
size is read in constant memory. Blank rows are skipped and counted; a row whose number
of fields differs from the header's is kept and carries a `problem`.

Row numbers are those a spreadsheet shows: the header is row 1 and every record of the
file (blank ones too) counts, whatever the line breaks inside quoted fields.

Writing goes to a temporary file beside the target, renamed into place at the end: a run
that fails leaves no half-written output.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO, Protocol, cast

from pressurepoint.errors import InvalidInput

# How much of a file its encoding and delimiter are judged on.
SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# Characters that, repeated the same number of times on every line, are a delimiter we do
# not read (better a clear error than one column holding whole lines).
FOREIGN_DELIMITERS = ":^~#/!"
# A quoted field left open would otherwise swallow the rest of the file into memory.
MAX_FIELD_BYTES = 1024 * 1024
READ_CHUNK = 256 * 1024

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 .xls
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

csv.field_size_limit(MAX_FIELD_BYTES)


@dataclass(frozen=True)
class Row:
    """One non-blank record of the table."""

    number: int  # as a spreadsheet shows it: the header is row 1
    values: tuple[str, ...]
    problem: str | None = None  # the record could be read, but not cleanly

    def get(self, index: int) -> str:
        return self.values[index] if index < len(self.values) else ""


@dataclass
class Table:
    """An open table: its headers, how it was read, and its rows (once, in order)."""

    path: Path
    kind: str  # "csv" or "xlsx"
    headers: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    blank_rows: int = 0
    _rows: Iterator[Row] = field(default_factory=lambda: iter(()), repr=False)
    _position: Any = field(default=None, repr=False)  # () -> (done, total)
    _close: Any = field(default=None, repr=False)

    def rows(self) -> Iterator[Row]:
        return self._rows

    def progress(self) -> tuple[int, int | None]:
        """How far reading has come, and of how much: bytes for CSV, rows for XLSX."""
        return self._position() if self._position else (0, None)

    def describe(self) -> str:
        if self.kind == "xlsx":
            return "XLSX"
        return (f"CSV, {self.encoding}, "
                f"{DELIMITER_NAMES.get(self.delimiter or ',', 'single column')}-separated")

    def close(self) -> None:
        if self._close:
            self._close()
            self._close = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def open_table(path: Path, encoding: str | None = None) -> Table:
    """Open a CSV (optionally gzip-compressed) or XLSX file for streaming its rows.

    Raises InvalidInput, with the file's name and what is wrong, for a missing, empty,
    binary or unreadable file, or one whose delimiter is not one of comma, semicolon,
    tab or pipe.
    """
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if not magic:
        raise InvalidInput(f"{path.name}: the file is empty")
    if magic.startswith(ZIP_MAGIC):
        return _open_xlsx(path)
    if magic.startswith(OLE_MAGIC):
        raise InvalidInput(f"{path.name}: Excel 97-2003 (.xls) files are not read; "
                           "save it as XLSX or CSV")
    return _open_csv(path, compressed=magic.startswith(GZIP_MAGIC), encoding=encoding)


# -- CSV ---------------------------------------------------------------------------------

def _raw(path: Path, compressed: bool) -> BinaryIO:
    return cast(BinaryIO, gzip.GzipFile(path, "rb")) if compressed else path.open("rb")


def _open_csv(path: Path, compressed: bool, encoding: str | None) -> Table:
    with _raw(path, compressed) as raw:
        try:
            sample = raw.read(SAMPLE_BYTES)
        except (OSError, EOFError) as exc:
            raise InvalidInput(f"{path.name}: not a readable gzip file ({exc})") from exc
    if not sample.strip():
        raise InvalidInput(f"{path.name}: the file is empty")
    utf16 = sample.startswith(UTF16_BOMS) or (encoding or "").lower().startswith("utf-16")
    if b"\x00" in sample and not utf16:
        raise InvalidInput(f"{path.name}: a binary file, not a CSV or XLSX table")
    encoding = encoding or detect_encoding(path, sample, compressed)
    _check_codec(encoding)
    text = _decoded_sample(sample, encoding)
    delimiter = sniff_delimiter(text, path.name)
    return _csv_table(path, compressed, encoding, delimiter)


def _check_codec(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise InvalidInput(f"unknown encoding {encoding!r}") from exc


def _csv_table(path: Path, compressed: bool, encoding: str, delimiter: str | None) -> Table:
    raw = _raw(path, compressed)
    # Bytes that are not text in the encoding become U+FFFD and their row is marked: a
    # stray byte never stops the file. (Plain UTF-8 was checked over the whole file.)
    text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
    # One column: split on a separator no text uses.
    reader = csv.reader(text, delimiter=delimiter or "\x1f")
    table = Table(path=path, kind="csv", headers=[], encoding=encoding, delimiter=delimiter)
    records = _records(reader, path.name)
    table.headers = _header(records, table, path.name)
    table._rows = _rows(records, table)
    size = path.stat().st_size
    # Gzip: the compressed position, against the compressed size.
    counter = raw.fileobj if isinstance(raw, gzip.GzipFile) else raw
    table._position = lambda: (_tell(counter), size)
    table._close = text.close
    return table


def _tell(handle: Any) -> int:
    try:
        return int(handle.tell())
    except (OSError, ValueError):
        return 0


# A record the CSV reader could not split (a quoted field run past MAX_FIELD_BYTES): kept,
# empty, with the reader's message, and reading goes on at the next line.
UNREADABLE = "\x00unreadable"


def _records(reader: Any, name: str) -> Iterator[tuple[int, list[str]]]:
    number = 0
    while True:
        number += 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            record = [UNREADABLE, str(exc)]
        except (OSError, EOFError) as exc:  # a truncated or corrupt gzip file
            raise InvalidInput(f"{name}: row {number}: {exc}") from exc
        yield number, record


def _header(records: Iterator[tuple[int, list[str]]], table: Table, name: str) -> list[str]:
    for number, record in records:
        if record and record[0] == UNREADABLE:
            raise InvalidInput(f"{name}: row {number}: {record[1]}")
        if _blank(record):
            table.blank_rows += 1
            continue
        return clean_headers(record)
    raise InvalidInput(f"{name}: the file has no rows")


def _rows(records: Iterator[tuple[int, list[str]]], table: Table) -> Iterator[Row]:
    width = len(table.headers)
    for number, record in records:
        if record and record[0] == UNREADABLE:
            yield Row(number, (), f"unreadable: {record[1]}")
            continue
        if _blank(record):
            table.blank_rows += 1
            continue
        values = tuple(v.strip() for v in record)
        problem = None
        # A sheet's empty trailing cells are not stored: fewer cells there are no problem.
        if len(record) > width or (len(record) < width and table.kind == "csv"):
            problem = f"{len(record)} fields where the header has {width}"
        elif table.kind == "csv" and any("\ufffd" in v for v in values):
            problem = f"bytes that are not {table.encoding} text"
        yield Row(number, values, problem)


def _blank(values: Sequence[object]) -> bool:
    return all(v is None or not str(v).strip() for v in values)


def clean_headers(record: Sequence[object]) -> list[str]:
    """Headers as written, trimmed (a stray BOM too); an empty one becomes "column N"."""
    out = []
    for number, value in enumerate(record, start=1):
        text = _cell_text(value).replace("\ufeff", "").strip()
        out.append(text or f"column {number}")
    return out


# -- encoding ----------------------------------------------------------------------------

def detect_encoding(path: Path, sample: bytes, compressed: bool = False) -> str:
    """The text encoding of a CSV file, by this rule:

    1. a byte-order mark says it: UTF-8 ("utf-8-sig") or UTF-16;
    2. else UTF-8 if the whole file decodes as UTF-8 strictly (checked in chunks, so in
       bounded memory; plain ASCII is UTF-8);
    3. else a Windows single-byte code page: Cyrillic cp1251 if the sample's letters above
       ASCII mostly stand next to each other (whole words: "Иванов"), Western cp1252 if they
       mostly stand next to ASCII letters (accents inside Latin words: "Müller").

    Pass an encoding explicitly for anything else (KOI8-R, ISO-8859-2...). A statistical
    detector (charset-normalizer) was tried and measured wrong on short files: "Müller"
    alone came out as cp1251 and a one-line Russian name as CJK code pages.
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith(UTF16_BOMS):
        return "utf-16"
    if _is_utf8(path, compressed):
        return "utf-8"
    return "cp1251" if _looks_cyrillic(sample) else "cp1252"


def _is_utf8(path: Path, compressed: bool) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    with _raw(path, compressed) as raw:
        try:
            while chunk := raw.read(READ_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        except (OSError, EOFError):
            return True  # a truncated gzip: reading the rows will say so, with the row
    return True


# Bytes that are letters in cp1251: А-я (0xC0-0xFF) and Ё ё Є є Ї ї І і Ґ ґ Ў ў.
_CP1251_LETTERS = frozenset(range(0xC0, 0x100)) | frozenset(
    b"\xa8\xb8\xaa\xba\xaf\xbf\xb2\xb3\xa5\xb4\xa1\xa2")


def _looks_cyrillic(sample: bytes) -> bool:
    in_words = beside_latin = 0
    for i, byte in enumerate(sample):
        if byte not in _CP1251_LETTERS:
            continue
        neighbours = sample[max(i - 1, 0):i] + sample[i + 1:i + 2]
        if any(chr(n).isascii() and chr(n).isalpha() for n in neighbours):
            beside_latin += 1
        elif any(n in _CP1251_LETTERS for n in neighbours):
            in_words += 1
    return in_words > beside_latin


def _decoded_sample(sample: bytes, encoding: str) -> str:
    text = sample.decode(encoding, errors="replace")
    if len(sample) == SAMPLE_BYTES and "\n" in text:
        text = text[:text.rindex("\n")]  # the last line may be cut short
    return text.lstrip("\ufeff")


# -- delimiter ---------------------------------------------------------------------------

def sniff_delimiter(text: str, name: str) -> str | None:
    """The delimiter of a CSV sample: the one of comma, semicolon, tab and pipe that splits
    the header into the most columns and the rows into as many; None for a one-column
    file. A file split consistently by another character is an error naming it."""
    records = {d: _sample_records(text, d) for d in DELIMITERS}
    best, best_score = None, (-1.0, 0)
    for delimiter, rows in records.items():
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        agreeing = sum(1 for r in rows[1:] if len(r) == width) / max(len(rows) - 1, 1)
        score = (agreeing, width)
        if score > best_score:
            best, best_score = delimiter, score
    if best is not None:
        return best
    foreign = _foreign_delimiter(text)
    if foreign:
        raise InvalidInput(f"{name}: unknown delimiter {foreign!r}; a CSV must be separated "
                           "by commas, semicolons, tabs or pipes")
    return None


def _sample_records(text: str, delimiter: str, limit: int = 200) -> list[list[str]]:
    out: list[list[str]] = []
    try:
        for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if not _blank(record):
                out.append(record)
            if len(out) >= limit:
                break
    except csv.Error:
        return out
    return out


def _foreign_delimiter(text: str) -> str | None:
    lines = [line for line in text.splitlines()[:200] if line.strip()]
    for char in FOREIGN_DELIMITERS:
        counts = {line.count(char) for line in lines}
        if len(counts) == 1 and counts.pop() > 0:
            return char
    return None


# -- XLSX --------------------------------------------------------------------------------

def _open_xlsx(path: Path) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # A handle, not the path: openpyxl would refuse a workbook by its file name's ending.
    handle = path.open("rb")
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        handle.close()
        raise InvalidInput(f"{path.name}: not a readable XLSX workbook ({exc})") from exc
    if not book.worksheets:
        book.close()
        handle.close()
        raise InvalidInput(f"{path.name}: the workbook has no sheet")
    sheet = book.worksheets[0]
    table = Table(path=path, kind="xlsx", headers=[])
    records = enumerate(sheet.iter_rows(values_only=True), start=1)
    texts = ((n, [_cell_text(v) for v in _trimmed(values)]) for n, values in records)
    table.headers = _header(texts, table, path.name)
    done = [0]

    def counted() -> Iterator[Row]:
        for row in _rows(texts, table):
            done[0] = row.number
            yield row

    table._rows = counted()
    total = sheet.max_row if isinstance(sheet.max_row, int) else None
    table._position = lambda: (done[0], total)
    def close() -> None:
        book.close()
        handle.close()

    table._close = close
    return table


def _trimmed(values: Sequence[object]) -> Sequence[object]:
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return values[:end]


def _cell_text(value: object) -> str:
    """A cell as text: dates as ISO dates, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# -- column selection --------------------------------------------------------------------

def _norm(header: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", header.casefold()).strip()


# Headers taken for a role when the caller names no column, compared after _norm. Names
# come in tiers: every column of the first tier that has one (a name in two scripts), so
# that "company" is a name only in a table without a "name".
NAME_TIERS: tuple[tuple[str, ...], ...] = (
    ("name", "names", "full name", "fullname", "name en", "name eng", "name english",
     "name ru", "name rus", "name russian", "name original", "name latin", "name cyrillic",
     "фио", "ф и о", "полное наименование/фио", "наименование", "піб", "назва", "nom",
     "nombre"),
    ("person", "company", "company name", "entity", "entity name", "organisation",
     "organization", "имя", "target", "subject"),
)
NAME_WORDS = frozenset({"name", "names", "фио", "наименование", "имя", "назва", "піб"})
GUESSES: dict[str, tuple[str, ...]] = {
    "birth_date": ("birth date", "birthdate", "date of birth", "dob", "born", "birthday",
                   "birth dates", "dates of birth",
                   "birth", "дата рождения", "д р", "дата народження"),
    "country": ("country", "countries", "nationality", "citizenship", "country code",
                "страна", "гражданство", "країна", "громадянство"),
    "schema": ("schema", "type", "entity type", "kind", "тип"),
}


@dataclass(frozen=True)
class Columns:
    """Which columns (indices into the headers) hold what. Several name columns (a name
    in two scripts) are names of the same row."""

    name: tuple[int, ...]
    birth_date: int | None = None
    country: int | None = None
    schema: int | None = None


def select_columns(headers: Sequence[str], name: Sequence[str] = (),
                   birth_date: str | None = None, country: str | None = None,
                   schema: str | None = None) -> Columns:
    """Columns by the caller's header names (case-insensitive), else guessed from common
    headers. A named column that is missing raises InvalidInput naming it and the headers
    found; so does a table with no name column to guess (unless it has only one column,
    which is then the name)."""
    found = {_norm(h): i for i, h in reversed(list(enumerate(headers)))}
    names = [_named(found, headers, n) for n in name] or _guessed_names(found)
    if not names and len(headers) == 1:
        names = [0]
    if not names:
        raise InvalidInput(f"no name column found (columns: {_listing(headers)}); "
                           "name one with --name-col")
    return Columns(
        name=tuple(dict.fromkeys(names)),
        birth_date=_named(found, headers, birth_date) if birth_date
        else _guessed(found, "birth_date"),
        country=_named(found, headers, country) if country else _guessed(found, "country"),
        schema=_named(found, headers, schema) if schema else _guessed(found, "schema"),
    )


def _named(found: dict[str, int], headers: Sequence[str], wanted: str) -> int:
    index = found.get(_norm(wanted))
    if index is None:
        raise InvalidInput(f"no column {wanted!r} (columns: {_listing(headers)})")
    return index


def _guessed(found: dict[str, int], role: str) -> int | None:
    return next((found[h] for h in GUESSES[role] if h in found), None)


def _guessed_names(found: dict[str, int]) -> list[int]:
    for tier in NAME_TIERS:
        if hits := sorted(found[h] for h in tier if h in found):
            return hits
    # Last: the first header with the word "name" in it ("Name of Individual or Entity").
    worded = sorted(i for h, i in found.items() if NAME_WORDS & set(re.split(r"\W+", h)))
    return worded[:1]


def _listing(headers: Sequence[str], most: int = 20) -> str:
    shown = ", ".join(repr(h) for h in headers[:most])
    return shown + (f" and {len(headers) - most} more" if len(headers) > most else "")


# -- writing -----------------------------------------------------------------------------

class TableWriter(Protocol):
    def write(self, row: Sequence[object]) -> None: ...


class _CsvWriter:
    def __init__(self, handle: IO[str], delimiter: str) -> None:
        self._writer = csv.writer(handle, delimiter=delimiter)

    def write(self, row: Sequence[object]) -> None:
        self._writer.writerow(["" if v is None else v for v in row])


# Characters XML 1.0 (so XLSX) cannot hold; openpyxl refuses them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
XLSX_MAX_CELL = 32767


class _XlsxWriter:
    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet

    def write(self, row: Sequence[object]) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells: list[object] = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(self._sheet, _XML_ILLEGAL.sub("", value)[:XLSX_MAX_CELL])
                cell.data_type = "s"  # never a formula, whatever the text starts with
                cells.append(cell)
            else:
                cells.append(value)
        self._sheet.append(cells)


class table_writer:  # noqa: N801 - used as a context manager, like open()
    """`with table_writer(path, headers) as out: out.write(row)`: XLSX for a .xlsx path,
    else CSV (tab-separated for .tsv), UTF-8. Written beside the target and renamed into
    place only when the block ends without an error."""

    def __init__(self, path: Path, headers: Sequence[str]) -> None:
        self.path = path
        self.headers = list(headers)
        self._tmp: Path | None = None
        self._done: Any = None

    def __enter__(self) -> TableWriter:
        folder = self.path.parent if str(self.path.parent) else Path(".")
        if not folder.is_dir():
            raise InvalidInput(f"{self.path}: no such folder {folder}")
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=folder)
        os.close(fd)
        self._tmp = Path(name)
        writer: TableWriter
        if self.path.suffix.lower() == ".xlsx":
            from openpyxl import Workbook

            book = Workbook(write_only=True)
            writer = _XlsxWriter(book.create_sheet("screening"))
            self._done = lambda: book.save(str(self._tmp))
        else:
            handle = self._tmp.open("w", encoding="utf-8", newline="")
            writer = _CsvWriter(handle, "\t" if self.path.suffix.lower() == ".tsv" else ",")
            self._done = handle.close
        writer.write(self.headers)
        return writer

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        assert self._tmp is not None
        try:
            self._done()
            if kind is None:
                os.replace(self._tmp, self.path)
        finally:
            self._tmp.unlink(missing_ok=True)
