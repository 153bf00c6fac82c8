"""Canada's Consolidated Autonomous Sanctions List XML (sema-lmes.xml).

Root <data-set>, one flat <record> per listing: Country, LastName, GivenName,
EntityOrShip, TitleOrShip, ShipIMONumber, DateOfBirthOrShipBuildDate, Schedule, Item,
DateOfListing, Aliases.

- `Country` is the sanctions regime (e.g. "Russia / Russie", or a regulation such as
  JVCFOR), not the person's nationality: it becomes the Sanction's `program` only.
- The file has no record id. A listing is identified by its place in the regulations:
  (regime, Schedule, Item), e.g. ("Russia", "1, Part 1", "505"). The id uses the
  English half of the regime and ignores spacing and punctuation in the schedule, so
  "1, Part 1 " and "1,Part 1" give the same id. Checked on the 2025-05-25 and 2025-09-22
  files: the key is unique in both, and 4,754 of the 4,759 older keys recur in the newer
  file naming the same target (the other 5 were delisted).
- A record with a ShipIMONumber is a Vessel (TitleOrShip is then the vessel type and the
  date its build year); one with EntityOrShip only is an Organization; else a Person
  (TitleOrShip is then a rank or title such as "Major General/major-général").
- The file states no publication date: the run takes it from the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.files import open_raw
from pressurepoint.model import Entity, Value

ROOT = "data-set"
RECORD = "record"
SOURCE_URL = ("https://www.international.gc.ca/world-monde/assets/office_docs/"
              "international_relations-relations_internationales/sanctions/sema-lmes.xml")
SOURCE_URL_VALUE = Value(SOURCE_URL)
# Script labels the publisher writes inside Aliases ("Russian: Сергей ...") -> ISO 639-3.
_LANGUAGE_LABEL = re.compile(
    r"^(?P<label>Belaruss?ian|Russian|Ukrainian|Arabic|Farsi|Persian|Chinese|Hebrew|"
    r"Burmese)\s*:\s*", re.I)
LANGUAGES = {"belarusian": "bel", "belarussian": "bel", "russian": "rus",
             "ukrainian": "ukr", "arabic": "ara", "farsi": "fas", "persian": "fas",
             "chinese": "zho", "hebrew": "heb", "burmese": "mya"}
# A part that is only a legal form ("НПО Лавочкина, АО") belongs to the name before it.
LEGAL_FORMS = {"ао", "оао", "пао", "зао", "ооо", "ao", "oao", "pao", "zao", "ooo", "jsc",
               "pjsc", "ojsc", "cjsc", "llc", "ltd", "ltd.", "inc", "inc.", "co.", "s.a."}
_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_OR = re.compile(r"\s+OR\s+")


def parse(ctx: ParseContext, path: Path) -> Iterator[Entity]:
    """Yield the listed Person, Organization or Vessel and its Sanction per <record>."""
    _check_root(path)
    number = 0
    with open_raw(path) as handle:
        for _event, element in etree.iterparse(handle, events=("end",), tag=RECORD,
                                               huge_tree=True):
            number += 1
            fields = {str(child.tag): " ".join(child.text.split()) for child in element
                      if child.text and not child.text.isspace()}
            yield from _record(ctx, fields, f"line {element.sourceline} (record {number})")
            element.clear(keep_tail=False)
            parent = element.getparent()
            if parent is not None:
                while element.getprevious() is not None:
                    del parent[0]


def _check_root(path: Path) -> None:
    with open_raw(path) as handle:
        for _event, element in etree.iterparse(handle, events=("start",), huge_tree=True):
            if element.tag != ROOT:
                raise FormatError(f"root element is <{element.tag}>, not <{ROOT}>")
            return
    raise FormatError("no XML root element")


def regime_key(country: str) -> str:
    """The English half of a bilingual regime ("Russia / Russie" -> "Russia")."""
    return country.split(" / ")[0].strip()


def _record(ctx: ParseContext, row: dict[str, str], where: str) -> Iterator[Entity]:
    country, item = row.get("Country", ""), row.get("Item", "")
    schedule = row.get("Schedule", "")
    if not country or not item:
        ctx.issue("missing_id", "record without Country or Item: cannot identify the listing",
                  value=" | ".join(f"{k}={v}" for k, v in row.items())[:200], location=where)
        return
    entity = _target(ctx, row, (regime_key(country), schedule, item), where)
    if entity is None:
        return
    for alias, lang in split_aliases(row.get("Aliases"), entity.schema == "Person"):
        ctx.add(entity, "alias", alias, lang=lang, location=where)
    record_id = f"{country}; Schedule {schedule}; Item {item}" if schedule \
        else f"{country}; Item {item}"
    sanction = ctx.sanction(entity, "ca", program=country, recordId=record_id)
    sanction.put("sourceUrl", SOURCE_URL_VALUE)  # a constant, valid URL: no per-record clean
    ctx.add(sanction, "listingDate", row.get("DateOfListing"), location=where)
    yield entity
    yield sanction


def _target(ctx: ParseContext, row: dict[str, str], key: tuple[str, str, str],
            where: str) -> Entity | None:
    imo, org = row.get("ShipIMONumber"), row.get("EntityOrShip")
    date = _normalise_date(row.get("DateOfBirthOrShipBuildDate"))
    if imo:
        entity = ctx.entity("Vessel", *key)
        ctx.add(entity, "name", org, location=where)
        ctx.add(entity, "type", row.get("TitleOrShip"), location=where)
        digits = re.sub(r"\D", "", imo)
        ctx.add(entity, "imoNumber", f"IMO{digits}" if len(digits) == 7 else imo,
                location=where)
        ctx.add(entity, "buildDate", date, location=where)
        return entity
    if org:
        entity = ctx.entity("Organization", *key)
        ctx.add(entity, "name", org, location=where)
        if date:
            ctx.add(entity, "incorporationDate", date, location=where)
        return entity
    given, last = row.get("GivenName", ""), row.get("LastName", "")
    entity = ctx.entity("Person", *key)
    if not (given or last):
        ctx.issue("missing_name", "record without a name", record_id=entity.id,
                  location=where)
        return None
    ctx.add(entity, "name", f"{given} {last}", location=where)
    ctx.add(entity, "firstName", given, location=where)
    ctx.add(entity, "lastName", last, location=where)
    ctx.add(entity, "title", row.get("TitleOrShip"), location=where)
    ctx.add(entity, "birthDate", date, location=where)
    return entity


def _normalise_date(raw: str | None) -> str | None:
    """The publisher's date spellings that the common date reader does not take:
    "1963-1964" (a range) and "1965-07-15 OR 1969-09-28" (alternatives)."""
    if not raw:
        return raw
    if match := _YEAR_RANGE.match(raw):
        return f"{match[1]} to {match[2]}"
    return _OR.sub(" or ", raw)


def split_aliases(raw: str | None, person: bool = False) -> list[tuple[str, str | None]]:
    """The names packed into an Aliases cell, each with the language its label states.

    Names are separated by ";" or ", " ("or" inside a name is kept: it is often a spelling
    choice within one name, "Александр Владимирович Карниенко or Карниенка"). For a
    person, "Баранов, Олег Анатольевич" (one surname, then given names) is one name.
    """
    if not raw:
        return []
    found: list[tuple[str, str | None]] = []
    for chunk in raw.split(";"):
        pieces = [p.strip() for p in chunk.split(", ")]
        if person and len(pieces) == 2 and " " not in pieces[0] and " " in pieces[1] \
                and ":" not in chunk:
            pieces = [chunk.strip()]
        parts: list[str] = []
        for part in pieces:
            if part.lower() in LEGAL_FORMS and parts:
                parts[-1] = f"{parts[-1]}, {part}"
            elif part:
                parts.append(part)
        for part in parts:
            lang = None
            if match := _LANGUAGE_LABEL.match(part):
                lang = LANGUAGES[match["label"].lower()]
                part = part[match.end():].strip()
            if part:
                found.append((part, lang))
    return found
