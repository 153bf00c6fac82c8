"""FCDO UK Sanctions List: UK_Sanctions_List.xml, .csv and .ods.

Three layouts are read:

- the XML (root `Designations`, `DateGenerated`, one `Designation` per designation);
- the published CSV / ODS: a "Report Date" line, then a header with the fields of the XML
  (Unique ID, OFSI Group ID, Name 1-6, Name type, ... Hull identification number (HIN)),
  one row per name (and per address, nationality...) of each designation;
- a reduced 8-column export (Unique ID, OFSI Group ID, Name, Regime Name, Type,
  Designation source, Date Designated dd-mm-yyyy, Sanctions Imposed), one row per
  designation.

The XML is turned into rows keyed like the CSV columns, so that one row handler serves all
layouts. Entity ids are `uk-fcdo-<Unique ID>`. A target designated under several regimes has
one Unique ID per designation and one OFSI Group ID: it becomes one entity, whose id comes
from the first of its Unique IDs in sort order, with one Sanction per designation (the
Sanction id always comes from its own Unique ID).

Each Sanction carries `authorityId` = [Unique ID, OFSI Group ID]; the OFSI Consolidated List
(uk_ofsi) puts [Group ID, UK Sanctions List Ref] there, so the two UK publications join on
authorityId. The group id is not put on the target as an identifier: it is an OFSI record
number, not a property of the person, and would mislead name-free matching.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from lxml import etree

from pressurepoint.errors import FormatError
from pressurepoint.ingest.cleaning import collapse, parse_dates
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import open_raw, open_zip_member, read_bytes
from pressurepoint.ingest.parsers.ofsi_conlist import decode_csv
from pressurepoint.ingest.parsers.uk_values import (
    add_labelled,
    add_value,
    business_identifiers,
    countries_in,
    date_items,
    free_text,
    language_code,
    put_source_url,
    schema_for,
    split_items,
)
from pressurepoint.model import Entity, Value

SOURCE_URL = "https://www.gov.uk/government/publications/the-uk-sanctions-list"
ROOT = "Designations"
HEADER_SEARCH_ROWS = 5

# Column key -> header names (lower case, single spaces) of the CSV / ODS layouts.
COLUMNS: dict[str, tuple[str, ...]] = {
    "last_updated": ("last updated",), "unique_id": ("unique id",),
    "group_id": ("ofsi group id",), "un_ref": ("un reference number",),
    **{f"name{i}": (f"name {i}",) for i in range(1, 7)},
    "name": ("name",), "name_type": ("name type",), "alias_strength": ("alias strength",),
    "title": ("title",), "non_latin": ("name non-latin script",),
    "non_latin_language": ("non-latin script language",),
    "regime": ("regime name",), "kind": ("designation type", "type"),
    "source": ("designation source",), "sanctions": ("sanctions imposed",),
    "other": ("other information",), "reasons": ("uk statement of reasons",),
    **{f"address{i}": (f"address line {i}",) for i in range(1, 7)},
    "postcode": ("address postal code",), "address_country": ("address country",),
    "phone": ("phone number",), "website": ("website",), "email": ("email address",),
    "designated": ("date designated",), "dob": ("d.o.b", "dob"),
    "nationality": ("nationality(/ies)", "nationality"),
    "id_number": ("national identifier number",),
    "id_details": ("national identifier additional information",),
    "passport_number": ("passport number",),
    "passport_details": ("passport additional information",),
    "position": ("position",), "gender": ("gender",), "town_of_birth": ("town of birth",),
    "country_of_birth": ("country of birth",), "entity_type": ("type of entity",),
    "subsidiaries": ("subsidiaries",), "parent": ("parent company",),
    "business_reg": ("business registration number (s)", "business registration number(s)"),
    "imo": ("imo number",), "owner": ("current owner/operator (s)",),
    "previous_owner": ("previous owner/operator (s)",),
    "flag": ("current believed flag of ship",), "past_flags": ("previous flags",),
    "ship_type": ("type of ship",), "tonnage": ("tonnage of ship",),
    "length": ("length of ship",), "year_built": ("year built",),
    "hin": ("hull identification number (hin)",),
}
REQUIRED = {"unique_id": "Unique ID", "regime": "Regime Name", "kind": "Designation Type"}
NAME_PROPS = {"primary name": "name", "primary name variation": "alias", "alias": "alias"}
Row = dict[str, str]
Splitter = Callable[[str], list[str]]
# Cells of the row layouts: column key -> FtM property and how to split the cell.
CELLS: tuple[tuple[str, str, Splitter], ...] = (
    ("title", "title", split_items), ("position", "position", split_items),
    ("dob", "birthDate", date_items), ("nationality", "nationality", countries_in),
    ("town_of_birth", "birthPlace", split_items),
    ("country_of_birth", "birthCountry", countries_in),
    ("passport_number", "passportNumber", split_items),
    ("id_number", "idNumber", split_items), ("gender", "gender", split_items),
    ("address_country", "country", countries_in), ("entity_type", "legalForm", split_items),
    ("flag", "flag", countries_in), ("past_flags", "pastFlags", countries_in),
    ("ship_type", "type", split_items), ("tonnage", "tonnage", split_items),
    ("year_built", "buildDate", date_items),
)
LABELLED = (("phone", "phone"), ("email", "email"), ("website", "website"),
            ("imo", "imoNumber"))
NOTES = (("passport_details", "Passport"), ("id_details", "National identifier"),
         ("parent", "Parent company"), ("subsidiaries", "Subsidiaries"),
         ("owner", "Current owner/operator"), ("previous_owner", "Previous owner/operator"),
         ("length", "Length of ship"), ("hin", "Hull identification number"))
ADDRESS = (*(f"address{i}" for i in range(1, 7)), "postcode", "address_country")


# -- designations -------------------------------------------------------------------------
@dataclass
class _Designation:
    entity: Entity
    group_id: str
    where: str
    seen: set[tuple[str, str]] = field(default_factory=set)
    sanction: dict[str, list[str]] = field(default_factory=dict)


class _Builder:
    """Gathers the rows of each Unique ID into one designation."""

    def __init__(self, ctx: ParseContext, provisions_separator: str = "|") -> None:
        self.ctx = ctx
        self.items: dict[str, _Designation] = {}
        self.separator = provisions_separator

    def add_row(self, where: str, row: Row) -> None:
        uid = row.get("unique_id", "")
        if not uid:
            self.ctx.issue("missing_unique_id", "row without a Unique ID", location=where)
            return
        item = self.items.get(uid) or self._new(uid, row, where)
        if row.get("group_id") and not item.group_id:
            item.group_id = row["group_id"]
        self._names(item, row, where)
        self._designation(item, row, where)
        self._details(item, row, where)

    def _new(self, uid: str, row: Row, where: str) -> _Designation:
        schema = schema_for(row.get("kind", ""))
        if schema == "LegalEntity":
            self.ctx.issue("unknown_designation_type", f"unknown type {row.get('kind')!r}",
                           record_id=self.ctx.make_id(uid), value=row.get("kind"),
                           location=where)
        item = _Designation(self.ctx.entity(schema, uid), row.get("group_id", ""), where)
        self.items[uid] = item
        return item

    def fresh(self, item: _Designation, key: str, raw: str) -> bool:
        if not raw or (key, raw) in item.seen:
            return False
        item.seen.add((key, raw))
        return True

    def _names(self, item: _Designation, row: Row, where: str) -> None:
        parts = [row.get(f"name{i}", "") for i in range(1, 7)]
        full = " ".join(p for p in parts if p) or row.get("name", "")
        name_type = row.get("name_type", "").lower()
        prop = NAME_PROPS.get(name_type, "name" if not name_type else "alias")
        if name_type and name_type not in NAME_PROPS and self.fresh(item, "type", name_type):
            self.ctx.issue("unknown_name_type", f"unknown Name type {row['name_type']!r}; "
                           "name kept as an alias", record_id=item.entity.id,
                           value=row["name_type"], location=where)
        if prop == "alias" and row.get("alias_strength", "").lower().startswith("low"):
            prop = "weakAlias"
        if self.fresh(item, prop, full):
            add_value(self.ctx, item.entity, prop, full, where)
        if self.fresh(item, "non_latin", row.get("non_latin", "")):
            add_value(self.ctx, item.entity, "name", row["non_latin"], where,
                      language_code(row.get("non_latin_language")))

    def _designation(self, item: _Designation, row: Row, where: str) -> None:
        props = item.sanction
        for key, prop in (("regime", "program"), ("un_ref", "unscId"), ("reasons", "reason"),
                          ("source", "description")):
            raw = row.get(key, "")
            if raw and raw not in props.setdefault(prop, []):
                props[prop].append(raw if key != "source" else f"Designation source: {raw}")
        for item_raw in row.get("sanctions", "").split(self.separator):
            if item_raw.strip() and item_raw.strip() not in props.setdefault("provisions", []):
                props["provisions"].append(item_raw.strip())
        for key, prop in (("designated", "listingDate"), ("last_updated", "modifiedAt")):
            raw = row.get(key, "")
            if not self.fresh(item, key, raw):
                continue
            if parse_dates(raw) is None:
                self.ctx.issue("invalid_date", f"{prop}: cannot read {raw!r} as a date",
                               record_id=item.entity.id, prop=prop, value=raw, location=where)
            else:
                props.setdefault(prop, []).append(raw)
        if self.fresh(item, "other", row.get("other", "")):
            free_text(self.ctx, item.entity, collapse(row["other"]), where)

    def _details(self, item: _Designation, row: Row, where: str) -> None:
        entity = item.entity
        for key, prop, items_of in CELLS:
            if self.fresh(item, key, row.get(key, "")):
                for value in items_of(row[key]):
                    add_value(self.ctx, entity, prop, value, where)
        for key, prop in LABELLED:
            if self.fresh(item, key, row.get(key, "")):
                add_labelled(self.ctx, entity, prop, row[key], where)
        for key, label in NOTES:
            if self.fresh(item, key, row.get(key, "")):
                self.ctx.add(entity, "notes", f"{label}: {collapse(row[key])}", location=where)
        if self.fresh(item, "business_reg", row.get("business_reg", "")):
            for ident in business_identifiers(row["business_reg"]):
                add_value(self.ctx, entity, ident.prop, ident.value, where)
        address = ", ".join(p for p in (row.get(key, "") for key in ADDRESS) if p)
        if self.fresh(item, "address", address):
            add_value(self.ctx, entity, "address", address, where)

    def entities(self) -> Iterator[Entity]:
        """Targets (several designations of one OFSI group merged) and their Sanctions."""
        groups: dict[str, list[str]] = {}
        for uid, item in self.items.items():
            if item.group_id:
                groups.setdefault(item.group_id, []).append(uid)
        targets: dict[str, Entity] = {}
        sanctions: list[Entity] = []
        for uid in sorted(self.items):
            item = self.items[uid]
            first = min(groups.get(item.group_id, [uid]))
            stated: dict[str, Any] = dict(item.sanction)
            sanction = self.ctx.sanction(  # key None: the id is "uk-fcdo-<uid>-sanction"
                item.entity, None, location=item.where, recordId=uid,
                authorityId=[uid, item.group_id], **stated)
            put_source_url(sanction, SOURCE_URL)
            target = targets.get(first)
            if target is None or not _merge(self.ctx, target, item, uid):
                targets[uid] = target = item.entity
            sanction.props["entity"] = [Value(target.id)]
            sanctions.append(sanction)
        yield from targets.values()
        yield from sanctions


def _merge(ctx: ParseContext, target: Entity, item: _Designation, uid: str) -> bool:
    """Fold a designation's entity into the target of its OFSI group."""
    from followthemoney import model

    try:
        common = model.common_schema(target.schema, item.entity.schema)
    except Exception:  # FtM raises InvalidData for unrelated schemata
        ctx.issue("group_type_conflict", f"{uid} shares OFSI Group ID {item.group_id} with "
                  f"{target.id} but is a {item.entity.schema}, not a {target.schema}",
                  record_id=item.entity.id, value=item.group_id, location=item.where)
        return False
    target.schema = common.name
    for prop, value in item.entity.values():
        target.put(prop, value)
    return True


# -- the XML ------------------------------------------------------------------------------
SINGLE_TAGS = (("LastUpdated", "last_updated"), ("DateDesignated", "designated"),
               ("UniqueID", "unique_id"), ("OFSIGroupID", "group_id"),
               ("UNReferenceNumber", "un_ref"), ("RegimeName", "regime"),
               ("IndividualEntityShip", "kind"), ("DesignationSource", "source"),
               ("SanctionsImposed", "sanctions"), ("OtherInformation", "other"),
               ("UKStatementofReasons", "reasons"))
# Repeated elements -> {child tag: row key}; one row per element.
REPEATED: tuple[tuple[str, dict[str, str]], ...] = (
    ("Name", {**{f"Name{i}": f"name{i}" for i in range(1, 7)}, "Name": "name",
              "NameType": "name_type", "AliasStrength": "alias_strength"}),
    ("NonLatinName", {"NameNonLatinScript": "non_latin",
                      "NonLatinScriptLanguage": "non_latin_language"}),
    ("Address", {**{f"AddressLine{i}": f"address{i}" for i in range(1, 7)},
                 "AddressPostalCode": "postcode", "AddressCountry": "address_country"}),
    ("Passport", {"PassportNumber": "passport_number",
                  "PassportAdditionalInformation": "passport_details"}),
    ("NationalIdentifier", {"NationalIdentifierNumber": "id_number",
                            "NationalIdentifierAdditionalInformation": "id_details"}),
    ("Location", {"TownOfBirth": "town_of_birth", "CountryOfBirth": "country_of_birth"}),
)
# Leaf elements that may repeat -> row key.
LEAVES = {
    "Title": "title", "PhoneNumber": "phone", "EmailAddress": "email", "Website": "website",
    "DOB": "dob", "Nationality": "nationality", "Gender": "gender", "Position": "position",
    "TypeOfEntity": "entity_type", "BusinessRegistrationNumber": "business_reg",
    "ParentCompany": "parent", "Subsidiary": "subsidiaries", "IMONumber": "imo",
    "CurrentOwnerOperator": "owner", "PreviousOwnerOperator": "previous_owner",
    "CurrentBelievedFlagOfShip": "flag", "PreviousFlag": "past_flags",
    "TypeOfShip": "ship_type", "TonnageOfShip": "tonnage", "LengthOfShip": "length",
    "YearBuilt": "year_built", "HullIdentificationNumber": "hin",
}


def _local(tag: object) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def _xml_rows(designation: etree._Element) -> list[Row]:
    """One Designation element as rows keyed like the CSV columns."""
    first: Row = {}
    rows = [first]
    singles = dict(SINGLE_TAGS)
    repeated = dict(REPEATED)
    for el in designation.iter():
        tag = _local(el.tag)
        if el.getparent() is designation and tag in singles:
            first[singles[tag]] = (el.text or "").strip()
        elif tag in repeated and len(el):
            row = {key: (child.text or "").strip() for child in el
                   if (key := repeated[tag].get(_local(child.tag)))}
            rows.append(row)
        elif tag in LEAVES and not len(el) and el.text and el.text.strip():
            rows.append({LEAVES[tag]: el.text.strip()})
    return rows


def parse_xml(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """UK_Sanctions_List.xml, streamed: each Designation is read, then freed."""
    builder = _Builder(ctx)
    with open_raw(path) as handle:
        root = _read_designations(ctx, builder, handle)
    if root is None:
        raise FormatError("no XML root element")
    yield from builder.entities()


def _read_designations(ctx: ParseContext, builder: _Builder,
                       handle: IO[bytes]) -> etree._Element | None:
    root: etree._Element | None = None
    for event, el in etree.iterparse(handle, events=("start", "end"), huge_tree=True):
        if root is None:
            if _local(el.tag) != ROOT:
                raise FormatError(f"root element is <{_local(el.tag)}>, not <{ROOT}>")
            root = el
            continue
        if event != "end" or el.getparent() is not root:
            continue
        tag = _local(el.tag)
        if tag == "DateGenerated" and el.text:
            ctx.set_published(el.text.strip(), "DateGenerated")
        elif tag == "Designation":
            where = f"line {el.sourceline}"
            for row in _xml_rows(el):
                builder.add_row(where, {"unique_id": _uid(el), **row})
            el.clear(keep_tail=False)
            while el.getprevious() is not None:
                del root[0]
    return root


def _uid(designation: etree._Element) -> str:
    for child in designation:
        if _local(child.tag) == "UniqueID":
            return (child.text or "").strip()
    return ""


# -- the CSV and ODS layouts --------------------------------------------------------------
class _Table:
    """Header detection and row mapping for the CSV and ODS layouts."""

    def __init__(self, ctx: ParseContext, unit: str) -> None:
        self.ctx = ctx
        self.unit = unit
        self.index: dict[str, int] | None = None
        self.width = 0
        self.builder = _Builder(ctx)

    def feed(self, number: int, cells: list[str]) -> None:
        where = f"{self.unit} {number}"
        if self.index is not None:
            row = {key: cells[i].strip() for key, i in self.index.items() if i < len(cells)}
            self.builder.add_row(where, row)
            return
        lowered = [" ".join(c.split()).lower() for c in cells]
        if "unique id" in lowered:
            self.index = self._header(lowered, where)
            self.width = len(cells)
        elif cells and cells[0].lower().startswith("report date"):
            stated = cells[0].split(":", 1)[-1].strip().replace("-", " ")
            self.ctx.set_published(stated, f"'Report Date' in {where}")
        elif number >= HEADER_SEARCH_ROWS:
            raise FormatError(f"no header row (with 'Unique ID') in the first "
                              f"{HEADER_SEARCH_ROWS} {self.unit}s")

    def _header(self, lowered: list[str], where: str) -> dict[str, int]:
        positions = {name: i for i, name in enumerate(lowered) if name}
        index = {key: positions[h] for key, heads in COLUMNS.items() for h in heads
                 if h in positions}
        missing = [label for key, label in REQUIRED.items() if key not in index]
        if "name6" not in index and "name" not in index:
            missing.append("Name 6")
        if missing:
            raise FormatError(f"{where}: header lacks required column(s) {', '.join(missing)}")
        if "name6" not in index:  # the reduced export: "Asset freeze, Travel Ban"
            self.builder.separator = ","
        return index

    def entities(self) -> Iterator[Entity]:
        if self.index is None:
            raise FormatError("no header row (with 'Unique ID') found")
        yield from self.builder.entities()


def parse_csv(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """UK_Sanctions_List.csv: "Report Date: dd-Mon-yyyy", header, one row per name."""
    reader = csv.reader(io.StringIO(decode_csv(read_bytes(path)), newline=""))
    table = _Table(ctx, "line")
    short: str | None = None  # a short row is an Issue, or a cut-off file if it is the last
    for cells in reader:
        if short is not None:
            ctx.issue("short_row", "row has fewer fields than the header", location=short)
            short = None
        if not any(c.strip() for c in cells):
            continue
        if table.index is not None and len(cells) < table.width:
            short = f"line {reader.line_num}"
            continue
        table.feed(reader.line_num, cells)
    if short is not None:
        raise FormatError(f"{short}: last row has fewer fields than the header (truncated file?)")
    yield from table.entities()


def parse_ods(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """UK_Sanctions_List.ods (full layout) or the reduced 8-column export."""
    table = _Table(ctx, "row")
    for number, cells in ods_rows(path):
        table.feed(number, cells)
    yield from table.entities()


# -- a streaming ODS reader ---------------------------------------------------------------
# python-calamine rejects these files (pretty-printed content.xml: whitespace between
# cells) and odfpy builds the whole document tree; iterparse over content.xml streams.
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_VALUE_ATTRS = {"date": "date-value", "time": "time-value", "float": "value",
                "percentage": "value", "currency": "value", "boolean": "boolean-value"}
MAX_REPEAT = 1024


def ods_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of the first sheet; empty rows are skipped."""
    with open_zip_member(path, ("content.xml",)) as handle:
        number = 0
        events = etree.iterparse(handle, events=("start", "end"),
                                 tag=(f"{_T}table", f"{_T}table-row"))
        for event, el in events:
            if el.tag == f"{_T}table":
                if event == "end":  # only the first sheet
                    return
                continue
            if event != "end":
                continue
            repeat = int(el.get(f"{_T}number-rows-repeated", "1"))
            cells = _ods_cells(el)
            el.clear(keep_tail=False)
            while el.getprevious() is not None:
                del el.getparent()[0]
            for _ in range(min(repeat, MAX_REPEAT) if cells else 0):
                number += 1
                yield number, cells
            number += repeat if not cells else max(0, repeat - MAX_REPEAT)
    raise FormatError("content.xml holds no table")


_CELL = f"{_T}table-cell"
_COVERED = f"{_T}covered-table-cell"
_REPEAT = f"{_T}number-columns-repeated"
_P = f"{_TEXT}p"
_TYPE = f"{_OFFICE}value-type"


def _ods_cells(row: etree._Element) -> list[str]:
    cells: list[str] = []
    blanks = 0
    for cell in row:
        if cell.tag != _CELL and cell.tag != _COVERED:
            continue
        repeat = int(cell.get(_REPEAT, "1"))
        value = _ods_value(cell) if len(cell) or cell.get(_TYPE) else ""
        if not value:
            blanks += repeat
            continue
        cells.extend([""] * blanks)
        blanks = 0
        cells.extend([value] * min(repeat, MAX_REPEAT))
    return cells


def _ods_value(cell: etree._Element) -> str:
    attr = _VALUE_ATTRS.get(cell.get(_TYPE) or "")
    if attr and cell.get(f"{_OFFICE}{attr}") is not None:
        return str(cell.get(f"{_OFFICE}{attr}"))
    if len(cell) == 1:  # the common case, kept fast: one paragraph of plain text
        only = cell[0]
        if only.tag == _P and not len(only):
            return (only.text or "").strip()
    return "\n".join(_paragraph(p) for p in cell.iterchildren(_P)).strip()


def _paragraph(p: etree._Element) -> str:
    parts: list[str] = [p.text or ""]
    for child in p.iter():
        if child is p:
            continue
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        else:
            parts.append(child.text or "")
        parts.append(child.tail or "")
    return "".join(parts)
