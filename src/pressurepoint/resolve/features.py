"""Records prepared once for pairwise scoring: names, birth dates, identifiers, countries,
gender; and the feature comparisons the scorer combines.

`prepare(schema, props)` reads FollowTheMoney properties (``{"name": [...], "birthDate":
[...], "innCode": [...]}``) into a `Prepared` record. It never raises for bad values: each
problem is kept in `Prepared.problems` (code and message) and the value is left out, so
the caller decides what is fatal (`pressurepoint score` refuses a pair whose record has an
invalid date or no usable name). Nothing here touches the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from followthemoney import model, registry
from stdnum import bic as std_bic
from stdnum import lei as std_lei
from stdnum.ru import inn as ru_inn
from stdnum.ru import ogrn as ru_ogrn

from pressurepoint.errors import InvalidInput
from pressurepoint.names.forms import (
    ANY,
    OBJECT,
    ORG,
    PATRONYMIC,
    PERSON,
    NameForm,
    Token,
    analyse_name,
)
from pressurepoint.names.matching import NameSet, best_match, name_set
from pressurepoint.names.vessels import normalize_imo

#: The schemata the scorer handles, with the name analysis each uses. "Thing" stands for a
#: record of unknown type (a screening query): it can match any of the others.
SCHEMA_KINDS = {
    "Person": PERSON, "Organization": ORG, "Company": ORG, "PublicBody": ORG,
    "LegalEntity": ANY, "Vessel": OBJECT, "Airplane": OBJECT, "Thing": ANY,
}
NAME_PROPS = ("name", "alias", "previousName", "weakAlias", "abbreviation")
_NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")
DATE_PROPS = {PERSON: ("birthDate",), ORG: ("incorporationDate",), ANY: ("birthDate",
              "incorporationDate"), OBJECT: ("buildDate",)}
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "flag",
                 "mainCountry")
#: FtM property → identifier kind. Tax and registration numbers that pass the Russian INN
#: or OGRN check count as those, wherever the publisher put them.
ID_PROPS = {
    "innCode": "inn", "ogrnCode": "ogrn", "imoNumber": "imo", "passportNumber": "passport",
    "leiCode": "lei", "swiftBic": "bic", "mmsi": "mmsi", "callSign": "callsign",
    "serialNumber": "msn", "icaoCode": "icao", "taxNumber": "id", "registrationNumber": "id",
    "idNumber": "id", "vatCode": "id", "okpoCode": "id", "socialSecurityNumber": "id",
}
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_COMPACT = re.compile(r"[\s\-./]+")


@dataclass(frozen=True, slots=True)
class Prepared:
    """One record, ready to be scored against others (see the module docstring)."""

    schema: str
    kind: str
    #: the schemata a record of this one can be the same thing as
    compatible: frozenset[str]
    names: tuple[NameForm, ...]
    nameset: NameSet
    dates: tuple[tuple[int, int | None, int | None], ...]
    id_keys: frozenset[str]
    valid_ids: dict[str, frozenset[str]]
    countries: frozenset[str]
    gender: str | None
    #: "stated" (the gender property), "patronymic" or "surname" (read from the names)
    gender_source: str | None
    problems: tuple[tuple[str, str], ...]
    #: the patronymics in any of a person's names (one token per reading)
    patronymics: tuple[Token, ...] = ()


def prepare(schema: str, props: dict[str, list[str]]) -> Prepared:
    """Read one record's FtM properties. Raises InvalidInput for an unknown schema only."""
    kind = SCHEMA_KINDS.get(schema)
    if kind is None:
        raise InvalidInput(f"unknown schema {schema!r}; use one of "
                           f"{', '.join(sorted(SCHEMA_KINDS))}")
    problems: list[tuple[str, str]] = []
    names, imos = _names(schema, kind, props, problems)
    ids = _identifiers(props, imos, problems)
    gender, source = _gender(kind, props, names, problems)
    return Prepared(
        schema=schema,
        kind=kind,
        compatible=compatible_schemata(schema),
        names=names,
        nameset=name_set(names),
        dates=_dates(kind, props, problems),
        id_keys=frozenset(f"{k}:{v}" for k, v, _ in ids),
        valid_ids=_valid_by_kind(ids),
        countries=_countries(props, problems),
        gender=gender,
        gender_source=source,
        problems=tuple(problems),
        patronymics=_patronymics(kind, names),
    )


def _patronymics(kind: str, names: tuple[NameForm, ...]) -> tuple[Token, ...]:
    if kind != PERSON:
        return ()
    found = {t.uid: t for form in names for t in form.toks if t.role == PATRONYMIC}
    return tuple(found.values())


def _names(schema: str, kind: str, props: dict[str, list[str]],
           problems: list[tuple[str, str]]) -> tuple[tuple[NameForm, ...], list[str]]:
    texts = [v for p in NAME_PROPS for v in props.get(p, ())]
    if kind == PERSON and (parts := [v for p in _NAME_PARTS for v in props.get(p, ())[:1]]):
        texts.append(" ".join(parts))
    forms: dict[str, NameForm] = {}
    imos: list[str] = []
    for text in texts:
        for piece in _split_scripts(text):
            analysis = analyse_name(piece, kind)
            problems.extend(analysis.problems)
            imos.extend(analysis.imo_numbers)
            if analysis.form is not None:
                forms.setdefault(analysis.form.key, analysis.form)
    if not forms:
        problems.append(("no_name", f"no usable name for this {schema}"))
    return tuple(forms.values()), imos


_PARENS = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")


def _split_scripts(text: str) -> list[str]:
    """"Roman ABRAMOVICH (Роман АБРАМОВИЧ)": a name followed by its form in another
    script is two names. Other parentheses stay part of the name."""
    match = _PARENS.match(text)
    if match is None:
        return [text]
    outer, inner = match.group(1), match.group(2)
    if _latin_share(outer) > 0.5 > _latin_share(inner) or \
            _latin_share(inner) > 0.5 > _latin_share(outer):
        return [outer, inner]
    return [text]


def _latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch.isascii() for ch in letters) / len(letters) if letters else 0.0


def _dates(kind: str, props: dict[str, list[str]], problems: list[tuple[str, str]]
           ) -> tuple[tuple[int, int | None, int | None], ...]:
    found: list[tuple[int, int | None, int | None]] = []
    for prop in DATE_PROPS[kind]:
        for value in props.get(prop, ()):
            parsed = parse_iso_date(value)
            if parsed is None:
                problems.append(("invalid_date", f"{prop}: {value[:40]!r} is not a date "
                                 "(YYYY, YYYY-MM or YYYY-MM-DD)"))
            elif parsed not in found:
                found.append(parsed)
    return tuple(found)


def parse_iso_date(value: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of an ISO date prefix, None if it is no real date."""
    match = _ISO_DATE.match(value.strip()[:10] if "T" in value else value.strip())
    if match is None:
        return None
    year = int(match.group(1))
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    return (year, month, day) if 1000 <= year <= 2200 else None


def _identifiers(props: dict[str, list[str]], imos: list[str],
                 problems: list[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    found = [("imo", imo, True) for imo in imos]
    for prop, kind in ID_PROPS.items():
        for value in props.get(prop, ()):
            ident = normalize_identifier(kind, value)
            if ident is None:
                problems.append(("invalid_identifier", f"{prop}: {value[:40]!r} ignored"))
            elif ident not in found:
                found.append(ident)
    return found


@lru_cache(maxsize=100_000)
def normalize_identifier(kind: str, value: str) -> tuple[str, str, bool] | None:
    """(kind, normalised value, valid) of one identifier; None if it is too short to mean
    anything. Checksums by python-stdnum and rigour (INN, OGRN, LEI, BIC, IMO)."""
    compact = _COMPACT.sub("", value).upper()
    if kind == "imo" or compact.startswith("IMO"):
        imo = normalize_imo(value)
        return ("imo", imo, True) if imo else ("imo", compact, False)
    if len(compact) < 4:
        return None
    if kind not in ("bic", "callsign") and not any(ch.isdigit() for ch in compact):
        return None
    if kind in ("inn", "id") and compact.isdigit() and ru_inn.is_valid(compact):
        return "inn", compact, True
    if kind in ("ogrn", "id") and compact.isdigit() and ru_ogrn.is_valid(compact):
        return "ogrn", compact, True
    if kind in ("inn", "ogrn"):
        return kind, compact, False
    if kind == "lei":
        return "lei", compact, bool(std_lei.is_valid(compact))
    if kind == "bic":
        return "bic", compact[:8], bool(std_bic.is_valid(compact))
    return kind, compact, len(compact) >= 5


def _valid_by_kind(ids: list[tuple[str, str, bool]]) -> dict[str, frozenset[str]]:
    by_kind: dict[str, set[str]] = {}
    for kind, value, valid in ids:
        if valid:
            by_kind.setdefault(kind, set()).add(value)
    return {k: frozenset(v) for k, v in by_kind.items()}


def _countries(props: dict[str, list[str]], problems: list[tuple[str, str]]
               ) -> frozenset[str]:
    found: set[str] = set()
    for prop in COUNTRY_PROPS:
        for value in props.get(prop, ()):
            code = _country(value)
            if code is None:
                problems.append(("invalid_country", f"{prop}: {value[:40]!r} ignored"))
            else:
                found.add(code)
    return frozenset(found)


@lru_cache(maxsize=10_000)
def _country(value: str) -> str | None:
    cleaned = registry.country.clean(value)
    return str(cleaned) if cleaned else None


def _gender(kind: str, props: dict[str, list[str]], names: tuple[NameForm, ...],
            problems: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    stated = {str(g) for v in props.get("gender", ()) if (g := registry.gender.clean(v))}
    for value in props.get("gender", ()):
        if not registry.gender.clean(value):
            problems.append(("invalid_gender", f"gender: {value[:40]!r} ignored"))
    if len(stated) == 1 and stated <= {"male", "female"}:
        return stated.pop(), "stated"
    if kind != PERSON:
        return None, None
    for from_surname in (False, True):
        inferred = {n.gender for n in names if n.gender and n.gender_from_surname == from_surname}
        if len(inferred) == 1:
            return inferred.pop(), "surname" if from_surname else "patronymic"
        if inferred:
            return None, None
    return None, None


def best_name(left: Prepared, right: Prepared) -> tuple[float, int, int]:
    """The best name score over all name pairs, and which pair gave it (-1 if none)."""
    return best_match(left.nameset, right.nameset)


def schema_compatible(left: str, right: str) -> bool:
    """Two schemata can describe one thing if one is the other or a kind of it
    (Company / Organization / LegalEntity; not Person / Company; "Thing" matches all)."""
    return _compatible(left, right)


@lru_cache(maxsize=256)
def compatible_schemata(schema: str) -> frozenset[str]:
    """The schemata a record of `schema` can be the same thing as (one shared set per
    schema: every record and every query reads it)."""
    return frozenset(other for other in SCHEMA_KINDS if _compatible(schema, other))


@lru_cache(maxsize=256)
def _compatible(left: str, right: str) -> bool:
    if left == right or "Thing" in (left, right):
        return True
    a, b = model.get(left), model.get(right)
    return a is not None and b is not None and (a.is_a(b) or b.is_a(a))

