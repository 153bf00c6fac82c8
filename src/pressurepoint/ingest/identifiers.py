"""Identifiers hidden in publishers' free text: "Tax ID No. 7718989383 (Russia)",
"Registration Number 1147746803049 (Russia)", "Passport 640848350 (Russia)",
"IMO 8674156", "OGRN ...", "ИНН ...", "Russian TIN: ...", "SWIFT/BIC SABRRUMM".

Each hit names the FtM property it belongs to. Russian INN / OGRN, IMO numbers and BICs
are checked with a library validator (python-stdnum, rigour): a number that fails its
check still becomes an identifier (the publisher said so) but under the generic property
(taxNumber, registrationNumber), never a typed code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rigour.ids import IMO
from stdnum import bic as std_bic
from stdnum.ru import inn as ru_inn

from pressurepoint.ingest.cleaning import collapse


@dataclass(frozen=True, slots=True)
class Identifier:
    """One identifier found in text: FtM property, value, and the country stated with it."""

    prop: str
    value: str
    country: str | None = None
    label: str | None = None


_NUMBER = r"([A-Z0-9][A-Z0-9\-/. ]{2,40}?[A-Z0-9])"
_COUNTRY = r"(?:\s*\(([A-Za-z .,'\-]+)\))?"
# A value ends at the end of the text, at ; , ) or a space, or at a full stop that ends a
# sentence ("CH-660.0.699.004-7" keeps its inner dots).
_END = r"(?=$|[;,)\s]|\.(?:\s|$))"
# Label (regex) -> FtM property. Order matters: specific labels before generic ones.
_LABELLED: list[tuple[str, str]] = [
    (r"Tax ID No\.?|Russian TIN|TIN|INN|ИНН|Tax(?:payer)? Identification (?:Number|No\.?)",
     "taxNumber"),
    (r"OGRNIP|OGRN|ОГРНИП|ОГРН|Primary State Registration Number|"
     r"Main State Registration Number", "ogrnCode"),
    (r"(?:Company Number|Identification Number|Vessel Registration Identification)"
     r"(?=\s+IMO\b)", "imoNumber"),
    (r"Registration (?:Number|No\.?|ID)|Business Reg(?:istration)? No\.?|Company Number",
     "registrationNumber"),
    (r"Passport(?: No\.?| Number)?", "passportNumber"),
    (r"National ID No\.?|National ID Number|Identification Number|Cedula No\.?", "idNumber"),
    (r"IMO(?: number| No\.?)?", "imoNumber"),
    (r"MMSI", "mmsi"),
    (r"SWIFT/BIC|SWIFT|BIC", "swiftBic"),
    (r"Legal Entity Number|LEI", "leiCode"),
    (r"KPP|КПП", "kppCode"),
    (r"OKPO|ОКПО", "okpoCode"),
]
_PATTERNS = [
    (re.compile(rf"(?<!\w)(?:{label})\s*[:#№]?\s*{_NUMBER}{_COUNTRY}{_END}", re.I), prop)
    for label, prop in _LABELLED
]


def extract_identifiers(text: str | None) -> list[Identifier]:
    """Every labelled identifier in a free-text remark, in order of appearance."""
    if not text:
        return []
    flat = collapse(text)
    found: list[tuple[int, Identifier]] = []
    taken: list[tuple[int, int]] = []
    for pattern, prop in _PATTERNS:
        for match in pattern.finditer(flat):
            span = match.span(1)
            if any(a < span[1] and span[0] < b for a, b in taken):
                continue
            value = match.group(1).strip(" .")
            if prop != "swiftBic" and not any(ch.isdigit() for ch in value):
                continue
            if prop == "swiftBic" and not valid_bic(value):
                continue
            taken.append(span)
            found.append((span[0], _typed(prop, value, match.group(2), match.group(0))))
    return [ident for _, ident in sorted(found, key=lambda item: item[0])]


def _typed(prop: str, value: str, country: str | None, label: str) -> Identifier:
    compact = re.sub(r"[\s\-]", "", value)
    russian = country is None or "russia" in country.lower()
    if prop == "taxNumber" and russian and valid_inn(compact):
        return Identifier("innCode", compact, country or "Russia", label)
    if prop == "ogrnCode" and not valid_ogrn(compact):
        return Identifier("registrationNumber", value, country, label)
    if prop == "registrationNumber" and country and "russia" in country.lower() \
            and valid_ogrn(compact):
        return Identifier("ogrnCode", compact, country, label)
    if prop == "imoNumber":
        imo = normalize_imo(value)
        if imo is None:
            return Identifier("registrationNumber", value, country, label)
        return Identifier(prop, imo, country, label)
    if prop == "swiftBic":
        return Identifier(prop, value.upper(), country, label)
    return Identifier(prop, value, country, label)


def valid_inn(value: str) -> bool:
    """A Russian INN (10 digits for companies, 12 for persons) with valid check digits."""
    return bool(ru_inn.is_valid(value))


def valid_bic(value: str) -> bool:
    """A SWIFT/BIC code of valid shape (8 or 11 characters, ISO country in place)."""
    return bool(std_bic.is_valid(value))


def normalize_imo(value: str) -> str | None:
    """An IMO number as "IMO1234567" if the text holds one with a valid check digit (ship or
    company scheme; 5- and 6-digit numbers are zero-padded), else None."""
    found = IMO.normalize(value)
    return str(found) if found else None


def valid_ogrn(value: str) -> bool:
    """OGRN (13 digits) / OGRNIP (15 digits) check digit: the number without its last digit
    modulo 11 (13) or 13 (15), last digit of that remainder. python-stdnum has ru.ogrn from
    1.20; we fall back to this rule if it is missing."""
    try:
        from stdnum.ru import ogrn

        return bool(ogrn.is_valid(value))
    except ImportError:  # pragma: no cover - older python-stdnum
        if not value.isdigit() or len(value) not in (13, 15):
            return False
        modulus = 11 if len(value) == 13 else 13
        return int(value[:-1]) % modulus % 10 == int(value[-1])
