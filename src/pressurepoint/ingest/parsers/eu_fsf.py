"""EU consolidated list of financial sanctions (Financial Sanctions Files), two formats.

- FSF XML 1.1: root <export> in the namespace http://eu.europa.ec/fpi/fsd/export, whose
  `generationDate` is the publication time; one <sanctionEntity> per listed person or
  enterprise, with <regulation>, <subjectType>, <nameAlias>, <citizenship>, <birthdate>,
  <address>, <identification> and <remark> children.
- The legacy EU XML that preceded it: root <WHOLE Date="dd/mm/yyyy">, one <ENTITY> per
  target with <NAME>, <BIRTH>, <PASSPORT>, <CITIZEN> and <ADDRESS> children.

Both formats share one id space: the legacy ENTITY `Id` is the FSF `logicalId` (checked on
the 2016-02-11 legacy file against a 2026 FSF 1.1 export: Id 191 is Khalid Shaikh Mohammed
and Id 521 Ahmed Jan Akhund in both). So a record is `eu-fsf-<logicalId>` in every format.

The EU programme code (RUS, UKR, BLR, TERR...) is the Sanction's `program`; the legal act
(regulation numberTitle) goes to `description`, its EUR-Lex link to `sourceUrl`.
Both files are streamed with iterparse; each record element is freed after use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from followthemoney import model
from followthemoney.types import registry
from lxml import etree

from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import open_raw
from pressurepoint.ingest.identifiers import extract_identifiers
from pressurepoint.model import Entity

NS = "{http://eu.europa.ec/fpi/fsd/export}"
FSF_ROOT = f"{NS}export"
LEGACY_ROOT = "WHOLE"
SCHEMA_BY_SUBJECT = {"person": "Person", "enterprise": "Organization"}
SCHEMA_BY_LEGACY_TYPE = {"P": "Person", "E": "Organization"}
# identificationTypeCode -> FtM property (a schema without it falls back to FALLBACK_PROPS).
DOCUMENT_PROPS = {
    "passport": "passportNumber",
    "id": "idNumber",
    "regnumber": "registrationNumber",
    "fiscalcode": "taxNumber",
    "tin": "taxNumber",
    "swiftbic": "swiftBic",
    "imo": "imoNumber",
}
FALLBACK_PROPS = ("idNumber", "registrationNumber")
NO_COUNTRY = {"", "00"}  # FSF writes "00" / "UNKNOWN" where the country is not known
NO_PLACE = {"", "-", "UNKNOWN"}
GENDERS = {"M": "male", "F": "female"}
WEAK_REMARK = re.compile(r"\blow quality", re.I)
QUALITY_REMARK = re.compile(r"^\s*(good|low|high) quality ali+as\s*$", re.I)
_LANGUAGES: dict[str, str | None] = {}


def _language(code: str | None) -> str | None:
    """An ISO 639-3 code for the EU's two-letter name language ("EN" -> "eng")."""
    if not code:
        return None
    if code not in _LANGUAGES:
        _LANGUAGES[code] = registry.language.clean(code)
    return _LANGUAGES[code]


def _xml_root(path: Path) -> tuple[str, dict[str, str]]:
    """The tag and attributes of the first element, read without parsing the whole file."""
    with open_raw(path) as handle:
        for _event, element in etree.iterparse(handle, events=("start",), huge_tree=True):
            return str(element.tag), {str(k): str(v) for k, v in element.attrib.items()}
    raise FormatError("no XML root element")


def _records(path: Path, tag: str) -> Iterator[etree._Element]:
    """Each record element, freed (with the siblings before it) once the caller is done."""
    with open_raw(path) as handle:
        for _event, element in etree.iterparse(handle, events=("end",), tag=tag,
                                               huge_tree=True):
            yield element
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]


def _attr(element: etree._Element, name: str) -> str:
    return " ".join((element.get(name) or "").split())


def _join(*parts: str | None) -> str:
    return ", ".join(p for p in (" ".join((p or "").split()) for p in parts) if p not in NO_PLACE)


def _has(entity: Entity, prop: str) -> bool:
    schema = model.get(entity.schema)
    return schema is not None and schema.get(prop) is not None


def add_identifier(ctx: ParseContext, entity: Entity, prop: str, value: str | None,
                   location: str) -> None:
    """An identifier under its typed property, or a generic one the schema has."""
    if not value or value.strip().upper() in ("UNKNOWN", "-"):
        return
    for candidate in (prop, *FALLBACK_PROPS):
        if _has(entity, candidate):
            ctx.add(entity, candidate, value, location=location)
            return
    ctx.add(entity, "notes", f"{prop}: {value}", location=location)


def add_free_text(ctx: ParseContext, entity: Entity, text: str | None, location: str) -> None:
    """A remark as notes, plus the identifiers the publisher wrote into it."""
    if not text or not text.strip():
        return
    ctx.add(entity, "notes", text, location=location)
    for ident in extract_identifiers(text):
        add_identifier(ctx, entity, ident.prop, ident.value, location)


# -- FSF XML 1.1 ------------------------------------------------------------------------

def parse_fsf(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield a Person or Organization and its Sanction for each <sanctionEntity>."""
    tag, attrib = _xml_root(path)
    if tag != FSF_ROOT:
        hint = " (this is the legacy EU XML format)" if tag == LEGACY_ROOT else ""
        raise FormatError(f"root element is <{tag}>, not <export> in namespace "
                          f"{NS.strip('{}')}{hint}")
    if attrib.get("generationDate"):
        ctx.set_published(attrib["generationDate"], "generationDate attribute of <export>")
    for element in _records(path, f"{NS}sanctionEntity"):
        yield from _fsf_record(ctx, element)


def _fsf_record(ctx: ParseContext, el: etree._Element) -> Iterator[Entity]:
    where = f"line {el.sourceline}"
    logical_id = _attr(el, "logicalId")
    if not logical_id:
        ctx.issue("missing_id", "sanctionEntity without logicalId", location=where)
        return
    subject = el.find(f"{NS}subjectType")
    code = _attr(subject, "code") if subject is not None else ""
    schema = SCHEMA_BY_SUBJECT.get(code)
    if schema is None:
        ctx.issue("unknown_subject_type", f"subjectType code {code!r} is not person/enterprise",
                  record_id=ctx.make_id(logical_id), value=code, location=where)
        schema = "LegalEntity"
    entity = ctx.entity(schema, logical_id)
    _fsf_names(ctx, entity, el.findall(f"{NS}nameAlias"), where)
    for child in el.iterchildren(f"{NS}citizenship", f"{NS}birthdate", f"{NS}address",
                                 f"{NS}identification", f"{NS}remark"):
        local = etree.QName(child).localname
        if local == "remark":
            add_free_text(ctx, entity, child.text, where)
        else:
            _FSF_DETAILS[local](ctx, entity, child, where)
    yield entity
    yield _fsf_sanction(ctx, entity, el, logical_id, where)


_FSF_NAME_PROPS = (("firstName", "firstName"), ("middleName", "middleName"),
                   ("lastName", "lastName"), ("title", "title"), ("function", "position"))


def _fsf_names(ctx: ParseContext, entity: Entity, aliases: list[etree._Element],
               where: str) -> None:
    if not aliases:
        ctx.issue("missing_name", "record without a nameAlias", record_id=entity.id,
                  location=where)
        return
    remarks = [" ".join((a.findtext(f"{NS}remark") or "").split()) for a in aliases]
    weak = [_attr(a, "strong") == "false" or bool(WEAK_REMARK.search(r))
            for a, r in zip(aliases, remarks, strict=True)]
    primary = min(range(len(aliases)), key=lambda i: _name_rank(aliases[i], weak[i]))
    is_person = entity.schema == "Person"
    for index, alias in enumerate(aliases):
        prop = "name" if index == primary else ("weakAlias" if weak[index] else "alias")
        lang = _language(_attr(alias, "nameLanguage"))
        ctx.add(entity, prop, _attr(alias, "wholeName"), lang=lang, location=where)
        if remarks[index] and not QUALITY_REMARK.match(remarks[index]):
            ctx.add(entity, "notes", remarks[index], location=where)
        if not is_person:
            ctx.add(entity, "notes", _attr(alias, "function"), location=where)
            continue
        for attr, person_prop in _FSF_NAME_PROPS:
            if alias.get(attr):
                ctx.add(entity, person_prop, _attr(alias, attr), location=where)
        gender = _attr(alias, "gender")
        if gender:
            ctx.add(entity, "gender", GENDERS.get(gender, gender), location=where)


def _name_rank(alias: etree._Element, weak: bool) -> tuple[bool, bool, bool]:
    """Sort key of the alias that becomes `name`: strong, in English or unmarked, and
    with structured parts first (the EU does not mark a primary name)."""
    english = _attr(alias, "nameLanguage").upper() in ("", "EN")
    structured = bool(_attr(alias, "lastName") or _attr(alias, "firstName"))
    return (weak, not english, not structured)


def _fsf_citizenship(ctx: ParseContext, entity: Entity, el: etree._Element,
                     where: str) -> None:
    code = _attr(el, "countryIso2Code")
    country = code if code not in NO_COUNTRY else ""
    prop = "nationality" if entity.schema == "Person" else "country"
    ctx.add(entity, prop, country, location=where)


def _fsf_birthdate(ctx: ParseContext, entity: Entity, el: etree._Element, where: str) -> None:
    if entity.schema != "Person":
        ctx.issue("unexpected_birthdate", "birth date on a record that is not a person",
                  record_id=entity.id, prop="birthDate", location=where, level="info")
        return
    calendar = _attr(el, "calendarType").upper()
    full = _attr(el, "birthdate")
    if full:
        ctx.add(entity, "birthDate", full, location=where)
    elif calendar not in ("", "GREGORIAN"):
        # year/month/day are in the stated calendar (e.g. Hijri 1402): not a Gregorian date.
        ctx.issue("non_gregorian_date", f"{calendar} birth date without Gregorian equivalent",
                  record_id=entity.id, prop="birthDate", value=_attr(el, "year"),
                  location=where)
    else:
        year, month = _attr(el, "year"), _attr(el, "monthOfYear")
        if year:
            ctx.add(entity, "birthDate", f"{year}-{int(month):02d}" if month.isdigit()
                    else year, location=where)
        for bound in ("yearRangeFrom", "yearRangeTo"):
            ctx.add(entity, "birthDate", _attr(el, bound), location=where)
    country = _attr(el, "countryIso2Code")
    ctx.add(entity, "birthPlace", _join(_attr(el, "city"), _attr(el, "place"),
                                        _attr(el, "region"),
                                        _attr(el, "countryDescription")), location=where)
    ctx.add(entity, "birthCountry", country if country not in NO_COUNTRY else "",
            location=where)


def _fsf_address(ctx: ParseContext, entity: Entity, el: etree._Element, where: str) -> None:
    text = _join(_attr(el, "street"), _attr(el, "poBox"), _attr(el, "zipCode"),
                 _attr(el, "city"), _attr(el, "place"), _attr(el, "region"),
                 _attr(el, "countryDescription"))
    ctx.add(entity, "address", text, location=where)
    code = _attr(el, "countryIso2Code")
    ctx.add(entity, "country", code if code not in NO_COUNTRY else "", location=where)
    for info in el.iterchildren(f"{NS}contactInfo"):
        key, value = _attr(info, "key").upper(), _attr(info, "value")
        prop = {"WEB": "website", "EMAIL": "email", "PHONE": "phone"}.get(key)
        if prop is None:
            ctx.add(entity, "notes", f"{key}: {value}", location=where)
            continue
        for part in (p.strip() for p in value.split(";")):
            ctx.add(entity, prop, part, location=where)
    remark = el.findtext(f"{NS}remark")
    if remark and remark.strip():
        ctx.add(entity, "notes", f"Address remark: {' '.join(remark.split())}",
                location=where)


def _fsf_identification(ctx: ParseContext, entity: Entity, el: etree._Element,
                        where: str) -> None:
    code = _attr(el, "identificationTypeCode").lower()
    prop = DOCUMENT_PROPS.get(code, "idNumber")
    add_identifier(ctx, entity, prop, _attr(el, "number") or _attr(el, "latinNumber"), where)


_FSF_DETAILS = {
    "citizenship": _fsf_citizenship,
    "birthdate": _fsf_birthdate,
    "address": _fsf_address,
    "identification": _fsf_identification,
}


def _fsf_sanction(ctx: ParseContext, entity: Entity, el: etree._Element, logical_id: str,
                  where: str) -> Entity:
    regulations = el.findall(f"{NS}regulation")
    sanction = ctx.sanction(
        entity, "eu",
        program=[_attr(r, "programme") for r in regulations],
        description=[_attr(r, "numberTitle") for r in regulations],
        sourceUrl=[(r.findtext(f"{NS}publicationUrl") or "").strip() for r in regulations],
        recordId=logical_id, authorityId=_attr(el, "euReferenceNumber"),
        unscId=_attr(el, "unitedNationId"), summary=_attr(el, "designationDetails"),
    )
    ctx.add(sanction, "listingDate", _attr(el, "designationDate"), location=where)
    for regulation in regulations:
        ctx.add(sanction, "modifiedAt", _attr(regulation, "publicationDate"), location=where)
    return sanction


# -- legacy EU XML ----------------------------------------------------------------------

_LEGACY_DOCUMENT = re.compile(r"^(?P<number>.*?)\s*\((?P<code>[\w]+)-(?P<label>[^)]*)\)"
                              r"\s*(?P<remark>.*)$", re.S)
_APPROXIMATE = re.compile(r"\s*\(approximative\)\s*$", re.I)


def parse_legacy(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield a Person or Organization and its Sanction for each legacy <ENTITY>."""
    tag, attrib = _xml_root(path)
    if tag != LEGACY_ROOT:
        hint = " (this is the FSF XML 1.1 format)" if tag == FSF_ROOT else ""
        raise FormatError(f"root element is <{tag}>, not <{LEGACY_ROOT}>{hint}")
    if attrib.get("Date"):
        ctx.set_published(attrib["Date"], "Date attribute of <WHOLE>")
    for element in _records(path, "ENTITY"):
        yield from _legacy_record(ctx, element)


def _fields(el: etree._Element) -> dict[str, str]:
    """The non-empty text of each child element, whitespace collapsed (one pass)."""
    return {str(child.tag): " ".join(child.text.split()) for child in el
            if child.text and not child.text.isspace()}


def _legacy_record(ctx: ParseContext, el: etree._Element) -> Iterator[Entity]:
    where = f"line {el.sourceline}"
    entity_id = _attr(el, "Id")
    if not entity_id:
        ctx.issue("missing_id", "ENTITY without Id", location=where)
        return
    kind = _attr(el, "Type")
    schema = SCHEMA_BY_LEGACY_TYPE.get(kind)
    if schema is None:
        ctx.issue("unknown_subject_type", f"ENTITY Type {kind!r} is not P/E",
                  record_id=ctx.make_id(entity_id), value=kind, location=where)
        schema = "LegalEntity"
    entity = ctx.entity(schema, entity_id)
    names = [_fields(name) for name in el.iterchildren("NAME")]
    _legacy_names(ctx, entity, names, where)
    for child in el.iterchildren("BIRTH", "PASSPORT", "CITIZEN", "ADDRESS"):
        _LEGACY_DETAILS[str(child.tag)](ctx, entity, _fields(child), where)
    add_free_text(ctx, entity, _attr(el, "remark").strip("()"), where)
    sanction = ctx.sanction(entity, "eu", program=_attr(el, "programme"),
                            description=_attr(el, "legal_basis"),
                            sourceUrl=_attr(el, "pdf_link"), recordId=entity_id)
    ctx.add(sanction, "modifiedAt", _attr(el, "reg_date"), location=where)
    yield entity
    yield sanction


_LEGACY_NAME_PROPS = (("FIRSTNAME", "firstName"), ("MIDDLENAME", "middleName"),
                      ("LASTNAME", "lastName"), ("TITLE", "title"), ("FUNCTION", "position"))


def _legacy_names(ctx: ParseContext, entity: Entity, names: list[dict[str, str]],
                  where: str) -> None:
    if not names:
        ctx.issue("missing_name", "ENTITY without NAME", record_id=entity.id, location=where)
    is_person = entity.schema == "Person"
    seen: set[str] = set()
    for index, name in enumerate(names):
        whole = name.get("WHOLENAME", "")
        if whole.lower() not in seen:
            seen.add(whole.lower())
            ctx.add(entity, "name" if index == 0 else "alias", whole,
                    lang=_language(name.get("LANGUAGE")), location=where)
        if is_person:
            for tag, prop in _LEGACY_NAME_PROPS:
                if tag in name:
                    ctx.add(entity, prop, name[tag], location=where)
            if "GENDER" in name:
                ctx.add(entity, "gender", GENDERS.get(name["GENDER"], name["GENDER"]),
                        location=where)
        elif "FUNCTION" in name:
            ctx.add(entity, "notes", name["FUNCTION"], location=where)


def _legacy_birth(ctx: ParseContext, entity: Entity, row: dict[str, str], where: str) -> None:
    if entity.schema != "Person":
        ctx.issue("unexpected_birthdate", "BIRTH on a record that is not a person",
                  record_id=entity.id, prop="birthDate", location=where, level="info")
        return
    ctx.add(entity, "birthDate", _APPROXIMATE.sub("", row.get("DATE", "")), location=where)
    ctx.add(entity, "birthPlace", row.get("PLACE"), location=where)
    ctx.add(entity, "birthCountry", row.get("COUNTRY"), location=where)


def _legacy_passport(ctx: ParseContext, entity: Entity, row: dict[str, str],
                     where: str) -> None:
    raw = row.get("NUMBER", "")
    match = _LEGACY_DOCUMENT.match(raw)
    if match is None:
        add_identifier(ctx, entity, "idNumber", raw, where)
        return
    prop = DOCUMENT_PROPS.get(match["code"].lower(), "idNumber")
    add_identifier(ctx, entity, prop, match["number"].strip(), where)
    remark = match["remark"].strip("() ")
    if remark and remark.lower() not in (match["code"].lower(), match["label"].lower()):
        ctx.add(entity, "notes", f"Document {match['number'].strip()}: {remark}",
                location=where)


def _legacy_citizen(ctx: ParseContext, entity: Entity, row: dict[str, str],
                    where: str) -> None:
    prop = "nationality" if entity.schema == "Person" else "country"
    ctx.add(entity, prop, row.get("COUNTRY"), location=where)


def _legacy_address(ctx: ParseContext, entity: Entity, row: dict[str, str],
                    where: str) -> None:
    parts = (row.get(t) for t in ("NUMBER", "STREET", "ZIPCODE", "CITY", "COUNTRY", "OTHER"))
    ctx.add(entity, "address", _join(*parts), location=where)
    ctx.add(entity, "country", row.get("COUNTRY"), location=where)


_LEGACY_DETAILS = {
    "BIRTH": _legacy_birth,
    "PASSPORT": _legacy_passport,
    "CITIZEN": _legacy_citizen,
    "ADDRESS": _legacy_address,
}
