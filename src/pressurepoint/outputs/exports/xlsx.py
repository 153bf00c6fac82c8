"""A table as an XLSX workbook: one sheet, a header row, then the rows, written with
openpyxl's write-only mode (rows are streamed to the file, so memory stays flat for the
twenty thousand rows of a full gap matrix)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Value = str | int | float | None
MAX_CELL_TEXT = 32767  # Excel refuses longer cell texts
TRUNCATED = " [truncated]"


def write_table(target: Path | BinaryIO, headers: Sequence[str],
                rows: Iterable[Sequence[Value]], *, sheet: str = "data") -> int:
    """Write the table to `target` (a path or a binary file); returns the number of rows."""
    book = Workbook(write_only=True)
    page = book.create_sheet(sheet[:31])  # Excel's limit on sheet names
    page.append([_cell(page, h) for h in headers])
    count = 0
    for row in rows:
        page.append([_cell(page, v) for v in row])
        count += 1
    book.save(target)
    return count


def _cell(page: WriteOnlyWorksheet, value: Value) -> Cell | Value:
    if not isinstance(value, str):
        return value
    # Control characters are not allowed in XLSX XML; they never carry meaning in a name.
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(text) > MAX_CELL_TEXT:
        text = text[:MAX_CELL_TEXT - len(TRUNCATED)] + TRUNCATED
    cell = WriteOnlyCell(page, value=text)
    # A source text starting with "=" is data, never a formula a spreadsheet would run.
    cell.data_type = "s"
    return cell
