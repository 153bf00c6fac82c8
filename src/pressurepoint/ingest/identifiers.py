"""Identifiers hidden in publishers' free text: "Tax ID No. 7718989383 (Russia)",
"Registration Number 1147746803049 (Russia)", "Passport 640848350 (Russia)",
"IMO 8674156", "OGRN ...", "INN ...", "Russian TIN: ...".

Each hit names the FtM property it belongs to. Russian INN / OGRN are checked with
python-stdnum where it has a validator: a number that fails its checksum still becomes an
identifier (the publisher said so) but under the generic property, never a typed code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
# Label (regex) -> FtM property. Order matters: specific labels before generic ones.
_LABELLED: list[tuple[str, str]] = [
    (r"Tax ID No\.?|Russian TIN|TIN|INN|Taxpayer Identification Number", "taxNumber"),
    (r"OGRN|Primary State Registration Number|Main State Registration Number", "ogrnCode"),
    (r"Registration (?:Number|No\.?|ID)|Business Reg(?:istration)? No\.?|Company Number",
     "registrationNumber"),
    (r"Passport(?: No\.?| Number)?", "passportNumber"),
    (r"National ID No\.?|National ID Number|Identification Number|Cedula No\.?", "idNumber"),
    (r"(?:Vessel Registration Identification )?IMO(?: number| No\.?)?", "imoNumber"),
    (r"MMSI", "mmsi"),
    (r"SWIFT/BIC|SWIFT", "swiftBic"),
    (r"Legal Entity Number|LEI", "leiCode"),
    (r"KPP", "kppCode"),
    (r"OKPO", "okpoCode"),
]
_PATTERNS = [
    (re.compile(rf"\b(?:{label})\s*[:#]?\s*{_NUMBER}{_COUNTRY}(?=$|[;,.)\s])", re.I), prop)
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
            if not any(ch.isdigit() for ch in value):
                continue
            taken.append(span)
            found.append((span[0], _typed(prop, value, match.group(2), match.group(0))))
    return [ident for _, ident in sorted(found, key=lambda item: item[0])]


def _typed(prop: str, value: str, country: str | None, label: str) -> Identifier:
    compact = re.sub(r"[\s\-]", "", value)
    russian = country is None or "russia" in country.lower()
    if prop == "taxNumber" and russian and ru_inn.is_valid(compact):
        return Identifier("innCode", compact, country or "Russia", label)
    if prop == "ogrnCode" and not _valid_ogrn(compact):
        return Identifier("registrationNumber", value, country, label)
    if prop == "registrationNumber" and country and "russia" in country.lower() \
            and _valid_ogrn(compact):
        return Identifier("ogrnCode", compact, country, label)
    if prop == "imoNumber":
        digits = re.sub(r"\D", "", value)
        return Identifier(prop, f"IMO{digits}" if len(digits) == 7 else value, country, label)
    return Identifier(prop, value, country, label)


def _valid_ogrn(value: str) -> bool:
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
