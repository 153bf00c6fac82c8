"""HM Treasury OFSI Consolidated List of Financial Sanctions Targets: ConList.csv / .xlsx.

Both files hold one row per name variation. The rows of one target share a "Group ID" and
are spread through the file (it is sorted by name), so rows are gathered per group: each
group becomes one entity `uk-ofsi-<group id>` with one Sanction per regime.

Columns are found by their header names, never by position: the 2018 CSV has 29 columns
(NI Number, Passport Details), the 2022 format 36 (Name Non-Latin Script, Passport Number,
Alias Quality, UK Sanctions List Date Designated...).

Since 2022 "Other Information" packs labelled fields: `(UK Sanctions List Ref):RUS2305.
(UK Statement of Reasons):... (Gender):Male (Business Reg No):Russian TIN: 7718763393`.
The labels are read here (see `other_information`); identifiers in the remaining free text
go through `identifiers.extract_identifiers`.

Linking to the FCDO UK Sanctions List: each Sanction carries `authorityId` = the OFSI Group
ID and the "UK Sanctions List Ref" (e.g. RUS2305); uk_fcdo Sanctions carry the same two
values (Unique ID and OFSI Group ID), so a resolver can join the two on authorityId.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pressurepoint.errors import FormatError
from pressurepoint.ingest.cleaning import collapse, parse_dates
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import read_bytes
from pressurepoint.ingest.parsers.uk_values import (
    add_value,
    apply_other_information,
    countries_in,
    date_items,
    language_code,
    put_source_url,
    schema_for,
    split_items,
    token_numbers,
)
from pressurepoint.ingest.xlsx import open_workbook
from pressurepoint.model import Entity

SOURCE_URL = (
    "https://www.gov.uk/government/publications/financial-sanctions-consolidated-list-of-targets"
)

# Column key -> header names used by OFSI over the years (lower case, single spaces).
COLUMNS: dict[str, tuple[str, ...]] = {
    **{f"name{i}": (f"name {i}",) for i in range(1, 7)},
    "title": ("title",),
    "non_latin": ("name non-latin script",),
    "non_latin_language": ("non-latin script language",),
    "dob": ("dob",),
    "town_of_birth": ("town of birth",),
    "country_of_birth": ("country of birth",),
    "nationality": ("nationality",),
    "passport_number": ("passport number",),
    "passport_details": ("passport details",),
    "id_number": ("national identification number", "ni number"),
    "id_details": ("national identification details",),
    "position": ("position",),
    **{f"address{i}": (f"address {i}",) for i in range(1, 7)},
    "postcode": ("post/zip code",),
    "country": ("country",),
    "other": ("other information",),
    "group_type": ("group type",),
    "alias_type": ("alias type",),
    "alias_quality": ("alias quality",),
    "regime": ("regime",),
    "listed_on": ("listed on",),
    "designated": ("uk sanctions list date designated",),
    "last_updated": ("last updated",),
    "group_id": ("group id",),
    "imo": ("imo number",),
}
REQUIRED = {"name6": "Name 6", "group_id": "Group ID", "group_type": "Group Type",
            "regime": "Regime"}
HEADER_SEARCH_ROWS = 5
# Alias Type -> FtM name property ("Prime Alias" is the 2018 spelling of "Primary name").
ALIAS_PROPS = {
    "primary name": "name",
    "prime alias": "name",
    "primary name variation": "alias",
    "aka": "alias",
    "fka": "previousName",
}
SANCTION_DATES = (("listed_on", "listingDate"), ("designated", "startDate"),
                  ("last_updated", "modifiedAt"))

Row = dict[str, str]
# Cells holding one or more values of one property: column key, FtM property, splitter.
CELLS: tuple[tuple[str, str, Callable[[str], list[str]]], ...] = (
    ("title", "title", split_items), ("position", "position", split_items),
    ("nationality", "nationality", countries_in), ("town_of_birth", "birthPlace", split_items),
    ("country_of_birth", "birthCountry", countries_in), ("dob", "birthDate", date_items),
    ("passport_number", "passportNumber", split_items), ("imo", "imoNumber", split_items),
    ("country", "country", countries_in),
)
ADDRESS = (*(f"address{i}" for i in range(1, 7)), "postcode", "country")


# -- reading rows -------------------------------------------------------------------------
def header_index(cells: list[str], where: str) -> dict[str, int]:
    """Column key -> position, from a header row; FormatError names missing columns."""
    names = {" ".join(c.split()).lower(): i for i, c in enumerate(cells) if c}
    index = {key: names[h] for key, heads in COLUMNS.items() for h in heads if h in names}
    missing = [label for key, label in REQUIRED.items() if key not in index]
    if missing:
        raise FormatError(f"{where}: header lacks required column(s) {', '.join(missing)}")
    return index


def cell_text(value: object) -> str:
    """A cell as stripped text (dates as ISO, integral floats without ".0")."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _RowReader:
    """Turns raw rows (preamble, header, data) into (location, Row) pairs."""

    def __init__(self, ctx: ParseContext, unit: str) -> None:
        self.ctx = ctx
        self.unit = unit
        self.index: dict[str, int] | None = None
        self.width = 0

    def feed(self, number: int, cells: list[str]) -> Row | None:
        where = f"{self.unit} {number}"
        if self.index is not None:
            return {key: cells[i] if i < len(cells) else "" for key, i in self.index.items()}
        lowered = [c.lower() for c in cells]
        if "group id" in lowered or "name 6" in lowered:
            self.index = header_index(cells, where)
            self.width = len([c for c in cells if c])
        elif lowered and lowered[0] == "last updated" and len(cells) > 1:
            self.ctx.set_published(cells[1], f"'Last Updated' in {where}")
        elif number >= HEADER_SEARCH_ROWS:
            raise FormatError(f"no header row (with 'Name 6', 'Group ID') in the first "
                              f"{HEADER_SEARCH_ROWS} {self.unit}s")
        return None

    def finish(self) -> None:
        if self.index is None:
            raise FormatError("no header row (with 'Name 6', 'Group ID') found")


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as OFSI long published it."""
    if b"\x00" in data[:4096]:
        raise FormatError("unreadable encoding: NUL bytes in the text (UTF-16?)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FormatError(f"unreadable encoding: neither UTF-8 nor Windows-1252 "
                          f"(byte {exc.start})") from exc


def csv_rows(ctx: ParseContext, path: Path) -> Iterator[tuple[str, Row]]:
    """Rows of ConList.csv. A short last row means a cut-off file: FormatError."""
    reader = csv.reader(io.StringIO(decode_csv(read_bytes(path)), newline=""))
    rows = _RowReader(ctx, "line")
    pending: tuple[str, str] | None = None
    for cells in reader:
        if pending is not None:
            ctx.issue("short_row", pending[1], location=pending[0])
            pending = None
        if not any(c.strip() for c in cells):
            continue
        row = rows.feed(reader.line_num, [c.strip() for c in cells])
        if row is None:
            continue
        where = f"line {reader.line_num}"
        if len(cells) < rows.width:
            pending = (where, f"row has {len(cells)} of {rows.width} fields")
            continue
        yield where, row
    rows.finish()
    if pending is not None:
        raise FormatError(f"{pending[0]}: last {pending[1]} (truncated file?)")


def xlsx_rows(ctx: ParseContext, path: Path) -> Iterator[tuple[str, Row]]:
    """Rows of the first sheet of ConList.xlsx (pressurepoint.ingest.xlsx)."""
    book = open_workbook(path)
    try:
        sheet = book.worksheets[0]
        rows = _RowReader(ctx, "row")
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if not any(cells):
                continue
            row = rows.feed(number, cells)
            if row is not None:
                yield f"row {number} of sheet {sheet.title}", row
        rows.finish()
    finally:
        book.close()


# -- building entities -------------------------------------------------------------------
@dataclass
class _Group:
    entity: Entity
    kind: str
    where: str
    seen: set[tuple[str, str]] = field(default_factory=set)
    regimes: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    others: set[str] = field(default_factory=set)
    sanction: dict[str, set[str]] = field(default_factory=dict)


class _Builder:
    """Gathers the rows of each Group ID into one entity and its designations."""

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.groups: dict[str, _Group] = {}

    def add_row(self, where: str, row: Row) -> None:
        group_id = row["group_id"]
        if not group_id:
            self.ctx.issue("missing_group_id", "row without a Group ID", location=where)
            return
        group = self.groups.get(group_id) or self._new_group(group_id, row, where)
        if row["group_type"] and row["group_type"].lower() != group.kind:
            self.ctx.issue("mixed_group_type", f"Group Type {row['group_type']!r} differs from "
                           f"{group.kind!r} of the group's first row", record_id=group.entity.id,
                           value=row["group_type"], location=where)
        if row.get("other") and row["other"] not in group.others:
            group.others.add(row["other"])
            self._other(group, row["other"], where)
        self._names(group, row, where)
        self._details(group, row, where)
        self._regime(group, row, where)

    def _new_group(self, group_id: str, row: Row, where: str) -> _Group:
        kind = row["group_type"].lower()
        schema = schema_for(kind)
        if schema == "LegalEntity":
            self.ctx.issue("unknown_group_type", f"unknown Group Type {row['group_type']!r}",
                           record_id=self.ctx.make_id(group_id), value=row["group_type"],
                           location=where)
        group = _Group(self.ctx.entity(schema, group_id), kind, where)
        self.groups[group_id] = group
        return group

    def put(self, group: _Group, prop: str, raw: str, where: str, lang: str | None = None) -> None:
        """Add a value once per group (the same cell repeats on every name row)."""
        key = (prop, raw)
        if not raw or key in group.seen:
            return
        group.seen.add(key)
        add_value(self.ctx, group.entity, prop, raw, where, lang)

    def _other(self, group: _Group, text: str, where: str) -> None:
        found = apply_other_information(self.ctx, group.entity, text, where)
        for prop, values in found.items():
            group.sanction.setdefault(prop, set()).update(values)

    def _names(self, group: _Group, row: Row, where: str) -> None:
        given = [row.get(f"name{i}", "") for i in range(1, 6)]
        full = " ".join(p for p in [*given, row["name6"]] if p)
        alias_type = row.get("alias_type", "").lower()
        prop = ALIAS_PROPS.get(alias_type, "alias")
        if alias_type and alias_type not in ALIAS_PROPS and ("alias_type", alias_type) \
                not in group.seen:
            group.seen.add(("alias_type", alias_type))
            self.ctx.issue("unknown_alias_type", f"unknown Alias Type {row['alias_type']!r}; "
                           "name kept as an alias", record_id=group.entity.id,
                           value=row["alias_type"], location=where)
        if prop == "alias" and row.get("alias_quality", "").lower().startswith("low"):
            prop = "weakAlias"
        if not full:
            self.ctx.issue("missing_name", "row without a name", record_id=group.entity.id,
                           location=where)
        self.put(group, prop, full, where)
        if prop == "name" and group.entity.schema == "Person":
            self.put(group, "firstName", given[0], where)
            self.put(group, "middleName", " ".join(p for p in given[1:] if p), where)
            self.put(group, "lastName", row["name6"], where)
        language = language_code(row.get("non_latin_language", ""))
        self.put(group, prop, row.get("non_latin", ""), where, lang=language)

    def fresh(self, group: _Group, key: str, raw: str) -> bool:
        """True the first time a group meets this cell value (rows repeat most cells)."""
        cell = (f"cell:{key}", raw)  # apart from the (property, value) pairs of `put`
        if not raw or cell in group.seen:
            return False
        group.seen.add(cell)
        return True

    def _details(self, group: _Group, row: Row, where: str) -> None:
        for key, prop, items_of in CELLS:
            raw = row.get(key, "")
            if self.fresh(group, key, raw):
                for item in items_of(raw):
                    self.put(group, prop, item, where)
        # 2018: "Passport Details" and "NI Number" mix numbers and text; since 2022 the
        # numbers have their own columns and the details are text.
        numbers_apart = "passport_number" in row
        self._document(group, row.get("passport_details", ""), "passportNumber",
                       "Passport details", where, numbers=not numbers_apart)
        self._document(group, row.get("id_number", ""), "idNumber",
                       "National identification", where, numbers=True)
        self._document(group, row.get("id_details", ""), "idNumber",
                       "National identification details", where, numbers=False)
        parts = [row.get(key, "") for key in ADDRESS]
        self.put(group, "address", ", ".join(p for p in parts if p), where)

    def _document(self, group: _Group, raw: str, prop: str, label: str, where: str,
                  numbers: bool) -> None:
        """Identity documents: the numbers, and any text around them as a note."""
        if not self.fresh(group, label, raw):
            return
        found = token_numbers(raw) if numbers else []
        for number in found:
            self.put(group, prop, number, where)
        if split_items(raw) != found:
            self.put(group, "notes", f"{label}: {collapse(raw)}", where)

    def _regime(self, group: _Group, row: Row, where: str) -> None:
        regime = row["regime"] or "unspecified"
        if not row["regime"] and ("regime", "") not in group.seen:
            group.seen.add(("regime", ""))
            self.ctx.issue("missing_regime", "row without a Regime", record_id=group.entity.id,
                           location=where)
        dates = group.regimes.setdefault(regime, {})
        for key, prop in SANCTION_DATES:
            raw = row.get(key, "")
            if not raw or raw in dates.get(prop, ()):
                continue
            if parse_dates(raw) is None:
                if ("bad", raw) not in group.seen:
                    group.seen.add(("bad", raw))
                    self.ctx.issue("invalid_date", f"{prop}: cannot read {raw!r} as a date",
                                   record_id=group.entity.id, prop=prop, value=raw,
                                   location=where)
                continue
            dates.setdefault(prop, set()).add(raw)

    def entities(self) -> Iterator[Entity]:
        for group_id, group in self.groups.items():
            yield group.entity
            refs = sorted(group.sanction.get("authorityId", set()))
            for regime, dates in group.regimes.items():
                stated: dict[str, Any] = {prop: sorted(v) for prop, v in dates.items()}
                sanction = self.ctx.sanction(
                    group.entity, regime, location=group.where,
                    program=regime if regime != "unspecified" else None,
                    recordId=group_id, authorityId=[group_id, *refs],
                    reason=sorted(group.sanction.get("reason", set())),
                    unscId=sorted(group.sanction.get("unscId", set())), **stated,
                )
                put_source_url(sanction, SOURCE_URL)
                yield sanction


def build(ctx: ParseContext, rows: Iterable[tuple[str, Row]]) -> Iterator[Entity]:
    builder = _Builder(ctx)
    for where, row in rows:
        builder.add_row(where, row)
    yield from builder.entities()


def parse_csv(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """ConList.csv: line 1 `Last Updated,dd/mm/yyyy`, header on line 2."""
    yield from build(ctx, csv_rows(ctx, path))


def parse_xlsx(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """ConList.xlsx: A1 "Last Updated", B1 the date, header in row 2."""
    yield from build(ctx, xlsx_rows(ctx, path))
