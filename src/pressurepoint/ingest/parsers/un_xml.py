"""UN Security Council Consolidated List XML (CONSOLIDATED_LIST, sc-sanctions.xsd).

Streamed with lxml iterparse: each INDIVIDUAL / ENTITY element is read and then freed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import open_raw
from pressurepoint.model import Entity

ROOT = "CONSOLIDATED_LIST"
DOCUMENT_PROPS = {
    "passport": "passportNumber",
    "pasaporte": "passportNumber",
    "passeport": "passportNumber",
    "national identification": "idNumber",
    "identification": "idNumber",
    "identité": "idNumber",
    "identidad": "idNumber",
}


def _text(element: etree._Element, tag: str) -> str | None:
    found = element.findtext(tag)
    return found.strip() if found and found.strip() else None


def _values(element: etree._Element, path: str) -> list[str]:
    return [str(v.text).strip() for v in element.iterfind(path) if v.text and v.text.strip()]


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield a Person or Organization and its Sanction for each UN record."""
    seen_root = False
    with open_raw(path) as handle:
        events = etree.iterparse(handle, events=("start", "end"), huge_tree=True)
        for event, element in events:
            if event == "start":
                if not seen_root:
                    if element.tag != ROOT:
                        raise FormatError(f"root element is <{element.tag}>, not <{ROOT}>")
                    seen_root = True
                    if element.get("dateGenerated"):
                        ctx.set_published(element.get("dateGenerated"), "dateGenerated")
                continue
            if element.tag in ("INDIVIDUAL", "ENTITY"):
                yield from _record(ctx, element, element.sourceline)
                element.clear(keep_tail=False)
    if not seen_root:
        raise FormatError("no XML root element")


def _record(ctx: ParseContext, el: etree._Element, line: int | None) -> Iterator[Entity]:
    where = f"line {line}"
    data_id = _text(el, "DATAID")
    if data_id is None:
        ctx.issue("missing_id", "record without DATAID", location=where)
        return
    is_person = el.tag == "INDIVIDUAL"
    entity = ctx.entity("Person" if is_person else "Organization", data_id)
    parts = [_text(el, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = " ".join(p for p in parts if p)
    if not name:
        ctx.issue("missing_name", "record without a name", record_id=entity.id, location=where)
    ctx.add(entity, "name", name, location=where)
    ctx.add(entity, "name", _text(el, "NAME_ORIGINAL_SCRIPT"), location=where)
    if is_person:
        _person_details(ctx, entity, el, where)
    alias_tag = "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"
    for alias in el.iter(alias_tag):
        quality = (_text(alias, "QUALITY") or "").lower()
        prop = "weakAlias" if quality == "low" else "alias"
        prop = "previousName" if quality.startswith("f.k.a") else prop
        ctx.add(entity, prop, _text(alias, "ALIAS_NAME"), location=where)
    address_tag = "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"
    for address in el.iter(address_tag):
        _address(ctx, entity, address, where)
    ctx.add(entity, "notes", _text(el, "COMMENTS1"), location=where)
    reference = _text(el, "REFERENCE_NUMBER")
    sanction = ctx.sanction(
        entity, "un",
        program=_text(el, "UN_LIST_TYPE"), listingDate=_text(el, "LISTED_ON"),
        recordId=reference, unscId=reference, authorityId=reference,
        reason=_text(el, "COMMENTS1"), modifiedAt=_values(el, "LAST_DAY_UPDATED/VALUE"),
    )
    yield entity
    yield sanction


def _person_details(ctx: ParseContext, entity: Entity, el: etree._Element, where: str) -> None:
    ctx.add(entity, "gender", _text(el, "GENDER"), location=where)
    ctx.add_many(entity, "title", _values(el, "TITLE/VALUE"), location=where)
    ctx.add_many(entity, "position", _values(el, "DESIGNATION/VALUE"), location=where)
    ctx.add_many(entity, "nationality", _values(el, "NATIONALITY/VALUE"), location=where)
    for dob in el.iter("INDIVIDUAL_DATE_OF_BIRTH"):
        for tag in ("DATE", "YEAR", "FROM_YEAR", "TO_YEAR"):
            ctx.add(entity, "birthDate", _text(dob, tag), location=where)
    for pob in el.iter("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = ", ".join(p for p in (_text(pob, t) for t in ("CITY", "STATE_PROVINCE",
                                                               "COUNTRY")) if p)
        ctx.add(entity, "birthPlace", place, location=where)
        ctx.add(entity, "birthCountry", _text(pob, "COUNTRY"), location=where)
    for doc in el.iter("INDIVIDUAL_DOCUMENT"):
        number = " ".join((_text(doc, "NUMBER") or "").split())
        kind = (_text(doc, "TYPE_OF_DOCUMENT") or "").lower()
        prop = next((p for k, p in DOCUMENT_PROPS.items() if k in kind), "idNumber")
        ctx.add(entity, prop, number, location=where)


def _address(ctx: ParseContext, entity: Entity, address: etree._Element, where: str) -> None:
    tags = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
    text = ", ".join(p for p in (_text(address, t) for t in tags) if p)
    ctx.add(entity, "address", text, location=where)
    ctx.add(entity, "country", _text(address, "COUNTRY"), location=where)
