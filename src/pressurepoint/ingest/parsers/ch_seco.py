"""Switzerland's SECO sanctions list XML (swiss-sanctions-list, "Gesamtliste").

Layout (root <swiss-sanctions-list date="YYYY-MM-DD" list-type="whole-list">):
- <sanctions-program ssid>: <program-key lang>, <program-name lang> (one per language),
  <sanctions-set ssid lang> (the annex or article targets are listed under), <origin>.
- <target ssid> (also `sanctions-set-id` attribute or child): one <individual>,
  <entity> or <object object-type="vessel|aircraft|..."> holding <identity main=...>
  elements (<name name-type quality> of <name-part order name-part-type> with <value> and
  <spelling-variant lang script>, <day-month-year>, <place-of-birth place-id>,
  <nationality>, <address place-id>, <identification-document>), <justification>,
  <relation target-id relation-type> and <other-information>; then <modification
  modification-type="listed|amended|de-listed" effective-date publication-date ...>.
- <place ssid>: <location>, <area>, <country iso-code> referred to by place-id. Places
  come after the targets, so place and programme references are resolved at the end.

A <modification> keeps copies of earlier states of the target (<added>/<removed>), which
hold <identity> and even <target> elements: only top-level targets and the direct children
of each target are read. A target whose latest modification is "de-listed" is kept with a
Sanction whose endDate is that modification's effective date and whose status is lifted.
Ids are `ch-seco-<target ssid>`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import model
from followthemoney.types import registry
from lxml import etree

from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import open_raw
from pressurepoint.ingest.parsers.eu_fsf import add_free_text, add_identifier
from pressurepoint.model import Entity, Value

ROOT = "swiss-sanctions-list"
SCHEMA_BY_KIND = {"individual": "Person", "entity": "Organization"}
SCHEMA_BY_OBJECT = {"vessel": "Vessel", "aircraft": "Airplane", "airplane": "Airplane"}
NAME_PROPS = {"primary-name": "name", "alias": "alias", "formerly-known-as": "previousName"}
PART_PROPS = {"given-name": "firstName", "further-given-name": "secondName",
              "father-name": "fatherName", "grand-father-name": "fatherName",
              "family-name": "lastName", "maiden-name": "lastName", "title": "title",
              "suffix": "nameSuffix"}
DOCUMENT_PROPS = {"passport": "passportNumber", "diplomatic-passport": "passportNumber",
                  "service-passport": "passportNumber", "id-card": "idNumber",
                  "identity-card": "idNumber"}
DATE_PROPS = {"Person": "birthDate", "Vessel": "buildDate", "Airplane": "buildDate"}
GREGORIAN = {"", "gregorian"}


@dataclass(frozen=True)
class PlaceRef:
    """An address or place of birth that points at a <place> (resolved at the end)."""

    kind: str  # "address" | "birth"
    place_id: str
    details: tuple[str, ...] = ()
    remarks: str = ""


@dataclass
class Pending:
    """A parsed target whose programme and place references wait for the end of the file."""

    entity: Entity
    sanction: Entity
    sets: list[str]
    where: str
    places: list[PlaceRef] = field(default_factory=list)


@dataclass(frozen=True)
class Place:
    location: str
    area: str
    country_name: str
    country_code: str


@dataclass
class Lookups:
    """Programmes by sanctions-set ssid and places by ssid, read from the whole file."""

    programs: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield each target (Person, Organization, Vessel, Airplane) and its Sanction."""
    _check_root(ctx, path)
    lookups = Lookups()
    pending: list[Pending] = []
    links: list[Entity] = []
    with open_raw(path) as handle:
        for _event, element in etree.iterparse(handle, events=("end",), huge_tree=True,
                                               tag=("target", "sanctions-program", "place")):
            parent = element.getparent()
            if parent is None or parent.getparent() is not None:
                continue  # a copy inside a <modification>, or a child of another element
            if element.tag == "target":
                found = _target(ctx, element)
                if found is not None:
                    pending.append(found[0])
                    links.extend(found[1])
            elif element.tag == "sanctions-program":
                _program(element, lookups)
            else:
                lookups.places[element.get("ssid") or ""] = _place(element)
            element.clear(keep_tail=False)
            while element.getprevious() is not None:
                del parent[0]
    for item in pending:
        _resolve(ctx, item, lookups)
        yield item.entity
        yield item.sanction
    yield from links


def _check_root(ctx: ParseContext, path: Path) -> None:
    with open_raw(path) as handle:
        for _event, element in etree.iterparse(handle, events=("start",), huge_tree=True):
            if element.tag != ROOT:
                raise FormatError(f"root element is <{element.tag}>, not <{ROOT}>")
            if element.get("date"):
                ctx.set_published(element.get("date"), f"date attribute of <{ROOT}>")
            return
    raise FormatError("no XML root element")


def _text(el: etree._Element | None) -> str:
    return " ".join((el.text or "").split()) if el is not None else ""


def _program(el: etree._Element, lookups: Lookups) -> None:
    """Remember, for each sanctions-set of a programme, (key, name, set) in English."""
    def english(tag: str) -> str:
        found = el.find(f"{tag}[@lang='eng']")
        return _text(found if found is not None else el.find(tag))

    key, name = english("program-key"), english("program-name")
    for sanctions_set in el.iterchildren("sanctions-set"):
        ssid = sanctions_set.get("ssid") or ""
        if sanctions_set.get("lang") in (None, "eng") or ssid not in lookups.programs:
            lookups.programs[ssid] = (key, name, _text(sanctions_set))


def _place(el: etree._Element) -> Place:
    country = el.find("country")
    code = (country.get("iso-code") or "") if country is not None else ""
    return Place(_text(el.find("location")), _text(el.find("area")), _text(country), code)


def _schema(ctx: ParseContext, target: etree._Element,
            where: str) -> tuple[str, etree._Element] | None:
    for kind, schema in SCHEMA_BY_KIND.items():
        node = target.find(kind)
        if node is not None:
            return schema, node
    node = target.find("object")
    record_id = ctx.make_id(target.get("ssid"))
    if node is None:
        ctx.issue("unknown_target_type", "target without individual/entity/object",
                  record_id=record_id, location=where, level="error")
        return None
    kind = (node.get("object-type") or "").lower()
    if kind not in SCHEMA_BY_OBJECT:
        ctx.issue("unknown_target_type", f"object-type {kind!r} has no FtM schema here",
                  record_id=record_id, value=kind, location=where, level="error")
        return None
    return SCHEMA_BY_OBJECT[kind], node


def _target(ctx: ParseContext, el: etree._Element) -> tuple[Pending, list[Entity]] | None:
    where = f"line {el.sourceline}"
    ssid = el.get("ssid")
    if not ssid:
        ctx.issue("missing_id", "target without ssid", location=where)
        return None
    found = _schema(ctx, el, where)
    if found is None:
        return None
    schema, node = found
    entity = ctx.entity(schema, ssid)
    if schema == "Person":
        ctx.add(entity, "gender", node.get("sex"), location=where)
    sets = [s for s in [el.get("sanctions-set-id"),
                        *(_text(s) for s in el.iterchildren("sanctions-set-id"))] if s]
    sanction = ctx.sanction(entity, "ch", recordId=ssid,
                            reason=[_text(j) for j in node.iterchildren("justification")])
    item = Pending(entity, sanction, sets, where)
    for identity in node.iterchildren("identity"):
        _identity(ctx, item, identity, identity.get("main") == "true")
    if not entity.props.get("name"):
        ctx.issue("missing_name", "target without a primary name", record_id=entity.id,
                  location=where)
    for other in node.iterchildren("other-information"):
        _other_information(ctx, entity, _text(other), where)
    _foreign_identifier(ctx, sanction, [_text(f) for f in el.iterchildren("foreign-identifier")])
    _modifications(ctx, sanction, el.findall("modification"), where)
    return item, [_relation(ctx, entity, r, where) for r in node.iterchildren("relation")]


def _other_information(ctx: ParseContext, entity: Entity, text: str, where: str) -> None:
    """Free text; "Type of entity: ..." is the legal form, identifiers are extracted."""
    label, _, value = text.partition(":")
    if label.strip().lower() == "type of entity" and entity.schema != "Person" \
            and value.strip() and _has_prop(entity, "legalForm"):
        ctx.add(entity, "legalForm", value, location=where)
        return
    add_free_text(ctx, entity, text, where)


def _has_prop(entity: Entity, prop: str) -> bool:
    schema = model.get(entity.schema)
    return schema is not None and schema.get(prop) is not None


def _foreign_identifier(ctx: ParseContext, sanction: Entity, values: list[str]) -> None:
    for value in values:
        if value:
            ctx.add(sanction, "description", f"foreign identifier: {value}")


def _identity(ctx: ParseContext, item: Pending, identity: etree._Element, main: bool) -> None:
    entity, where = item.entity, item.where
    for name in identity.iterchildren("name"):
        _name(ctx, entity, name, main, where)
    date_prop = DATE_PROPS.get(entity.schema, "incorporationDate")
    for day in identity.iterchildren("day-month-year"):
        _date(ctx, entity, date_prop, day, where)
    for nationality in identity.iterchildren("nationality"):
        country = nationality.find("country")
        if country is not None:
            prop = "nationality" if entity.schema == "Person" else "country"
            if entity.schema in ("Vessel", "Airplane"):
                prop = "flag" if entity.schema == "Vessel" else "country"
            ctx.add(entity, prop, country.get("iso-code") or _text(country), location=where)
    for birth in identity.iterchildren("place-of-birth"):
        item.places.append(PlaceRef("birth", birth.get("place-id") or ""))
    for address in identity.iterchildren("address"):
        details = (_text(address.find(t)) for t in ("c-o", "address-details", "p-o-box",
                                                    "zip-code"))
        item.places.append(PlaceRef("address", address.get("place-id") or "",
                                    tuple(d for d in details if d),
                                    _text(address.find("remarks"))))
    for doc in identity.iterchildren("identification-document"):
        kind = (doc.get("document-type") or "").lower()
        add_identifier(ctx, entity, DOCUMENT_PROPS.get(kind, "idNumber"),
                       _text(doc.find("number")), where)


def _name(ctx: ParseContext, entity: Entity, name: etree._Element, main: bool,
          where: str) -> None:
    prop = NAME_PROPS.get(name.get("name-type") or "", "alias")
    if name.get("quality") == "low":
        prop = "weakAlias"
    elif prop == "name" and not main:
        prop = "alias"
    parts: list[tuple[int, str, str]] = []
    variants: dict[tuple[str, str], dict[int, str]] = {}
    structured = entity.schema == "Person" and prop == "name"
    for part in name.iterchildren("name-part"):
        raw_order = part.get("order") or ""
        order = int(raw_order) if raw_order.isdigit() else len(parts) + 1
        kind = part.get("name-part-type") or "other"
        for child in part:  # <value> and <spelling-variant> in one pass
            text = " ".join((child.text or "").split())
            if not text:
                continue
            if child.tag == "value":
                parts.append((order, kind, text))
                if structured and kind in PART_PROPS:
                    ctx.add(entity, PART_PROPS[kind], text, location=where)
            elif child.tag == "spelling-variant":
                key = (child.get("lang") or "", child.get("script") or "")
                variants.setdefault(key, {})[order] = text
    parts.sort()
    whole = " ".join(value for _, kind, value in parts if kind != "title")
    ctx.add(entity, prop, whole, lang=_language(name.get("lang")), location=where)
    variant_prop = "alias" if prop == "name" else prop
    for (lang, _script), spelled in variants.items():
        text = " ".join(spelled.get(order, value) for order, kind, value in parts
                        if kind != "title")
        ctx.add(entity, variant_prop, text, lang=_language(lang), location=where)


_LANGUAGES: dict[str, str | None] = {}


def _language(code: str | None) -> str | None:
    if not code:
        return None
    if code not in _LANGUAGES:
        _LANGUAGES[code] = registry.language.clean(code)
    return _LANGUAGES[code]


def _date(ctx: ParseContext, entity: Entity, prop: str, day: etree._Element,
          where: str) -> None:
    calendar = (day.get("calendar") or "").lower()
    year, month, dom = day.get("year"), day.get("month"), day.get("day")
    raw = "-".join(p.zfill(2) for p in (year, month, dom if month else None) if p)
    if calendar not in GREGORIAN:
        ctx.issue("non_gregorian_date", f"{calendar} date {raw!r} is not converted",
                  record_id=entity.id, prop=prop, value=raw, location=where)
        return
    ctx.add(entity, prop, raw, location=where)


def _relation(ctx: ParseContext, entity: Entity, relation: etree._Element,
              where: str) -> Entity:
    other = relation.get("target-id") or ""
    link = ctx.entity("UnknownLink", entity.id.removeprefix(f"{ctx.id_prefix}-"), "relation",
                      relation.get("ssid") or other)
    # Set entity references as they are (they are ids we made),
    # as ParseContext.sanction does for Sanction.entity.
    link.put("subject", Value(entity.id))
    if other:
        link.put("object", Value(ctx.make_id(other)))
    else:
        ctx.issue("missing_relation_target", "relation without target-id",
                  record_id=link.id, location=where)
    ctx.add(link, "role", relation.get("relation-type"), location=where)
    return link


def _modifications(ctx: ParseContext, sanction: Entity, mods: list[etree._Element],
                   where: str) -> None:
    """listingDate/startDate from the listing, endDate and status from a final de-listing."""
    def when(mod: etree._Element) -> str:
        return mod.get("effective-date") or mod.get("publication-date") or ""

    if not mods:
        ctx.issue("missing_modification", "target without a listing modification",
                  record_id=sanction.id, location=where)
        return
    listed = [m for m in mods if m.get("modification-type") == "listed"]
    if listed:
        first = min(listed, key=when)
        ctx.add(sanction, "listingDate", first.get("publication-date") or when(first),
                location=where)
        ctx.add(sanction, "startDate", when(first), location=where)
    amended = [when(m) for m in mods if m.get("modification-type") == "amended"]
    ctx.add(sanction, "modifiedAt", max(amended) if amended else None, location=where)
    latest = max(mods, key=when)  # max keeps the first of equal dates: the file's newest
    if latest.get("modification-type") == "de-listed":
        ctx.add(sanction, "endDate", when(latest), location=where)
        ctx.set_status(sanction, "lifted",
                       f"latest modification is de-listed, effective {when(latest)}")


def _resolve(ctx: ParseContext, item: Pending, lookups: Lookups) -> None:
    entity, sanction = item.entity, item.sanction
    for ssid in item.sets:
        program = lookups.programs.get(ssid)
        if program is None:
            ctx.issue("unknown_sanctions_set", f"sanctions-set-id {ssid} is not declared",
                      record_id=entity.id, value=ssid, location=item.where)
            continue
        key, name, scope = program
        ctx.add(sanction, "program", name or key)
        ctx.add(sanction, "programId", key)
        ctx.add(sanction, "provisions", scope)
    for ref in item.places:
        place = lookups.places.get(ref.place_id) if ref.place_id else None
        if ref.place_id and place is None:
            ctx.issue("unknown_place", f"place-id {ref.place_id} is not declared",
                      record_id=entity.id, value=ref.place_id, location=item.where)
        place = place or Place("", "", "", "")
        named = [p for p in (place.location, place.area, place.country_name) if p]
        if ref.kind == "birth":
            if entity.schema != "Person":
                continue
            ctx.add(entity, "birthPlace", ", ".join(named), location=item.where)
            ctx.add(entity, "birthCountry", place.country_code or place.country_name,
                    location=item.where)
            continue
        ctx.add(entity, "address", ", ".join([*ref.details, *named]), location=item.where)
        ctx.add(entity, "country", place.country_code or place.country_name,
                location=item.where)
        if ref.remarks:
            ctx.add(entity, "notes", f"Address remark: {ref.remarks}", location=item.where)
