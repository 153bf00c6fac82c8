"""Australia DFAT Consolidated List: regulation8_consolidated.xlsx.

One sheet, one row per name. A record is the group of rows sharing the number at the start
of `Reference`: `2680` is the primary row, `2680a`, `2680b`, `2672a10`... are its other
names. Each row repeats the record's details (DOB, place of birth, citizenship, address,
additional information, listing information, committee, control date), sometimes with
small differences; we keep the union of what the rows state.

`Name Type` is spelled inconsistently (`Primary Name`, `Primary Name `, `primary name`,
`aka`, `Aka `, `AKA`, `Original Script`, `Original script `...); it is compared after
trimming, lower-casing and collapsing spaces. Identifiers (OGRN, INN, IMO, passport) exist
only inside the free text `Additional Information`. The file states no publication date in
its cells; the workbook's docProps/core.xml `dcterms:modified` is the best the publisher
gives, and the run says so.

Read with python-calamine (pressurepoint.ingest.xlsx); rows are grouped while reading
(the publisher keeps a record's rows together; a record split across the file would
still merge, as the runner merges entities with the same id).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from pressurepoint.errors import FormatError
from pressurepoint.ingest.cleaning import collapse, parse_date
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import read_bytes
from pressurepoint.ingest.identifiers import extract_identifiers
from pressurepoint.ingest.xlsx import open_workbook
from pressurepoint.model import Entity, Value

SOURCE_URL = "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx"

# Header label (trimmed, lower case, single spaces) -> field.
COLUMNS = {
    "reference": "reference",
    "name of individual or entity": "name",
    "type": "type",
    "name type": "name_type",
    "date of birth": "dob",
    "place of birth": "pob",
    "citizenship": "citizenship",
    "address": "address",
    "additional information": "info",
    "listing information": "listing",
    "committees": "committees",
    "control date": "control_date",
}
LABELS = {field_: label for label, field_ in COLUMNS.items()}
REQUIRED = ("reference", "name", "type", "name_type", "committees")
HEADER_SEARCH_ROWS = 10

SCHEMATA = {"individual": "Person", "entity": "Organization", "vessel": "Vessel",
            "aircraft": "Airplane"}
NAME_PROPS = {
    "primary name": "name",
    # Original-script names are names as written (like the UN's NAME_ORIGINAL_SCRIPT).
    "original script": "name",
    "aka": "alias",
    "formerly known as": "previousName",
    "previously listed as": "previousName",
}
_EMPTY = {"", "na", "n/a", "nil", "none", "-", "unknown"}
_REFERENCE = re.compile(r"^(\d+)([a-z]*\d*)$", re.I)
_LETTERED = re.compile(r"(?:^|(?<=[\s;,]))[a-z]\)\s*")
_LISTED_ON = re.compile(
    r"\blist(?:ed|ing)\b[^.;()]{0,60}?\bon:?\s+"
    r"(\d{1,2}\.?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})", re.I)
_CORE_NS = {"dcterms": "http://purl.org/dc/terms/",
            "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"}


# -- dates ------------------------------------------------------------------------------
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                "dec")
# One date inside free text. The order of the alternatives matters: longer forms first.
_DATE_TOKEN = re.compile(
    r"(?P<dmy>\b\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*(?:\d{4}|\d{2})\b)"
    r"|(?P<dtext>\b\d{1,2}\.?[\s-]*[A-Za-z]{3,9}\.?,?[\s-]*(?:\d{4}|\d{2})\b)"
    r"|(?P<mdy>\b[A-Za-z]{3,9}\.?\s+\d{1,2},\s*\d{4}\b)"
    r"|(?P<ydm>\b\d{4},\s*\d{1,2}\s+[A-Za-z]{3,9}\b)"
    r"|(?P<my>\b[A-Za-z]{3,9}\.?,?\s+\d{4}\b)"
    r"|(?P<mmyyyy>\b\d{1,2}/\d{4}\b)"
    r"|(?P<year>\b\d{4}\b)"
)
_HIJRI = re.compile(r"\S+\s*\(\s*hijri[^)]*\)?", re.I)
_PARENS = re.compile(r"\([^)]*\)?")


def _month(word: str) -> int | None:
    """A month from an English month name or abbreviation ("Sep", "Sept.", "Aprl")."""
    key = word.lower().rstrip(".")[:3]
    return _MONTH_NAMES.index(key) + 1 if key in _MONTH_NAMES else None


def _year(text: str) -> int:
    """A year; two digits mean 19xx (birth dates written as 07/04/62 or 23-Apr-68)."""
    value = int(text)
    return value + 1900 if len(text) == 2 else value


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    parts = [f"{year:04d}"] + [f"{p:02d}" for p in (month, day) if p is not None]
    return parse_date("-".join(parts))


def _token_date(match: re.Match[str]) -> str | None:
    """The ISO date of one token found by _DATE_TOKEN (None if it is not a real date)."""
    text = match.group(0)
    numbers = re.findall(r"\d+", text)
    word = next(iter(re.findall(r"[A-Za-z]+", text)), "")
    kind = match.lastgroup
    if kind == "dmy":
        return _iso(_year(numbers[2]), int(numbers[1]), int(numbers[0]))
    if kind == "mmyyyy":
        return _iso(int(numbers[1]), int(numbers[0]))
    if kind == "year":
        return _iso(int(numbers[0]))
    month = _month(word)
    if kind == "dtext":
        year = _year(numbers[1])
        return _iso(year, month, int(numbers[0])) if month else _iso(year)
    if kind == "mdy":
        return _iso(int(numbers[1]), month, int(numbers[0])) if month else _iso(int(numbers[1]))
    if kind == "ydm":
        return _iso(int(numbers[0]), month, int(numbers[1])) if month else _iso(int(numbers[0]))
    return _iso(int(numbers[0]), month)  # "my": "August, 1961"; "Circa 1944" -> the year


def free_text_dates(raw: object) -> list[str] | None:
    """Every date in a DOB cell: an Excel date, a year number, or free text such as
    "a) Approximately 1955- 1958 b) 1960", "01/02/1970; alt DOB: 1962", "Between 1963 and
    1968" (both ends), "circa 1960". Hijri-calendar dates are left out. Returns None when
    the cell holds no readable date or digits outside brackets that are not part of one."""
    if isinstance(raw, datetime | date):
        single = parse_date(raw)
        return [single] if single else None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        # A bare number in this column is a year (1966); Excel serials come as dates.
        single = _iso(int(raw)) if 1000 <= raw <= 2200 else parse_date(raw)
        return [single] if single else None
    text = _HIJRI.sub(" ", str(raw).replace("\xa0", " "))
    found: list[str] = []
    for match in _DATE_TOKEN.finditer(text):
        value = _token_date(match)
        if value is None:
            return None
        if value not in found:
            found.append(value)
    rest = _PARENS.sub(" ", _DATE_TOKEN.sub(" ", text))
    if not found or re.search(r"\d", rest):
        return None
    return found


# -- reading the workbook ---------------------------------------------------------------
def core_modified(path: Path) -> str | None:
    """`dcterms:modified` of the workbook's docProps/core.xml, if present."""
    data: Path | io.BytesIO = path
    if path.name.lower().endswith(".gz"):
        data = io.BytesIO(read_bytes(path))
    try:
        with zipfile.ZipFile(data) as archive, archive.open("docProps/core.xml") as handle:
            root = etree.parse(handle).getroot()
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    found = root.findtext("dcterms:modified", namespaces=_CORE_NS)
    return found.strip() if found and found.strip() else None


def _label(cell: object) -> str:
    return " ".join(str(cell).split()).lower() if cell is not None else ""


def _header(rows: Iterator[tuple[Any, ...]], sheet: str) -> tuple[int, dict[str, int]]:
    """The header row's number and column index of each known field."""
    for number, row in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        labels = [_label(cell) for cell in row]
        columns = {COLUMNS[lab]: i for i, lab in enumerate(labels) if lab in COLUMNS}
        if len(columns) >= 3:
            missing = [LABELS[f] for f in REQUIRED if f not in columns]
            if missing:
                names = ", ".join(repr(m.title()) for m in missing)
                raise FormatError(f"sheet {sheet!r} row {number}: header lacks column(s) "
                                  f"{names} (found: {', '.join(repr(c) for c in row if c)})")
            return number, columns
    raise FormatError(f"sheet {sheet!r}: no header row with 'Reference', 'Name of Individual "
                      f"or Entity', 'Name Type' in the first {HEADER_SEARCH_ROWS} rows")


@dataclass
class _Row:
    number: int
    suffix: str
    values: dict[str, Any]


@dataclass
class _Group:
    reference: str
    rows: list[_Row] = field(default_factory=list)


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield a Person / Organization (or Vessel, Airplane) and its Sanction(s) per record."""
    workbook = open_workbook(path)
    try:
        sheet = workbook.worksheets[0]
        number, columns = _header(sheet.iter_rows(values_only=True), sheet.title)
        width = max(columns.values()) + 1
        rows = sheet.iter_rows(min_row=number + 1, max_col=width, values_only=True)
        for group in _groups(ctx, rows, number + 1, columns, sheet.title):
            yield from _record(ctx, group, sheet.title)
    finally:
        workbook.close()
    stamp = core_modified(path)
    if stamp:
        ctx.set_published(stamp, "docProps/core.xml dcterms:modified (the time the workbook "
                                 "was last saved; the list states no date in its cells)")
    else:
        ctx.issue("missing_published_date", "the workbook has no docProps/core.xml "
                  "dcterms:modified; no publication date", location="docProps/core.xml")


def _groups(ctx: ParseContext, rows: Iterable[tuple[Any, ...]], first: int,
            columns: dict[str, int], sheet: str) -> Iterator[_Group]:
    """Rows grouped by the number of their Reference, in order of first appearance.

    Grouped over the whole sheet: a few alias rows sit away from their record (2940j)."""
    groups: dict[str, _Group] = {}
    for number, row in enumerate(rows, start=first):
        values = {f: row[i] for f, i in columns.items() if i < len(row)}
        if not any(collapse(v) for v in values.values()):
            continue  # blank row (the sheet ends with a few)
        reference = collapse(values.get("reference")).removesuffix(".0")
        match = _REFERENCE.match(reference)
        if match is None:
            ctx.issue("invalid_reference", f"row without a usable Reference {reference!r}; "
                      "the row is left out", value=reference,
                      location=f"row {number} of sheet {sheet}")
            continue
        base = match.group(1)
        group = groups.get(base)
        if group is None:
            group = groups[base] = _Group(base)
        group.rows.append(_Row(number, match.group(2).lower(), values))
    yield from groups.values()


def _record(ctx: ParseContext, group: _Group, sheet: str) -> Iterator[Entity]:
    first = group.rows[0]
    where = f"row {first.number} of sheet {sheet}"
    primary = next((r for r in group.rows if _name_type(r) == "primary name"), first)
    kind = _label(primary.values.get("type"))
    schema = SCHEMATA.get(kind)
    entity = ctx.entity(schema or "LegalEntity", group.reference)
    if schema is None:
        ctx.issue("unknown_type", f"Type {kind!r} is not Individual or Entity; kept as a "
                  "legal entity", record_id=entity.id, prop="type", value=kind, location=where)
    _names(ctx, entity, group, sheet)
    for column, value, number in _distinct(group, DETAIL_COLUMNS):
        _detail(ctx, entity, column, value, f"row {number} of sheet {sheet}")
    yield entity
    yield from _sanctions(ctx, entity, group)


def _name_type(row: _Row) -> str:
    return _label(row.values.get("name_type"))


def _names(ctx: ParseContext, entity: Entity, group: _Group, sheet: str) -> None:
    has_primary = False
    for row in group.rows:
        where = f"row {row.number} of sheet {sheet}"
        name = collapse(row.values.get("name"))
        kind = _name_type(row)
        prop = NAME_PROPS.get(kind)
        if prop is None:
            ctx.issue("unknown_name_type", f"Name Type {kind!r} unknown; name kept as an alias",
                      record_id=entity.id, prop="alias", value=kind, location=where)
            prop = "alias"
        if not name:
            ctx.issue("missing_name", f"{row.values.get('name_type')!r} row without a name",
                      record_id=entity.id, prop="name", location=where)
            continue
        has_primary = has_primary or kind == "primary name"
        ctx.add(entity, prop, name, location=where)
    if not has_primary:
        ctx.issue("missing_primary_name", "record without a 'Primary Name' row",
                  record_id=entity.id, prop="name", location=f"row {group.rows[0].number} "
                  f"of sheet {sheet}")
        if not entity.get("name") and entity.get("alias"):
            entity.put("name", Value(entity.get("alias")[0]))


def _parts(raw: object, separator: str | None = None) -> list[str]:
    """A cell split into its "a) ... b) ..." items (and on `separator`); placeholders such as
    "NA" dropped."""
    text = collapse(raw)
    if text.lower() in _EMPTY:
        return []
    items = _LETTERED.split(text) if text.startswith("a)") else [text]
    if separator:
        items = [piece for item in items for piece in item.split(separator)]
    return [p.strip(" ;,") for p in items if p.strip(" ;,").lower() not in _EMPTY]


DETAIL_COLUMNS = ("dob", "pob", "citizenship", "address", "info")


def _distinct(group: _Group, columns: tuple[str, ...]) -> Iterator[tuple[str, Any, int]]:
    """Each distinct (column, value) of a record's rows, with the first row stating it.

    Every row of a record repeats the record's details; reading each once keeps the parse
    fast and states each problem once."""
    seen: set[tuple[str, Any]] = set()
    for row in group.rows:
        for column in columns:
            value = row.values.get(column)
            if value is None or (column, value) in seen:
                continue
            seen.add((column, value))
            yield column, value, row.number


def _detail(ctx: ParseContext, entity: Entity, column: str, value: Any, where: str) -> None:
    if column == "address":
        ctx.add_many(entity, "address", _parts(value, ";"), location=where)
    elif column == "info":
        if isinstance(value, str) and value.strip():
            ctx.add(entity, "notes", value, location=where)
            add_identifiers(ctx, entity, value, where)
    elif entity.schema != "Person":
        # Entities have no birth details; keep anything the publisher put there as notes.
        text = collapse(value)
        if text and text.lower() not in _EMPTY:
            ctx.add(entity, "notes", f"{LABELS[column].title()}: {text}", location=where)
    elif column == "dob":
        _birth_dates(ctx, entity, value, where)
    elif column == "pob":
        ctx.add_many(entity, "birthPlace", _parts(value), location=where)
    else:
        for citizenship in _parts(value):
            _countries(ctx, entity, "citizenship", citizenship, where)


def _birth_dates(ctx: ParseContext, entity: Entity, raw: object, where: str) -> None:
    text = collapse(raw) if not isinstance(raw, datetime | date | int | float) else ""
    if raw is None or (isinstance(raw, str) and text.lower() in _EMPTY):
        return
    dates = free_text_dates(raw)
    if dates is None:
        ctx.issue("invalid_date", f"birthDate: cannot read {text[:80]!r} as a date",
                  record_id=entity.id, prop="birthDate", value=text, location=where)
        return
    original = text if text and [text] != dates else None
    known = entity.get("birthDate")
    for value in dates:  # already ISO dates checked by parse_date
        if value not in known:  # rows of a record may write the same date differently
            entity.put("birthDate", Value(value, None, original))


_SPLIT_COUNTRIES = re.compile(r"\s*(?:;|,|/|\band\b)\s*")


@cache
def _is_country(text: str) -> bool:
    from followthemoney.types import registry

    return registry.country.clean(text) is not None


def _countries(ctx: ParseContext, entity: Entity, prop: str, text: str, where: str) -> None:
    """"Russian and Ukrainian", "Syrian; French": the whole text first, then its parts."""
    for candidate in (text, _PARENS.sub(" ", text).strip()):
        if candidate and _is_country(candidate):
            ctx.add(entity, prop, candidate, location=where)
            return
    parts = [p for p in _SPLIT_COUNTRIES.split(_PARENS.sub(" ", text)) if p.strip()]
    for part in parts if len(parts) > 1 else [text]:
        ctx.add(entity, prop, part, location=where)


# -- identifiers in Additional Information ------------------------------------------------
_NUMBER = r"([A-Z0-9][A-Z0-9\-/ ]{2,30}?[A-Z0-9])"
_COUNTRY = r"(?:\s*\(([A-Za-z .,'\-]+)\))?"
_DFAT_LABELS: list[tuple[str, str]] = [
    (r"(?:Company|State) (?:identification|registration) (?:No\.?|number)", "registrationNumber"),
    (r"Registration ID \(OGRN no\.?\)", "ogrnCode"),
    (r"IMO Identification Number|International Maritime Organization \(IMO\) "
     r"(?:Ship )?(?:No\.?|Number)", "imoNumber"),
    (r"Tax ID(?: No\.?)?", "taxNumber"),
    (r"Bank Identifier Code \(BIC\)", "swiftBic"),
    (r"Legal Entity Identifier \(LEI\)", "leiCode"),
    (r"National (?:identity card|identification|ID) (?:no\.?|number)", "idNumber"),
]
# Russian passports written as series and number, "96 03 464086" (the common pattern stops
# at the first space).
_SPACED_PASSPORT = re.compile(r"\bpassport (?:number|no\.?)\s*:?\s*(\d{2} \d{2} \d{6})\b", re.I)
_DFAT_PATTERNS = [
    (re.compile(rf"\b(?:{label})\s*[:#]?\s*{_NUMBER}{_COUNTRY}(?=$|[;,.)\s])", re.I), prop)
    for label, prop in _DFAT_LABELS
]


def russian_code(prop: str, value: str, country: str | None) -> str:
    """Upgrade a registration number to ogrnCode / a tax number to innCode when it is a
    valid Russian OGRN / INN and no other country is stated."""
    from stdnum.ru import inn, ogrn

    if country and "russia" not in country.lower():
        return prop
    compact = re.sub(r"[\s\-]", "", value)
    if prop in ("registrationNumber", "ogrnCode"):
        return "ogrnCode" if ogrn.is_valid(compact) else "registrationNumber"
    if prop == "taxNumber" and inn.is_valid(compact):
        return "innCode"
    return prop


def add_identifiers(ctx: ParseContext, entity: Entity, text: str, where: str) -> None:
    """Identifiers in a free-text remark: DFAT's own labels, then the common ones."""
    flat = collapse(text)
    seen: set[str] = set()
    for pattern, prop in _DFAT_PATTERNS:
        for match in pattern.finditer(flat):
            value, country = match.group(1).strip(" ./"), match.group(2)
            if not any(ch.isdigit() for ch in value):
                continue
            typed = russian_code(prop, value, country)
            if typed == "imoNumber":
                digits = re.sub(r"\D", "", value)
                value = f"IMO{digits}" if len(digits) == 7 else value
            seen.add(re.sub(r"\D", "", value))
            add_identifier(ctx, entity, typed, value, where)
    for match in _SPACED_PASSPORT.finditer(flat):
        seen.add(re.sub(r"\D", "", match.group(1)))
        add_identifier(ctx, entity, "passportNumber", match.group(1), where)
    for ident in extract_identifiers(flat):
        digits = re.sub(r"\D", "", ident.value)
        if digits and any(digits in known for known in seen):
            continue  # already read under DFAT's more specific label
        add_identifier(ctx, entity, ident.prop, ident.value, where)


def add_identifier(ctx: ParseContext, entity: Entity, prop: str, value: str,
                    where: str) -> None:
    from followthemoney import model

    schema = model.get(entity.schema)
    assert schema is not None
    if prop in ("innCode", "ogrnCode", "okpoCode", "kppCode") and schema.get(prop) is None:
        prop = "registrationNumber" if prop == "ogrnCode" else "taxNumber"
    if schema.get(prop) is None:
        prop = "registrationNumber" if schema.get("registrationNumber") else "notes"
    ctx.add(entity, prop, value, location=where)


# -- designations -----------------------------------------------------------------------
def _sanctions(ctx: ParseContext, entity: Entity, group: _Group) -> Iterator[Entity]:
    by_committee: dict[str, list[_Row]] = {}
    for row in group.rows:
        committee = collapse(row.values.get("committees"))
        by_committee.setdefault(committee, []).append(row)
    for committee, rows in by_committee.items():
        listing = [r.values.get("listing") for r in rows if r.values.get("listing")]
        sanction = ctx.sanction(
            entity, committee or "dfat",
            program=committee or None, recordId=group.reference, authorityId=group.reference,
            sourceUrl=SOURCE_URL,
            modifiedAt=[r.values.get("control_date") for r in rows
                        if r.values.get("control_date")],
            location=f"row {rows[0].number}",
        )
        for text in listing:
            if isinstance(text, datetime | date):
                ctx.add(sanction, "listingDate", text)
                continue
            ctx.add(sanction, "summary", collapse(text))
            listed = _LISTED_ON.search(collapse(text))
            if listed:
                date_match = _DATE_TOKEN.search(listed.group(1))
                ctx.add(sanction, "listingDate", _token_date(date_match) if date_match else None)
        yield sanction
