"""Values as the two UK publishers (OFSI and the FCDO) write them.

Shared by the OFSI Consolidated List parser and the FCDO UK Sanctions List parser: packed
lists "(1) A (2) B", country cells such as "Former USSR, now Ukraine", business
registration cells such as "(1) OGRN – 1125261000040 (2) INN – 5261079332 (3) KPP -
526101001", and OFSI's labelled "Other Information".
"""

from __future__ import annotations

import re
from functools import lru_cache

from followthemoney import model
from followthemoney.types import registry
from stdnum.ru import inn as ru_inn
from stdnum.ru import ogrn as ru_ogrn

from pressurepoint.ingest.cleaning import collapse
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.identifiers import Identifier, extract_identifiers
from pressurepoint.model import Entity, Value

SCHEMATA = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
# FtM property -> label used when a value lands in `notes` (the schema lacks the property).
NOTE_LABELS = {"kppCode": "KPP", "flag": "Flag", "pastFlags": "Previous flags",
               "type": "Type of ship", "tonnage": "Tonnage", "buildDate": "Year built",
               "imoNumber": "IMO number", "gender": "Gender", "legalForm": "Type of entity"}


def schema_for(kind: str) -> str:
    """FtM schema of an OFSI Group Type / FCDO IndividualEntityShip value."""
    return SCHEMATA.get(kind.strip().lower(), "LegalEntity")


LANGUAGES = {
    "russian": "rus", "russia": "rus", "ukrainian": "ukr", "ukraine": "ukr",
    "belarusian": "bel", "arabic": "ara", "persian": "fas", "farsi": "fas",
    "persian/farsi": "fas", "chinese": "zho", "georgian": "kat", "hebrew": "heb",
    "korean": "kor", "thai": "tha", "greek": "ell", "bulgarian": "bul", "turkish": "tur",
    "kazakh": "kaz", "serbian": "srp", "bosnian": "bos", "japanese": "jpn",
    "romanian": "ron", "spanish": "spa", "burmese": "mya",
}


def language_code(raw: str | None) -> str | None:
    """ISO 639-3 code of a language as OFSI/FCDO name it ("Russian" -> "rus")."""
    return LANGUAGES.get((raw or "").strip().lower())


# -- packed lists -------------------------------------------------------------------------
# "(1) A (2) B", "1) A 2) B" (2018), "(1)-(2) Indonesia", "(1-3) Libya".
_MARKER = r"\(\d{1,2}\s*-\s*\d{1,2}\)|\(\d{1,2}\)(?:\s*-\s*\(\d{1,2}\))?"
_SPLIT_PAREN = re.compile(rf"(?:{_MARKER})\s*")
_SPLIT_BARE = re.compile(rf"(?:^|(?<=\s))(?:{_MARKER}|\d{{1,2}}\))\s*")
_PLACEHOLDER = {"", "-", "--", "n/a", "none", "."}


def split_items(raw: str | None) -> list[str]:
    """A packed cell as its items, without "-" placeholders."""
    text = (raw or "").strip()
    if not text:
        return []
    if re.match(r"\d{1,2}\)", text):
        parts = _SPLIT_BARE.split(text)
    elif re.search(r"\(\d{1,2}(?:\s*-\s*\d{1,2})?\)", text):
        parts = _SPLIT_PAREN.split(text)
    else:
        parts = [text]
    items = [p.strip(" ,;") for p in parts]
    return [p for p in items if p.lower() not in _PLACEHOLDER]


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/.]*[A-Za-z0-9]")
_DATE_LIKE = re.compile(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{4}$")
_SINGLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/. ]*")


def _numbery(token: str, minimum: int = 5) -> bool:
    digits = sum(c.isdigit() for c in token)
    return (digits >= minimum or (digits >= 4 and not token.isdigit())) \
        and not _DATE_LIKE.match(token)


def token_numbers(raw: str | None) -> list[str]:
    """Document numbers in a cell: each item's number ("Passport No: 592667 (Qatari ...)",
    "Tunisia number G557170 issued on 16 Nov 1989", "no 3603251708570001")."""
    found: list[str] = []
    for item in split_items(raw):
        if _SINGLE.fullmatch(item) and any(c.isdigit() for c in item) and len(item) <= 24:
            found.append(item.strip(" ."))
            continue
        labelled = [i.value for i in extract_identifiers(item)
                    if i.prop in ("passportNumber", "idNumber")]
        if labelled:
            found.extend(labelled)
            continue
        token = next((t.strip(".-/") for t in (m.group(0) for m in _TOKEN.finditer(item))
                      if _numbery(t.strip(".-/"))), None)
        if token:
            found.append(token)
    return found


# -- dates ---------------------------------------------------------------------------------
_ZERO_DAY = re.compile(r"(?:00|dd)[./-](00|mm|\d{1,2})[./-](\d{4})", re.I)


def partial_date(raw: str) -> str:
    """A date with an unknown day or month as the part that is known: "00/00/1963" ->
    "1963", "00/05/1970" -> "05/1970" (cleaning.parse_date reads "00/00/1963" as an
    impossible day instead of a year)."""
    match = _ZERO_DAY.fullmatch(raw.strip())
    if match is None:
        return raw
    if match.group(1).lower() in ("00", "mm"):
        return match.group(2)
    return f"{match.group(1)}/{match.group(2)}"


def date_items(raw: str | None) -> list[str]:
    """The dates of a packed date cell, partial dates as their known part."""
    return [partial_date(item) for item in split_items(raw)]


# -- countries ----------------------------------------------------------------------------
_COUNTRY_FIXES = {"congo (democratic republic)": "cd", "bosnia-herzegovina": "ba",
                  "repubic of moldova": "md", "occupied palestinian territories": "ps"}
_NOW = re.compile(r"\b(?:now|currently)\s+(?:the\s+)?([A-Za-z][A-Za-z .'-]+?)\s*\)?\s*$", re.I)


@lru_cache(maxsize=4096)
def _country_names(item: str) -> tuple[str, ...]:
    text = item.strip(" .")
    if text.lower() in _COUNTRY_FIXES:
        return (_COUNTRY_FIXES[text.lower()],)
    if registry.country.clean(text):
        return (text,)
    now = _NOW.search(text)
    if now and registry.country.clean(now.group(1)):
        return (now.group(1),)
    plain = re.sub(r"\([^)]*\)", " ", text).strip(" ,.")
    if plain and registry.country.clean(plain):
        return (plain,)
    parts = [p.strip() for p in re.split(r"[,.;/]", plain) if p.strip()]
    good = tuple(p for p in parts if registry.country.clean(p))
    return good or (text,)


_LETTERED = re.compile(r"(?:^|(?<=\s))\(?[a-h]\)\s+")


def countries_in(raw: str | None) -> list[str]:
    """The countries a cell names: "Russia (former USSR)" -> Russia, "Former USSR, now
    Ukraine" -> Ukraine, "(a) Jordanian (b) American" -> both. A cell naming no known
    country is returned as written, so that adding it records an Issue."""
    items = [part.strip(" ,;") for item in split_items(raw) for part in _LETTERED.split(item)]
    return [name for item in items if item for name in _country_names(item)]


# -- adding values ------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _clean_url(url: str) -> str:
    cleaned = registry.url.clean(url)
    assert cleaned is not None, url
    return str(cleaned)


def put_source_url(sanction: Entity, url: str) -> None:
    """The list's web page on a Sanction, cleaned once per run rather than once per
    designation (URL cleaning is the dearest step of a Sanction)."""
    sanction.put("sourceUrl", Value(_clean_url(url)))


def add_value(ctx: ParseContext, entity: Entity, prop: str, raw: str, where: str,
              lang: str | None = None) -> None:
    """`ctx.add`, with a note instead when the schema lacks the property (a KPP code on an
    Organization) and phone numbers written without their "+"."""
    schema = model.get(entity.schema)
    assert schema is not None
    if schema.get(prop) is None:
        ctx.add(entity, "notes", f"{NOTE_LABELS.get(prop, prop)}: {raw}", location=where)
        return
    if prop == "phone" and registry.phone.clean(raw) is None:
        digits = re.sub(r"\D", "", raw)
        digits = digits[2:] if raw.strip().startswith("00") else digits
        if 10 <= len(digits) <= 15 and registry.phone.clean(f"+{digits}"):
            raw = f"+{digits}"
    ctx.add(entity, prop, raw, lang=lang, location=where)


# -- business registration numbers --------------------------------------------------------
_BUSINESS_LABELS = {
    "leiCode": r"LEI|Legal Entity Identifier",
    "uscCode": r"Unified Social Credit Code|USCC",
    "swiftBic": r"SWIFT(?:/BIC)?|BIC",
    "kppCode": r"KPP|КПП",
    "okpoCode": r"OKPO|ОКПО",
    "other": r"OKTMO|OKATO|OKVED|OKOGU|OKFS|OKOPF|ОКТМО|ОКАТО|ОКВЭД",
    "ogrnCode": r"OGRNIP|OGRN|ОГРН|PSRN|SRN|(?:Primary |Main )?State Registration Number",
    "taxNumber": r"INN|TIN|ИНН|УНН|Tax ID(?: No)?|Tax(?:payer)? Identification Number"
                 r"|Tax (?:Number|No|Registration Number)",
}
_BUSINESS_LABEL = re.compile(
    "|".join(rf"(?P<{prop}>(?<!\w)(?:{pattern})(?!\w))" for prop, pattern in
             _BUSINESS_LABELS.items()), re.I)


def business_identifiers(text: str) -> list[Identifier]:
    """Identifiers in a business registration cell. Each number takes the label written
    before it; an unlabelled number is a registration number."""
    found: list[Identifier] = []
    end = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0).strip(".-/")
        if not _numbery(token, 4):
            continue
        labels = list(_BUSINESS_LABEL.finditer(text, end, match.start()))
        end = match.end()
        label = labels[-1] if labels else None
        kind = label.lastgroup if label else None
        found.extend(_typed(kind, token, label.group(0) if label else None))
    return found


def _typed(kind: str | None, token: str, label: str | None) -> list[Identifier]:
    pair = re.fullmatch(r"(\d{10})/(\d{9})", token)
    if pair and kind in (None, "taxNumber") and ru_inn.is_valid(pair.group(1)):
        return [Identifier("innCode", pair.group(1), None, label),
                Identifier("kppCode", pair.group(2), None, label)]
    if kind == "taxNumber":
        prop = "innCode" if ru_inn.is_valid(token) else "taxNumber"
        return [Identifier(prop, token, None, label)]
    if kind == "ogrnCode":
        prop = "ogrnCode" if ru_ogrn.is_valid(token) else "registrationNumber"
        return [Identifier(prop, token, None, label)]
    if kind == "other":
        return [Identifier("notes", f"{label}: {token}", None, label)]
    return [Identifier(kind or "registrationNumber", token, None, label)]


_FREE_TEXT_LABELS = (
    (re.compile(r"\bTax Registration Number\b", re.I), "Tax ID No."),
    (re.compile(r"(?<!Primary )(?<!Main )\bState Registration Number\b", re.I), "OGRN"),
    (re.compile(r"(?<=[A-Za-z)])\s+[-–—]\s+(?=[A-Z0-9])"), ": "),
)


def free_text_identifiers(text: str) -> list[Identifier]:
    """`extract_identifiers` after naming Russian numbers the way it knows them ("State
    Registration Number" is the OGRN) and turning "TIN - 7703104630" into "TIN: ..."."""
    for pattern, replacement in _FREE_TEXT_LABELS:
        text = pattern.sub(replacement, text)
    return extract_identifiers(text)


# -- OFSI "Other Information" -------------------------------------------------------------
OTHER_LABELS = (
    "UK Sanctions List Ref", "UK Statement of Reasons", "UN Ref", "Gender", "Phone number",
    "Email address", "Type of entity", "Website", "Parent company", "Business Reg No",
    "Subsidiaries", "IMO number", "Flag of ship", "Type of ship", "Tonnage of ship",
    "Length of ship", "Year built", "Current owners", "Fax", "Previous flags", "Tel",
)
_OTHER_LABEL = re.compile(r"\((" + "|".join(map(re.escape, OTHER_LABELS)) + r")\)\s*:", re.I)
OTHER_PROPS = {
    "gender": "gender", "phone number": "phone", "fax": "phone", "tel": "phone",
    "email address": "email", "website": "website", "type of entity": "legalForm",
    "imo number": "imoNumber", "flag of ship": "flag", "previous flags": "pastFlags",
    "type of ship": "type", "tonnage of ship": "tonnage", "year built": "buildDate",
}
_LEAD_TOKEN = re.compile(r"\s*(\S+?)\.?(?=\s|$)(.*)", re.S)
_REF = r"[A-Z]{2,3}[a-z]?\.?\d{3,5}"  # RUS2102, BEL0047, QDi.042, SOi.002
_LIST_REFS = re.compile(rf"\s*({_REF}(?:\s*(?:,|and|&)\s*{_REF})*)\.?(?=\s|$)(.*)", re.S)
_INLINE_UN_REF = re.compile(r"\bUN\s*Ref\b\.?\s*:?\s*([A-Za-z]{2,4}\.[A-Za-z0-9.]*\d)", re.I)
_INLINE_NON_LATIN = re.compile(r"Name \(non-Latin script\):\s*(.+?)\.?\s+Non Latin Script Type",
                               re.I)


def other_information(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, value) pairs of the labelled fields, and the free text outside them."""
    sections: list[tuple[str, str]] = []
    free: list[str] = []
    label: str | None = None
    start = 0
    for match in _OTHER_LABEL.finditer(text):
        _keep(text[start:match.start()], label, sections, free)
        label, start = match.group(1).lower(), match.end()
    _keep(text[start:], label, sections, free)
    return sections, free


def _keep(chunk: str, label: str | None, sections: list[tuple[str, str]],
          free: list[str]) -> None:
    value = chunk.strip()
    if label is not None:
        sections.append((label, value))
    elif value:
        free.append(value)


def apply_other_information(ctx: ParseContext, entity: Entity, text: str,
                            where: str) -> dict[str, set[str]]:
    """Put OFSI's "Other Information" on the entity; return the designation's values
    (authorityId: UK Sanctions List Ref, reason: UK Statement of Reasons, unscId: UN Ref)."""
    sections, free = other_information(text)
    found: dict[str, set[str]] = {"authorityId": set(), "reason": set(), "unscId": set()}
    for label, value in sections:
        if label in ("uk sanctions list ref", "un ref"):
            refs, rest = _references(value)
            found["authorityId" if label.startswith("uk") else "unscId"].update(refs)
            free.append(rest)
        elif label == "uk statement of reasons":
            found["reason"].add(value)
        elif label == "business reg no":
            for ident in business_identifiers(value):
                add_value(ctx, entity, ident.prop, ident.value, where)
        elif label in OTHER_PROPS:
            add_labelled(ctx, entity, OTHER_PROPS[label], value, where)
        elif value:
            ctx.add(entity, "notes", f"{label.capitalize()}: {value}", location=where)
    rest = collapse(" ".join(f for f in free if f))
    if rest:
        free_text(ctx, entity, rest, where)
        if not sections:  # 2018 layout: "UN Ref QDe.004. Emir for ..."
            found["unscId"].update(m.group(1).rstrip(".") for m in _INLINE_UN_REF.finditer(rest))
    return found


def _references(value: str) -> tuple[list[str], str]:
    """"RUS2102. Financial sanctions..." -> (["RUS2102"], "Financial sanctions...");
    "BEL0047 and GHR0051. Listed..." -> both; "SDi.005." -> ["SDi.005"]."""
    several = _LIST_REFS.match(value)
    if several:
        return re.findall(_REF, several.group(1)), several.group(2).strip(" .")
    lead = _LEAD_TOKEN.match(value)
    if lead is None or not lead.group(1):
        return [], value
    return [lead.group(1)], lead.group(2).strip(" .")


def add_labelled(ctx: ParseContext, entity: Entity, prop: str, value: str,
                 where: str) -> None:
    """A packed cell of phones, e-mails, websites, IMO numbers... split and added."""
    items = split_items(value)
    if prop in ("email", "website"):
        items = [e for item in items for e in re.split(r"[\s;,]+", item) if "." in e]
    elif prop == "phone":
        items = [p for item in items for p in re.split(r"\.\s+|[;,]\s*", item) if p.strip()]
    for item in items:
        if prop == "imoNumber":
            digits = re.sub(r"\D", "", item)
            item = f"IMO{digits}" if len(digits) == 7 else item
        add_value(ctx, entity, prop, item, where)


def free_text(ctx: ParseContext, entity: Entity, text: str, where: str) -> None:
    """Free text as a note, plus the identifiers and non-Latin names written in it."""
    ctx.add(entity, "notes", text, location=where)
    for match in _INLINE_NON_LATIN.finditer(text):
        ctx.add(entity, "name", match.group(1), location=where)
    for ident in free_text_identifiers(text):
        add_value(ctx, entity, ident.prop, ident.value, where)
