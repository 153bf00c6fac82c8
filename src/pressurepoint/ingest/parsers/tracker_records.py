"""What the company-tracker parsers share (Yale CELI, KSE "Leave Russia", generic CSV):
company names cleaned one way, stable ids, and the two entities every listing becomes.

A listing of a company in a tracker's file becomes

* a FtM ``Company`` — the company as the tracker names it: ``name`` (cleaned; the text as
  published kept as the original value), ``alias`` (the parts of "ADEO | Leroy Merlin",
  the name without a parenthesised remark), ``abbreviation`` ("BP" of "British Petroleum
  (BP)"), ``country`` (home country), ``sector`` (industry), ``sourceUrl``. Its id is
  stable across the tracker's snapshots: the tracker's own key where it has one (KSE's
  slug), else the ASCII-folded name ("yale-celi-procter-gamble"); two companies of one
  name in one file (Merck of the US and Merck of Germany) get their home country added
  to the id ("yale-celi-merck-de").
* a FtM ``Risk`` — the assessment: ``entity`` → the company, ``authority``, ``program``
  (the tracker), ``status`` (the tracker's own grade as published: "F", "continue"),
  ``summary`` (the tracker's name of that grade: "Digging In"), ``reason`` (the tracker's
  own words: Yale's "action", a campaign's "evidence"), ``date`` (where the file or row
  states one), ``sourceUrl``, ``recordId``. One Risk per company per published file: its
  id is the company id plus the row's date, or, when the file states no date, the first
  16 hex digits of the SHA-256 of the file's content. Each snapshot's assessments are
  therefore their own records, and the history per snapshot is exact (see
  docs/companies.md).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import normality
from followthemoney.types import registry

from pressurepoint.ingest.context import ParseContext
from pressurepoint.model import Entity, Value

# Cyrillic letters that look like Latin ones, as found inside Latin company names
# ("Oсean Network Express", "(СOMAC)"). Local and fixed on purpose: company ids are made
# from the folded name and must not change when a matching library changes.
_TO_LATIN = str.maketrans("АВЕКМНОРСТУХаеорсухіјѕІЈЅ", "ABEKMHOPCTYXaeopcyxijsIJS")
_LATIN = re.compile("[A-Za-z]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_SLUG = re.compile(r"[^a-z0-9]+")
_BRACKETED = re.compile(r"^(.*?\S)\s*[(\[]([^()\[\]]+)[)\]]$")
_ABBREVIATION = re.compile(r"^[A-Z0-9][A-Za-z0-9&.\-]{1,11}$")
# URLs that FtM's cleaning returns unchanged (a tracker's page of a company, built from
# its slug): cleaning thousands of them costs more than the rest of the parse.
_PLAIN_URL = re.compile(r"^https://[a-z0-9\-]+(\.[a-z0-9\-]+)+/[a-z0-9\-]+$")


@dataclass(frozen=True)
class Tracker:
    """Who assesses: the tracker's publisher, its title, and its page."""

    authority: str
    program: str
    url: str | None = None


@dataclass
class Listing:
    """One company's entry in one tracker file, as read from the file."""

    name: str
    location: str
    grade: str | None = None
    label: str | None = None  # the tracker's name of the grade ("Digging In")
    words: str | None = None  # the tracker's own words (Yale "action", CSV "evidence")
    country: str | None = None
    industry: str | None = None
    date: str | None = None  # ISO date the row or file states
    source_url: str | None = None  # where the assessment is documented
    company_url: str | None = None  # the tracker's page of the company
    key: str | None = None  # the tracker's own stable id of the company (KSE slug)
    record_id: str | None = None
    authority: str | None = None  # overrides the tracker's authority (generic CSV)


def content_stamp(data: bytes) -> str:
    """The first 16 hex digits of the SHA-256 of a file's (decompressed) content."""
    return hashlib.sha256(data).hexdigest()[:16]


def clean_company_name(raw: str) -> tuple[str, bool]:
    """(name, folded): HTML entities decoded ("&amp;"), whitespace collapsed, Cyrillic
    look-alike letters inside mostly-Latin words read as Latin. `folded` says whether
    look-alikes were replaced."""
    text = " ".join(html.unescape(raw).split())
    if text.isascii() or not _CYRILLIC.search(text):
        return text, False
    words = []
    folded = False
    for word in text.split(" "):
        latin = len(_LATIN.findall(word))
        cyrillic = len(_CYRILLIC.findall(word))
        if latin and cyrillic and latin >= cyrillic:
            fixed = word.translate(_TO_LATIN)
            folded = folded or fixed != word
            word = fixed
        words.append(word)
    return " ".join(words), folded


def company_slug(name: str) -> str:
    """The id part made from a cleaned name: ASCII, lower case, words joined by "-"."""
    text = normality.ascii_text(name) or ""
    return _SLUG.sub("-", text.lower()).strip("-")


def name_variants(name: str) -> tuple[list[str], list[str]]:
    """(aliases, abbreviations) read from a tracker's name.

    "ADEO | Leroy Merlin" → aliases ADEO and Leroy Merlin; "British Petroleum (BP)" →
    alias British Petroleum, abbreviation BP; "Siemens Energy AG (Independent)" → alias
    Siemens Energy AG; "S&P 500 [S&P Dow Jones Indices]" → both as aliases.
    """
    aliases: list[str] = []
    abbreviations: list[str] = []
    parts = [p.strip() for p in name.split("|")] if "|" in name else [name]
    for part in parts:
        if not part:
            continue
        if part != name:
            aliases.append(part)
        match = _BRACKETED.match(part)
        if match is None:
            continue
        base, inner = match[1].strip(), match[2].strip()
        aliases.append(base)
        if _ABBREVIATION.match(inner) and sum(ch.isupper() for ch in inner) >= 2:
            abbreviations.append(inner)
        elif " " in inner:
            aliases.append(inner)
    return list(dict.fromkeys(a for a in aliases if a)), list(dict.fromkeys(abbreviations))


class _Adder:
    """`ParseContext.add` that remembers cleaned values repeated on many rows (tracker,
    grade names, countries, sectors): FtM's cleaning costs more than the rest of a row."""

    def __init__(self, ctx: ParseContext) -> None:
        self.ctx = ctx
        self.memo: dict[tuple[str, str], Value] = {}

    def __call__(self, entity: Entity, prop: str, raw: str | None, where: str) -> None:
        if raw is None:
            return
        known = self.memo.get((prop, raw))
        if known is None and prop == "sourceUrl" and _PLAIN_URL.match(raw):
            known = Value(raw)
        if known is not None:
            entity.put(prop, known)
        elif self.ctx.add(entity, prop, raw, location=where):
            self.memo[(prop, raw)] = entity.props[prop][-1]


def build_entities(ctx: ParseContext, tracker: Tracker, listings: Sequence[Listing],
                   stamp: str) -> Iterator[Entity]:
    """The Company and Risk entities of all listings of one file (see the module doc)."""
    add = _Adder(ctx)
    keyed = _company_keys(ctx, listings)
    by_key: dict[str, list[Listing]] = defaultdict(list)
    for key, listing in keyed:
        by_key[key].append(listing)
    for key, group in by_key.items():
        company = ctx.entity("Company", key)
        for listing in group:
            _fill_company(ctx, add, company, listing)
        yield company
        same_day: dict[str, list[Listing]] = defaultdict(list)
        for listing in group:
            same_day[listing.date or stamp].append(listing)
        for when, listed in same_day.items():
            _report_duplicates(ctx, key, listed)
            for count, listing in enumerate(listed, 1):
                yield _risk(ctx, add, tracker, company, listing, (key, when, count))


def _company_keys(ctx: ParseContext, listings: Sequence[Listing]) -> list[tuple[str, Listing]]:
    """Each listing's id part; names listed with several home countries get the country."""
    plain: list[tuple[str, Listing]] = []
    countries: dict[str, set[str]] = defaultdict(set)
    for listing in listings:
        name, _ = clean_company_name(listing.name)
        if not name:
            ctx.issue("empty_name", "a listing without a company name (skipped)",
                      value=listing.key, location=listing.location)
            continue
        key = listing.key or company_slug(name)
        if not key:
            ctx.issue("invalid_name", f"no letters or digits to identify {listing.name!r}",
                      value=listing.name, location=listing.location)
            continue
        plain.append((key, listing))
        if listing.country and not listing.key:
            countries[key].add(listing.country.strip().lower())
    keyed = []
    for key, listing in plain:
        if len(countries.get(key, ())) > 1 and listing.country:
            code = registry.country.clean(listing.country.strip())
            key = f"{key}-{code or company_slug(listing.country)}"
        keyed.append((key, listing))
    return keyed


def _report_duplicates(ctx: ParseContext, key: str, group: list[Listing]) -> None:
    if len(group) < 2:
        return
    where = ", ".join(listing.location for listing in group)
    grades = ", ".join(listing.grade or "?" for listing in group)
    ctx.issue("duplicate_company",
              f"{group[0].name.strip()!r} is listed {len(group)} times ({where}; grades "
              f"{grades}); each listing is kept as an assessment",
              record_id=ctx.make_id(key), value=group[0].name.strip(),
              location=group[0].location)


def _fill_company(ctx: ParseContext, add: _Adder, company: Entity, listing: Listing) -> None:
    name, folded = clean_company_name(listing.name)
    published = " ".join(listing.name.split())
    if folded:
        ctx.issue("mixed_script_name", f"Cyrillic look-alike letters in {published!r} read "
                  f"as Latin: {name!r}", record_id=company.id, prop="name", value=published,
                  location=listing.location, level="info")
    company.put("name", Value(name, None, listing.name if listing.name != name else None))
    aliases, abbreviations = name_variants(name)
    ctx.add_many(company, "alias", aliases, location=listing.location)
    ctx.add_many(company, "abbreviation", abbreviations, location=listing.location)
    add(company, "country", listing.country, listing.location)
    add(company, "sector", listing.industry, listing.location)
    add(company, "sourceUrl", listing.company_url, listing.location)


def _risk(ctx: ParseContext, add: _Adder, tracker: Tracker, company: Entity,
          listing: Listing, key: tuple[str, str, int]) -> Entity:
    company_key, when, count = key
    risk = ctx.entity("Risk", company_key, "status", when, count if count > 1 else None)
    where = listing.location
    risk.put("entity", Value(company.id))
    add(risk, "authority", listing.authority or tracker.authority, where)
    add(risk, "program", tracker.program, where)
    add(risk, "status", listing.grade, where)
    add(risk, "summary", listing.label, where)
    add(risk, "date", listing.date, where)
    add(risk, "sourceUrl", listing.source_url or tracker.url, where)
    ctx.add(risk, "reason", listing.words, location=where)
    ctx.add(risk, "recordId", listing.record_id, location=where)
    return risk
