"""OFAC legacy XML (sdnList: sdn.xml, consolidated.xml), and the record model that all three
OFAC formats share.

Every OFAC format is first read into an `OfacRecord` (names, facts, addresses, links);
`OfacBuilder` turns records into entities in one way, so the CSV set, this XML and the
Enhanced XML of one list give the same entity ids and, as far as the formats carry the
same facts, the same statements. Ids: `<source>-<ent_num>` (OFAC's SDN and consolidated
lists share the ent_num space).

Schema choice: individuals are Person, vessels Vessel, aircraft Airplane. OFAC's "Entity"
(CSV type `-0-`) is an Organization, and a Company when the record carries a company-only
fact (ISIN, equity ticker, BIK): the rule reads facts that every format carries, so a
record gets the same schema whatever format it came in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.types import registry
from lxml import etree

from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import open_raw
from pressurepoint.ingest.identifiers import (
    extract_identifiers,
    normalize_imo,
    valid_inn,
    valid_ogrn,
)
from pressurepoint.ingest.parsers.ofac_remarks import (
    DOCUMENT_PROPS,
    FEATURE_PROPS,
    NOTE_KEYS,
    PLACEHOLDERS,
    PROP_FALLBACK,
    Fact,
    OfacRecord,
    address_line,
    clean_text,
    is_country,
    is_document,
    is_number_like,
    is_provision,
    make_fact,
    parse_remarks,
    sanction_date_prop,
    split_person_name,
)
from pressurepoint.model import Entity, Value

ROOT = "sdnList"
# vesselInfo children -> the labels the CSV columns and the Enhanced XML features use.
VESSEL_FACTS = {
    "callSign": "Vessel Call Sign", "vesselType": "VESSEL TYPE", "vesselFlag": "Vessel Flag",
    "vesselOwner": "Vessel Owner", "tonnage": "Vessel Tonnage",
    "grossRegisteredTonnage": "Vessel Gross Registered Tonnage",
}
LIST_FACTS = {
    "dateOfBirthItem": ("dateOfBirth", "Birthdate"),
    "placeOfBirthItem": ("placeOfBirth", "Place of Birth"),
    "nationality": ("country", "Nationality Country"),
    "citizenship": ("country", "Citizenship Country"),
}


def local(tag: object) -> str:
    """An element's tag without its namespace (OFAC's namespace changes between versions)."""
    text = str(tag)
    return text.rpartition("}")[2]


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield each sdnEntry as entities, then the links between entries."""
    builder = OfacBuilder(ctx)
    count, stated = 0, None
    with open_raw(path) as handle:
        events = etree.iterparse(handle, events=("start", "end"), huge_tree=True)
        root = None
        for event, element in events:
            if root is None:
                if local(element.tag) != ROOT:
                    raise FormatError(f"root element is <{local(element.tag)}>, not <{ROOT}>")
                root = element
                continue
            if event != "end":
                continue
            tag = local(element.tag)
            if tag == "sdnEntry":
                count += 1
                record = read_entry(ctx, element)
                if record is not None:
                    yield from builder.build(record)
                element.clear(keep_tail=False)
                while element.getprevious() is not None:
                    del root[0]
            elif tag == "Publish_Date" and element.text:
                _published(ctx, element.text, element.sourceline)
            elif tag == "Record_Count" and element.text and element.text.strip().isdigit():
                stated = int(element.text.strip())
    if root is None:
        raise FormatError("no XML root element")
    if stated is not None and stated != count:
        ctx.issue("record_count_mismatch", f"file states {stated} records, holds {count}",
                  value=str(stated), location="Record_Count")
    yield from builder.finish()


def _published(ctx: ParseContext, text: str, line: int | None) -> None:
    """Publish_Date is MM/DD/YYYY."""
    try:
        ctx.set_published(datetime.strptime(text.strip(), "%m/%d/%Y").date(), "Publish_Date")
    except ValueError:
        ctx.issue("invalid_published_date", f"cannot read Publish_Date {text!r}", value=text,
                  location=f"line {line}")


def _child_texts(element: etree._Element) -> dict[str, str]:
    texts: dict[str, str] = {}
    for child in element:
        if child.text and child.text.strip():
            texts[local(child.tag)] = " ".join(child.text.split())
    return texts


def read_entry(ctx: ParseContext, entry: etree._Element) -> OfacRecord | None:
    """One sdnEntry as an OfacRecord (None, with an issue, if it has no uid)."""
    where = f"line {entry.sourceline}"
    top = _child_texts(entry)
    uid = top.get("uid")
    if not uid:
        ctx.issue("missing_id", "sdnEntry without uid", location=where)
        return None
    last, first = top.get("lastName", ""), top.get("firstName")
    record = OfacRecord(
        ent_num=uid, kind=top.get("sdnType", ""), location=where,
        name=f"{last}, {first}" if first and last else (last or first or ""),
        first_name=first, last_name=last or None,
    )
    if top.get("title"):
        record.titles.append(top["title"])
    remarks = parse_remarks(top.get("remarks"), top.get("title"))
    record.add_remarks(remarks)
    for section in entry:
        _read_section(record, local(section.tag), section)
    return record


def _read_section(record: OfacRecord, tag: str, section: etree._Element) -> None:
    if tag == "programList":
        record.programs.extend(" ".join(p.text.split()) for p in section if p.text)
    elif tag == "vesselInfo":
        for key, value in _child_texts(section).items():
            if key in VESSEL_FACTS:
                record.facts.append(Fact(VESSEL_FACTS[key], value))
    elif tag in ("akaList", "addressList", "idList", "nationalityList", "citizenshipList",
                 "dateOfBirthList", "placeOfBirthList"):
        for item in section:
            _read_item(record, local(item.tag), _child_texts(item))


def _read_item(record: OfacRecord, tag: str, item: dict[str, str]) -> None:
    if tag == "aka":
        last, first = item.get("lastName", ""), item.get("firstName")
        name = f"{last}, {first}" if first and last else (last or first or "")
        weak = item.get("category", "").lower() == "weak"
        record.add_alias(item.get("type", "a.k.a."), name, weak)
    elif tag == "address":
        record.add_address(address_line(
            [item.get("address1"), item.get("address2"), item.get("address3")],
            item.get("city"), item.get("stateOrProvince"), item.get("postalCode")),
            item.get("country"))
    elif tag == "id":
        if item.get("idType") and item.get("idNumber"):
            record.facts.append(make_fact(
                item["idType"], item["idNumber"], item.get("idCountry"),
                item.get("issueDate"), item.get("expirationDate")))
    elif tag in LIST_FACTS:
        field, label = LIST_FACTS[tag]
        if item.get(field):
            record.facts.append(Fact(label, item[field]))


# -- the shared record model: OfacRecord -> entities ------------------------------------
TARGET_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane",
                 "entity": "Organization", "-0-": "Organization", "": "Organization"}
COMPANY_ONLY = frozenset(set(model["Company"].properties) - set(model["Organization"].properties))
DETAILS_URL = "https://sanctionssearch.ofac.treas.gov/Details.aspx?id={}"
LINKED_TO = "Linked To"
_LEADERSHIP = ("leader or official of", "principal executive officer")
_YEAR_RANGE = re.compile(r"\b(\d{4})\s*-\s*(\d{4})\b")


@dataclass
class _Pending:
    """A link between two records, made once the whole file is read."""

    ent_num: str
    other: str | None  # the other record's ent_num where the format states it (Enhanced)
    name: str
    kind: str  # OFAC's relationship type; "Linked To" in the legacy formats
    location: str


@dataclass
class _State:
    entity: Entity
    where: str
    sanction: dict[str, list[str]] = field(default_factory=dict)
    extra: list[Entity] = field(default_factory=list)


class OfacBuilder:
    """Turns OfacRecords into a target entity, its Sanction, wallets and documents; links
    between records come from `finish` once every record is known."""

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.schemata: dict[str, str] = {}
        self.primary: dict[str, set[str]] = {}
        self.aliases: dict[str, set[str]] = {}
        self.pending: list[_Pending] = []
        self.unknown_labels: set[str] = set()

    def build(self, record: OfacRecord) -> list[Entity]:
        """The record's target entity, its Sanction, and its wallets and documents."""
        entity = self.ctx.entity(self._schema(record), record.ent_num)
        state = _State(entity, record.location)
        self._names(record, entity)
        for fact in record.facts:
            self._apply(state, fact)
        for title in record.titles:
            self._add(state, "position" if entity.schema == "Person" else "notes", title)
        for line, country in record.addresses:
            self.ctx.add(entity, "address", line, location=state.where)
            self.ctx.add(entity, "country", _country(country), location=state.where)
        for note in record.notes:
            self._note(state, note)
        for name in record.linked:
            self._note(state, f"{LINKED_TO}: {name}")
            self.pending.append(_Pending(record.ent_num, None, name, LINKED_TO, state.where))
        for kind, other, name in record.relations:
            self._note(state, f"{LINKED_TO}: {name}")
            self.pending.append(_Pending(record.ent_num, other, name, kind, state.where))
        extra: dict[str, Any] = {**state.sanction}  # Any: mixes with the keyword options
        for prop, values in record.sanction.items():
            extra.setdefault(prop, []).extend(values)
        sanction = self.ctx.sanction(entity, "ofac", location=state.where,
                                     program=record.programs, recordId=record.ent_num,
                                     **extra)
        # Built here from digits, so already a clean URL: FtM's URL cleaning would cost
        # about a third of the parse time of the SDN list.
        if record.ent_num.isdigit():
            sanction.put("sourceUrl", Value(DETAILS_URL.format(record.ent_num)))
        self.schemata[record.ent_num] = entity.schema
        return [_unique(e) for e in (entity, sanction, *state.extra)]

    def _schema(self, record: OfacRecord) -> str:
        kind = record.kind.strip().lower()
        schema = TARGET_SCHEMA.get(kind)
        if schema is None:
            self.ctx.issue("unknown_type", f"unknown OFAC record type {record.kind!r}",
                           record_id=self.ctx.make_id(record.ent_num), value=record.kind,
                           location=record.location)
            return "LegalEntity"
        if schema == "Organization" and any(
                FEATURE_PROPS.get(f.key) in COMPANY_ONLY for f in record.facts):
            return "Company"
        return schema

    def _names(self, record: OfacRecord, entity: Entity) -> None:
        where = record.location
        if not record.name:
            self.ctx.issue("missing_name", "record without a name", record_id=entity.id,
                           location=where)
        self.ctx.add(entity, "name", record.name, location=where)
        _index(self.primary, record.name, record.ent_num)
        if entity.schema == "Person":
            parts = ((record.last_name, record.first_name) if record.last_name
                     else split_person_name(record.name))
            if parts and parts[1]:
                self.ctx.add(entity, "lastName", parts[0], location=where)
                self.ctx.add(entity, "firstName", parts[1], location=where)
        for prop, name, lang in record.names:
            self.ctx.add(entity, prop, name, lang=lang, location=where)
            if prop != "name":
                _index(self.aliases, name, record.ent_num)

    # -- facts ------------------------------------------------------------------------
    def _apply(self, state: _State, fact: Fact) -> None:
        key = fact.key
        if fact.value.lower() in PLACEHOLDERS:
            return  # "Vessel Flag None Identified": OFAC knows nothing here
        if key.startswith("digital currency address"):
            self._wallet(state, fact)
        elif is_provision(key):
            state.sanction.setdefault("provisions", []).append(clean_text(fact.render()))
            if prop := sanction_date_prop(key):
                state.sanction.setdefault(prop, []).append(fact.value)
        elif key in DOCUMENT_PROPS or is_document(fact.label):
            self._document(state, fact)
        elif key in FEATURE_PROPS:
            self._feature(state, fact, FEATURE_PROPS[key])
        else:
            if key not in NOTE_KEYS and key not in self.unknown_labels:
                self.unknown_labels.add(key)
                self.ctx.issue("unknown_ofac_label", f"no meaning known for OFAC label "
                               f"{fact.label!r}; kept as a note", record_id=state.entity.id,
                               value=fact.render()[:200], location=state.where, level="info")
            self._note(state, fact.render())

    def _feature(self, state: _State, fact: Fact, prop: str) -> None:
        value = _phone(fact.value) if prop == "phone" else fact.value
        if prop in ("nationality", "citizenship", "jurisdiction", "flag", "pastFlags"):
            value = _country(value) or value
        if prop == "birthDate":
            if state.entity.schema != "Person":
                self._note(state, fact.render())
                return
            value = _YEAR_RANGE.sub(r"\1 to \2", value)  # "circa 1979-1982"
        self._add(state, prop, value, fact)

    def _document(self, state: _State, fact: Fact) -> None:
        key, number, country = fact.key, fact.value, fact.country
        if not is_number_like(number):
            self._note(state, fact.render())
            return
        prop = DOCUMENT_PROPS.get(key, "idNumber")
        if re.match(r"IMO\b", number, re.I) or prop == "imoNumber":
            prop, number = "imoNumber", normalize_imo(number) or number
        russian = bool(country) and "russia" in str(country).lower()
        if key == "government gazette number" and russian:
            prop = "okpoCode"
        compact = re.sub(r"[\s\-]", "", number)
        self._add(state, prop, number, fact)
        if prop == "taxNumber" and (russian or not country) and valid_inn(compact):
            self._add(state, "innCode", compact, fact)
        if prop == "registrationNumber" and russian and valid_ogrn(compact):
            self._add(state, "ogrnCode", compact, fact)
        if country or fact.issued or fact.expires:
            self._identification(state, fact, prop, number)

    def _identification(self, state: _State, fact: Fact, prop: str, number: str) -> None:
        person = state.entity.schema == "Person"
        schema = "Passport" if prop == "passportNumber" and person else "Identification"
        if not person and state.entity.schema not in ("Organization", "Company",
                                                      "LegalEntity"):
            return  # Identification.holder is a legal entity, not a vessel or aircraft
        ident = self.ctx.entity(schema, state.entity.id.removeprefix(
            f"{self.ctx.id_prefix}-"), "id", fact.key, number)
        ident.put("holder", Value(state.entity.id))
        self.ctx.add(ident, "number", number, location=state.where)
        self.ctx.add(ident, "type", fact.label, location=state.where)
        self.ctx.add(ident, "country", fact.country, location=state.where)
        self.ctx.add(ident, "startDate", fact.issued, location=state.where)
        self.ctx.add(ident, "endDate", fact.expires, location=state.where)
        state.extra.append(ident)

    def _wallet(self, state: _State, fact: Fact) -> None:
        currency = fact.label.rpartition("-")[2].strip().upper()
        wallet = self.ctx.entity("CryptoWallet", state.entity.id.removeprefix(
            f"{self.ctx.id_prefix}-"), "wallet", currency, fact.value)
        wallet.put("holder", Value(state.entity.id))
        self.ctx.add(wallet, "publicKey", fact.value, location=state.where)
        self.ctx.add(wallet, "currencySymbol", currency, location=state.where)
        state.extra.append(wallet)

    def _add(self, state: _State, prop: str, value: str, fact: Fact | None = None) -> None:
        """Add to the target, or to a fallback property, or keep the fact as a note."""
        schema = model[state.entity.schema]
        document = fact is not None and is_document(fact.label)
        fallbacks = ("idNumber", "registrationNumber") if document else ()
        for candidate in (prop, PROP_FALLBACK.get(prop), *fallbacks):
            if candidate and schema.get(candidate) is not None:
                self.ctx.add(state.entity, candidate, value, location=state.where)
                return
        self._note(state, fact.render() if fact else value)

    def _note(self, state: _State, note: str) -> None:
        note = clean_text(note)
        if not note:
            return
        self.ctx.add(state.entity, "notes", note, location=state.where)
        schema = model[state.entity.schema]
        for ident in extract_identifiers(note):
            if schema.get(ident.prop) is not None:
                self.ctx.add(state.entity, ident.prop, ident.value, location=state.where)

    # -- links ------------------------------------------------------------------------
    def finish(self) -> Iterator[Entity]:
        """The links between records of this file (a party on another list stays a note)."""
        for pending in self.pending:
            other = pending.other if pending.other in self.schemata else None
            if pending.other is None:
                other = self._resolve(pending)
            if other is not None and other != pending.ent_num:
                yield _unique(self._link(pending, other))

    def _resolve(self, pending: _Pending) -> str | None:
        key = _name_key(pending.name)
        for index in (self.primary, self.aliases):
            found = index.get(key, set()) - {pending.ent_num}
            if len(found) == 1:
                return next(iter(found))
            if len(found) > 1:
                self.ctx.issue("ambiguous_link", f"{len(found)} records are named "
                               f"{pending.name!r}; no link made", value=pending.name,
                               record_id=self.ctx.make_id(pending.ent_num),
                               location=pending.location, level="info")
                return None
        return None

    def _link(self, pending: _Pending, other: str) -> Entity:
        me, them = self.ctx.make_id(pending.ent_num), self.ctx.make_id(other)
        mine, theirs = self.schemata[pending.ent_num], self.schemata[other]
        kind = pending.kind.lower()
        people = mine == "Person" and theirs == "Person"
        schema, props = "UnknownLink", {"subject": me, "object": them, "role": pending.kind}
        if kind == "owned or controlled by":
            schema, props = "Ownership", {"owner": them, "asset": me, "role": pending.kind}
        elif kind == "owns, controls, or operates":
            schema, props = "Ownership", {"owner": me, "asset": them, "role": pending.kind}
        elif kind == "family member of" and people:
            schema, props = "Family", {"person": me, "relative": them,
                                       "relationship": pending.kind}
        elif kind == "associate of" and people:
            schema, props = "Associate", {"person": me, "associate": them,
                                          "relationship": pending.kind}
        elif kind in _LEADERSHIP and theirs != "Person":
            schema, props = "Directorship", {"director": me, "organization": them,
                                             "role": pending.kind}
        elif kind == "acting for or on behalf of":
            schema, props = "Representation", {"agent": me, "client": them,
                                               "role": pending.kind}
        link = self.ctx.entity(schema, pending.ent_num, schema.lower(), other)
        for prop, value in props.items():
            if prop in ("role", "relationship"):
                self.ctx.add(link, prop, value, location=pending.location)
            else:  # entity ids are ours: FtM's entity type would refuse "ofac-sdn-1"
                link.put(prop, Value(value))
        return link


def _unique(entity: Entity) -> Entity:
    """One value per (property, value, language): "Russia" and "Russian Federation" both
    clean to "ru", and one statement id must not be written twice in a run."""
    for prop, values in entity.props.items():
        seen: set[tuple[str, str | None]] = set()
        kept = []
        for value in values:
            if (value.value, value.lang) not in seen:
                seen.add((value.value, value.lang))
                kept.append(value)
        entity.props[prop] = kept
    return entity


def _country(text: str | None) -> str | None:
    """OFAC's "Region: Crimea" names a region where FtM knows the place without the prefix
    (FtM reads "Region: Gaza" as it is, and "Crimea" but not "Region: Crimea")."""
    if text and text.startswith("Region:") and not is_country(text):
        place = text.removeprefix("Region:").strip()
        return place if is_country(place) else text
    return text


def _name_key(name: str) -> str:
    return clean_text(name).casefold()


def _index(index: dict[str, set[str]], name: str, ent_num: str) -> None:
    if name:
        index.setdefault(_name_key(name), set()).add(ent_num)


def _phone(value: str) -> str:
    """OFAC writes phone numbers without "+" ("982188526300", "(98)(21)(66153220)",
    "009613679153"): a number FtM cannot read as given is tried with "+" before its digits
    (a trunk "(0)" or a leading "00" dropped)."""
    if registry.phone.clean(value) is not None:
        return value
    digits = re.sub(r"\D", "", re.sub(r"\(0\)", "", value))
    if value.strip().startswith("00"):
        digits = digits[2:]  # international prefix "00" = "+"
    candidate = f"+{digits}"
    return candidate if digits and registry.phone.clean(candidate) is not None else value
