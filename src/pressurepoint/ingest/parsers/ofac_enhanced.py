"""OFAC Enhanced XML (SDN_ENHANCED.XML, CONS_ENHANCED.XML; also as the published .ZIP).

Root `sanctionsData`: `publicationInfo/dataAsOf`, reference values, feature types, and one
`entity` per record with generalInfo, sanctionsLists (with the date the entry was published
on each list), sanctionsPrograms, sanctionsTypes, legalAuthorities, names (translations in
several scripts, name parts), addresses (address parts), features (typed facts: birth date,
website, directive determinations...), identityDocuments and relationships to other
entries. Records become entities through the same `OfacBuilder` as the legacy formats, so
ids and shared facts agree; what only this format states (non-Latin names and addresses,
list dates, sanction types, legal authorities, typed relationships) is added on top.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from pressurepoint.errors import FormatError
from pressurepoint.ingest.cleaning import collapse
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import head, is_zip, open_raw, open_zip_member
from pressurepoint.ingest.parsers.ofac_remarks import (
    OfacRecord,
    address_line,
    alias_prop,
    make_fact,
    parse_remarks,
)
from pressurepoint.ingest.parsers.ofac_xml import OfacBuilder, local
from pressurepoint.model import Entity

ROOT = "sanctionsData"
UMBRELLA_LIST = "Consolidated List"  # membership date of the umbrella list, not a listing


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield each entity element as entities, then the relationships between them."""
    builder = OfacBuilder(ctx)
    with _open(path) as handle:
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
            if tag == "entity" and element.get("id") is not None:
                record = read_entity(ctx, element)
                if record is not None:
                    yield from builder.build(record)
                _free(element)
            elif tag == "dataAsOf" and element.text:
                ctx.set_published(element.text.strip(), "publicationInfo/dataAsOf")
            elif tag in ("referenceValues", "featureTypes"):
                _free(element)
    if root is None:
        raise FormatError("no XML root element")
    yield from builder.finish()


def _open(path: Path) -> IO[bytes]:
    if is_zip(head(path, 8)):
        return open_zip_member(path, (".xml",))
    return open_raw(path)


def _free(element: etree._Element) -> None:
    """Drop a finished element and its finished siblings (bounded memory)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return collapse(element.text) or None


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element:
        if local(child.tag) == name:
            yield child


def _child(element: etree._Element, name: str) -> etree._Element | None:
    return next(_children(element, name), None)


def _child_text(element: etree._Element, name: str) -> str | None:
    return _text(_child(element, name))


def _items(element: etree._Element, section: str, name: str) -> Iterator[etree._Element]:
    for holder in _children(element, section):
        yield from _children(holder, name)


def read_entity(ctx: ParseContext, entity: etree._Element) -> OfacRecord | None:
    """One entity element as an OfacRecord."""
    where = f"line {entity.sourceline}"
    ent_num = str(entity.get("id")).strip()
    if not ent_num:
        ctx.issue("missing_id", "entity without id", location=where)
        return None
    info = _child(entity, "generalInfo")
    kind = _child_text(info, "entityType") if info is not None else None
    record = OfacRecord(ent_num=ent_num, kind=kind or "", name="", location=where)
    _names(record, entity)
    record.programs.extend(t for p in _items(entity, "sanctionsPrograms", "sanctionsProgram")
                           if (t := _text(p)))
    _designation(record, entity)
    for address in _items(entity, "addresses", "address"):
        _address(record, address)
    for feature in _items(entity, "features", "feature"):
        label, value = _child_text(feature, "type"), _child_text(feature, "value")
        if label and value:
            record.facts.append(make_fact(label, value))
    if info is not None:  # a title is repeated in the remarks: not a note there
        titles = [f.value for f in record.facts if f.key == "title"]
        record.add_remarks(parse_remarks(_child_text(info, "remarks"),
                                         titles[0] if titles else None))
    for document in _items(entity, "identityDocuments", "identityDocument"):
        _document(record, document)
    for relation in _items(entity, "relationships", "relationship"):
        kind, related = _child_text(relation, "type"), _child(relation, "relatedEntity")
        if kind and related is not None and related.get("entityId"):
            record.relations.append((kind, str(related.get("entityId")), _text(related) or ""))
    return record


def _names(record: OfacRecord, entity: etree._Element) -> None:
    """The primary name's Latin form is `name` (first/last names from its parts); its other
    scripts are names too. Aliases keep their kind (a.k.a. / f.k.a. / n.k.a., weak)."""
    for name in _items(entity, "names", "name"):
        primary = _child_text(name, "isPrimary") == "true"
        weak = _child_text(name, "isLowQuality") == "true"
        kind = _child_text(name, "aliasType") or "A.K.A."
        for translation in _items(name, "translations", "translation"):
            full = _child_text(translation, "formattedFullName")
            if not full:
                continue
            main = _child_text(translation, "isPrimary") == "true"
            script = _child_text(translation, "script")
            if primary and main and not record.name:
                record.name = full
                record.first_name = _child_text(translation, "formattedFirstName")
                record.last_name = _child_text(translation, "formattedLastName")
            else:
                prop = "name" if primary else alias_prop(kind, weak)
                record.names.append((prop, full, _LANGS.get(script or "")))


# Script -> language code where the script names one language (FtM statements carry a lang).
_LANGS = {"Cyrillic": None, "Chinese Simplified": "zho", "Chinese Traditional": "zho",
          "Arabic": None, "Korean": "kor", "Hangul": "kor", "Japanese": "jpn",
          "Georgian": "kat", "Armenian": "hye", "Greek": "ell", "Hebrew": "heb"}


def _designation(record: OfacRecord, entity: etree._Element) -> None:
    """What only the Enhanced XML states about the listing: the lists (and the date the entry
    was published on each), the sanction types and the legal authorities."""
    extra = record.sanction
    for item in _items(entity, "sanctionsLists", "sanctionsList"):
        name = _text(item)
        if name:
            extra.setdefault("description", []).append(f"List: {name}")
        if name != UMBRELLA_LIST and item.get("datePublished"):
            extra.setdefault("listingDate", []).append(str(item.get("datePublished")))
    for item in _items(entity, "sanctionsTypes", "sanctionsType"):
        if text := _text(item):
            extra.setdefault("provisions", []).append(f"Sanctions type: {text}")
    for item in _items(entity, "legalAuthorities", "legalAuthority"):
        if text := _text(item):
            extra.setdefault("description", []).append(f"Legal authority: {text}")


def _address(record: OfacRecord, address: etree._Element) -> None:
    country = _child_text(address, "country")
    for translation in _items(address, "translations", "translation"):
        parts: dict[str, list[str]] = {}
        for part in _items(translation, "addressParts", "addressPart"):
            kind, value = _child_text(part, "type"), _child_text(part, "value")
            if kind and value:
                parts.setdefault(kind.upper(), []).append(value)
        region = ", ".join(parts.get("REGION", []))
        # The legacy formats write a region without a country as the country "Region: X".
        where = country or (f"Region: {region}" if region else None)
        line = address_line(
            [*parts.get("ADDRESS1", []), *parts.get("ADDRESS2", []),
             *parts.get("ADDRESS3", [])],
            ", ".join(parts.get("CITY", [])), ", ".join(parts.get("STATE/PROVINCE", [])),
            ", ".join(parts.get("POSTAL CODE", [])))
        if country and region:
            line = ", ".join(p for p in (line, region) if p)
        record.add_address(line, where)


def _document(record: OfacRecord, document: etree._Element) -> None:
    label, number = _child_text(document, "type"), _child_text(document, "documentNumber")
    if not label or not number:
        return
    record.facts.append(make_fact(
        label, number, _child_text(document, "issuingCountry"),
        _child_text(document, "issueDate"), _child_text(document, "expirationDate"),
        split=False))
