"""OFAC legacy delimited CSV: sdn.csv / cons_prim.csv and their companions.

The main table has 12 columns and no header: ent_num, name, type, programs, title,
call sign, vessel type, tonnage, gross registered tonnage, vessel flag, vessel owner,
remarks. `-0-` (with a trailing space) means empty; the files are ASCII with CRLF line
ends and end with a 0x1A byte. Companions beside the main file (matched by name):

- add.csv / cons_add.csv: ent_num, add_num, address, "city, state postal", country, remarks
- alt.csv / cons_alt.csv: ent_num, alt_num, aka|fka|nka, name, remarks
- sdn_comments.csv / cons_comments.csv: ent_num, the rest of a remarks cell that the main
  table cut at 1,000 characters (appended to it as written).

Without the comments file a cut remarks cell loses its last, unfinished item: it is not
read as a fact (a half identifier would be wrong) but reported as an issue.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pressurepoint.errors import FormatError
from pressurepoint.ingest.cleaning import collapse
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import read_bytes
from pressurepoint.ingest.parsers.ofac_remarks import (
    Fact,
    OfacRecord,
    address_line,
    is_empty,
    parse_remarks,
    split_programs,
)
from pressurepoint.ingest.parsers.ofac_xml import OfacBuilder
from pressurepoint.model import Entity
from pressurepoint.sources.spec import plain_name

MAIN_COLUMNS = 12
LAYOUT_PROBE = 20  # rows read to decide that a file is not this table at all
REMARKS_LIMIT = 1000  # the main table cuts remarks at this length
VESSEL_COLUMNS = {
    5: "Vessel Call Sign", 6: "VESSEL TYPE", 7: "Vessel Tonnage",
    8: "Vessel Gross Registered Tonnage", 9: "Vessel Flag", 10: "Vessel Owner",
}
# Companion names by the main file's name (the SDN and the consolidated sets).
COMPANIONS = {
    "sdn.csv": ("add.csv", "alt.csv", "sdn_comments.csv"),
    "cons_prim.csv": ("cons_add.csv", "cons_alt.csv", "cons_comments.csv"),
}
COMPANION_PATTERNS = tuple(name for names in COMPANIONS.values() for name in names)


@dataclass
class _Companions:
    addresses: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)
    aliases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield every main-table record (with its companions' rows), then the links."""
    names = COMPANIONS.get(plain_name(path.name), COMPANIONS["sdn.csv"])
    companions = _read_companions(ctx, names)
    seen: set[str] = set()
    builder = OfacBuilder(ctx)
    for line, row in _rows(path, MAIN_COLUMNS):
        record = _record(ctx, line, row, companions)
        if record is not None:
            seen.add(record.ent_num)
            yield from builder.build(record)
    _orphans(ctx, companions, seen)
    yield from builder.finish()


def _rows(path: Path, columns: int) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each row. A file none of whose first rows has the table's
    column count and an entry number is not this table (FormatError); other rows with the
    wrong count are yielded for the caller to report. A file cut off mid-row is a
    FormatError."""
    text = _decode(read_bytes(path)).rstrip("\x1a")
    stripped = text.rstrip("\r\n")
    if not stripped.strip():
        raise FormatError("no rows")
    if stripped == text:
        raise FormatError(f"truncated: the last line ({len(stripped.splitlines())}) ends "
                          "without a line break")
    reader = csv.reader(io.StringIO(stripped, newline=""))
    waiting: list[tuple[int, list[str]]] | None = []  # rows before the first good one
    for row in reader:
        if not row or row == [""]:
            continue
        if waiting is not None:
            waiting.append((reader.line_num, row))
            if _fits(row, columns):
                yield from waiting
                waiting = None
            elif len(waiting) >= LAYOUT_PROBE:
                break
            continue
        yield reader.line_num, row
    if waiting:
        line, first = waiting[0]
        raise FormatError(f"line {line}: {len(first)} columns starting {first[0][:20]!r}, "
                          f"expected {columns} starting with an entry number (not this OFAC "
                          "table?)")


def _fits(row: list[str], columns: int) -> bool:
    return len(row) == columns and row[0].strip().isdigit()


def _decode(data: bytes) -> str:
    """OFAC writes ASCII; anything else is read as UTF-8, else as Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _cell(value: str) -> str | None:
    return None if is_empty(value) else collapse(value)


def _record(ctx: ParseContext, line: int, row: list[str],
            companions: _Companions) -> OfacRecord | None:
    where = f"line {line}"
    ent_num = row[0].strip()
    if not _fits(row, MAIN_COLUMNS):
        ctx.issue("bad_row", f"row has {len(row)} columns, expected {MAIN_COLUMNS} starting "
                  "with an entry number; row skipped", value=",".join(row)[:200],
                  record_id=ctx.make_id(ent_num) if ent_num.isdigit() else None,
                  location=where)
        return None
    name, title = _cell(row[1]) or "", _cell(row[4])
    record = OfacRecord(ent_num=ent_num, kind=(_cell(row[2]) or "entity"), name=name,
                        location=where, programs=split_programs(row[3]))
    if title:
        record.titles.append(title)
    for column, label in VESSEL_COLUMNS.items():
        if value := _cell(row[column]):
            record.facts.append(Fact(label, value))
    remarks = _cell(row[11]) or ""
    if ent_num in companions.comments:
        remarks = row[11].strip() + companions.comments[ent_num]
    elif len(row[11].strip()) >= REMARKS_LIMIT:
        remarks = _drop_cut_item(ctx, ent_num, remarks, where)
    record.add_remarks(parse_remarks(remarks, title))
    for kind, alias in companions.aliases.get(ent_num, []):
        record.add_alias(kind, alias)
    for address, country in companions.addresses.get(ent_num, []):
        record.add_address(address, country)
    return record


def _drop_cut_item(ctx: ParseContext, ent_num: str, remarks: str, where: str) -> str:
    head, _, cut = remarks.rpartition("; ")
    ctx.issue("remarks_cut", "remarks cut at 1,000 characters and no comments file to "
              "continue them: the unfinished last item is not read", value=cut[:200],
              record_id=ctx.make_id(ent_num), location=where)
    return head


# -- companions ----------------------------------------------------------------------
def _read_companions(ctx: ParseContext, names: tuple[str, str, str]) -> _Companions:
    found = _Companions()
    add_name, alt_name, comments_name = names
    for name in names:
        if ctx.companion(name) is None:
            ctx.issue("missing_companion", f"{name} is not beside the main file: its data "
                      "(addresses, aliases or remarks continuations) is missing from this run",
                      value=name, level="info")
    if (path := ctx.companion(add_name)) is not None:
        for line, row in _companion_rows(ctx, path, 6):
            line_text = address_line([_cell(row[2])], _cell(row[3]), None, None)
            found.addresses.setdefault(row[0].strip(), []).append((line_text, _cell(row[4])))
            _remarks_column(ctx, path, line, row, 5)
    if (path := ctx.companion(alt_name)) is not None:
        for line, row in _companion_rows(ctx, path, 5):
            if alias := _cell(row[3]):
                found.aliases.setdefault(row[0].strip(), []).append((row[2].strip(), alias))
            _remarks_column(ctx, path, line, row, 4)
    if (path := ctx.companion(comments_name)) is not None:
        for _, row in _companion_rows(ctx, path, 2):
            ent_num = row[0].strip()
            found.comments[ent_num] = found.comments.get(ent_num, "") + row[1].rstrip()
    return found


def _companion_rows(ctx: ParseContext, path: Path, columns: int
                    ) -> Iterator[tuple[int, list[str]]]:
    try:
        rows = list(_rows(path, columns))
    except FormatError as exc:
        raise FormatError(f"{path.name}: {exc}") from exc
    for line, row in rows:
        if not _fits(row, columns):
            ctx.issue("bad_row", f"{path.name}: row has {len(row)} columns, expected "
                      f"{columns}; row skipped", value=",".join(row)[:200],
                      location=f"{path.name} line {line}")
            continue
        yield line, row


def _remarks_column(ctx: ParseContext, path: Path, line: int, row: list[str],
                    column: int) -> None:
    """add.csv / alt.csv remarks are always empty in the files seen; report any text."""
    if not is_empty(row[column]):
        ctx.issue("unread_remarks", f"{path.name}: remarks column not read",
                  value=row[column][:200], record_id=ctx.make_id(row[0].strip()),
                  location=f"{path.name} line {line}")


def _orphans(ctx: ParseContext, companions: _Companions, seen: set[str]) -> None:
    """Companion rows whose entry is not in the main table: reported, not invented."""
    tables: list[tuple[str, set[str]]] = [
        ("addresses", set(companions.addresses)), ("aliases", set(companions.aliases)),
        ("remarks continuations", set(companions.comments))]
    for what, ent_nums in tables:
        for ent_num in sorted(ent_nums - seen, key=int):
            ctx.issue("orphan_row", f"{what} for entry {ent_num}, which the main table "
                      "does not hold", value=ent_num, record_id=ctx.make_id(ent_num))
