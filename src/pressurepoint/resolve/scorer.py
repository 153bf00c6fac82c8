"""The pairwise scorer ``pp-v2``: are two records one person, company, vessel or aircraft?

The score starts from the best name similarity between the two records (0 to 1, see
`pressurepoint.names.compare`) and adds the evidence of the other properties:

- identifiers: an equal IMO, INN, OGRN, LEI, aircraft serial or passport number is strong
  evidence (an equal IMO alone makes a match: vessels are renamed, hulls keep their
  number); two different valid ones of a kind a thing has only one of (IMO, INN, OGRN,
  LEI, serial) are strong evidence against. Passports, MMSI and call signs change over a
  life (renewal, reflagging), so different ones weigh little against.
- birth date (incorporation date for organisations): the same full date is a plus, the
  same year a small plus; full dates one digit apart a small minus when the names agree
  (a typo in one list), else as any other different date; a different day in the same
  year, a year apart, or further apart are increasing minuses.
- gender: stated genders that differ are a strong minus; a gender read from a patronymic
  (-ovich / -ovna) a weaker one, from surname endings (Ivanov / Ivanova) a weak one.
- patronymic: when both persons have patronymics and none of one's is the other's (the
  same, an equivalent national form, or a near spelling), a minus: a record's alias
  without a patronymic must not hide its other name's different one (Yuri Vladimirovich
  against a record of Yuri Alexandrovich alias "Jurij Fomin").
- nationality and country: a shared one is a small plus, none shared a small minus.
- schema: a Person and a Company are never the same thing (score 0).

Vessel and aircraft names repeat across fleets, so a name alone counts for at most 0.85
for them. Every contribution is reported in `Result.explanation`. The weights are fixed
for the version: a change of weights is a new version, so stored scores stay explainable.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pressurepoint.names.compare import compare_names, name_score, token_similarity
from pressurepoint.names.forms import OBJECT, PERSON
from pressurepoint.names.matching import best_match
from pressurepoint.resolve.features import Prepared, best_name

SCORER_VERSION = "pp-v2"
#: Scores at or above this are matches unless the caller says otherwise.
DEFAULT_THRESHOLD = 0.7

OBJECT_NAME_CAP = 0.85
ID_MATCH = {"imo": 0.75, "inn": 0.75, "ogrn": 0.75, "lei": 0.75, "msn": 0.6, "passport": 0.5,
            "icao": 0.4, "mmsi": 0.4, "bic": 0.4, "callsign": 0.35, "id": 0.3}
ID_MATCH_INVALID = 0.15  # equal values that fail their checksum: a shared typo, weak
ID_MATCH_CAP = 0.8
ID_CONFLICT = {"imo": -0.6, "inn": -0.5, "ogrn": -0.5, "lei": -0.5, "msn": -0.5,
               "mmsi": -0.2, "callsign": -0.2, "passport": -0.1}
DATE_WEIGHTS = {"exact": 0.08, "partial": 0.03, "one_digit": -0.1, "same_year": -0.3,
                "year_apart": -0.3, "disjoint": -0.45}
_DATE_RANK = ("exact", "partial", "one_digit", "same_year", "year_apart", "disjoint")
DATE_TYPO_NAME = 0.95  # see `_settled`
GENDER_STATED = -0.3
GENDER_INFERRED = -0.25
GENDER_SURNAME = -0.15
PATRONYMIC_CONFLICT = -0.25
PATRONYMIC_SAME = 0.8  # token similarity at which two patronymics are one
COUNTRY_SHARED = 0.02
COUNTRY_DISJOINT = -0.08
FLAG_DISJOINT = -0.05

Date = tuple[int, int | None, int | None]
_MARGIN = 1e-9  # rounding: the features' sum may differ from the total in the last bits


@dataclass(slots=True)
class Result:
    """A score in [0, 1], whether it reaches the threshold, and the contribution of each
    feature (`explanation`, built on demand)."""

    score: float
    match: bool
    parts: tuple[tuple[str, float], ...]
    left: Prepared
    right: Prepared
    names: tuple[int, int]
    threshold: float

    @property
    def explanation(self) -> dict[str, float | str]:
        """Feature → contribution, with a ``<feature>_detail`` text for each."""
        out: dict[str, float | str] = {"scorer": SCORER_VERSION, "threshold": self.threshold}
        for feature, value in self.parts:
            out[feature] = round(value, 4)
            out[f"{feature}_detail"] = _detail(feature, self)
        warnings = _warnings(self.left, "left") + _warnings(self.right, "right")
        if warnings:
            out["warnings"] = "; ".join(warnings)
        return out


def score(left: Prepared, right: Prepared, threshold: float | None = None,
          names: tuple[int, int] | None = None) -> Result:
    """Score one pair of prepared records with ``pp-v2``. `names`: the pair of names
    (indices, -1 for none) that `score_floor_names` found best, so that they are not
    looked for again."""
    limit = DEFAULT_THRESHOLD if threshold is None else threshold
    if right.schema not in left.compatible:
        return Result(0.0, False, (("schema", 0.0),), left, right, (-1, -1), limit)
    if names is None:
        name, li, ri = best_name(left, right)
    else:
        li, ri = names
        name = name_score(left.names[li], right.names[ri]) if li >= 0 else 0.0
    if left.kind == OBJECT or right.kind == OBJECT:
        name = min(name, OBJECT_NAME_CAP)
    others = _settled(name, _features(left, right))
    total = name
    for _, value in others:
        total += value
    total = 0.0 if total < 0.0 else 1.0 if total > 1.0 else total
    return Result(total, total >= limit, (("name", name), *others), left, right, (li, ri),
                  limit)


def score_value(left: Prepared, right: Prepared, floor: float = 0.0) -> float:
    """The score of one pair as `score` gives it whenever it reaches `floor`; below the
    floor, some value below it (the name comparison stops once the names cannot lift the
    pair to the floor). For pipelines that keep only pairs above a floor."""
    return score_floor_names(left, right, floor)[0]


def score_floor_names(left: Prepared, right: Prepared, floor: float = 0.0
                      ) -> tuple[float, int, int]:
    """`score_value`, and the pair of names that gave the name score (-1 for none): the
    pair `score` finds whenever the score reaches `floor`."""
    if right.schema not in left.compatible:
        return 0.0, -1, -1
    others = _features(left, right)
    rest = 0.0
    for _, value in others:
        rest += value
    name_floor = floor - rest - _MARGIN
    if name_floor > 1.0:  # not even equal names would reach the floor
        return 0.0, -1, -1
    name, li, ri = best_match(left.nameset, right.nameset,
                              name_floor if name_floor > 0.0 else 0.0)
    if left.kind == OBJECT or right.kind == OBJECT:
        name = min(name, OBJECT_NAME_CAP)
    total = name
    for _, value in _settled(name, others):
        total += value
    return (0.0 if total < 0.0 else 1.0 if total > 1.0 else total), li, ri


def _settled(name: float, others: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """A date one digit apart is read as a typo only beside names this alike; beside
    names that differ too it is the different date it looks like ("Dmitri Yuryvich" born
    1993-05-17 is not "Dmitry Yuryevich" born 1993-04-17). `_features` counts it as a
    typo, the most it can be worth, so that a score floor holds before the names are
    compared."""
    if name >= DATE_TYPO_NAME:
        return others
    typo, other = DATE_WEIGHTS["one_digit"], DATE_WEIGHTS["same_year"]
    return [(feature, other if feature == "birth_date" and value == typo else value)
            for feature, value in others]


def _features(left: Prepared, right: Prepared) -> list[tuple[str, float]]:
    """The contributions of everything but the names, in the order they are added."""
    parts: list[tuple[str, float]] = []
    if left.id_keys and right.id_keys:
        value = _identifier_score(left, right)
        if value:
            parts.append(("identifiers", value))
    if left.dates and right.dates:
        parts.append(("birth_date", DATE_WEIGHTS[_date_outcome(left.dates, right.dates)]))
    if left.gender and right.gender and left.gender != right.gender:
        parts.append(("gender", _gender_score(left, right)))
    if left.patronymics and right.patronymics and _patronymics_differ(left, right):
        parts.append(("patronymic", PATRONYMIC_CONFLICT))
    if left.countries and right.countries:
        parts.append(("country", _country_score(left, right)))
    return parts


def _gender_score(left: Prepared, right: Prepared) -> float:
    sources = (left.gender_source, right.gender_source)
    if sources == ("stated", "stated"):
        return GENDER_STATED
    return GENDER_SURNAME if "surname" in sources else GENDER_INFERRED


def _identifier_score(left: Prepared, right: Prepared) -> float:
    positive = 0.0
    for key in left.id_keys & right.id_keys:
        kind, value = key.split(":", 1)
        valid = value in left.valid_ids.get(kind, ())
        positive += ID_MATCH.get(kind, 0.3) if valid else ID_MATCH_INVALID
    negative = 0.0
    for kind, values in left.valid_ids.items():
        other = right.valid_ids.get(kind)
        if other and values.isdisjoint(other):
            negative += ID_CONFLICT.get(kind, 0.0)
    return min(positive, ID_MATCH_CAP) + negative


def _date_outcome(left: tuple[Date, ...], right: tuple[Date, ...]) -> str:
    best = len(_DATE_RANK) - 1
    for a in left:
        for b in right:
            rank = _compare_dates(a, b)
            if rank < best:
                best = rank
                if not rank:
                    return _DATE_RANK[0]
    return _DATE_RANK[best]


def _compare_dates(a: Date, b: Date) -> int:
    """Rank of the outcome in `_DATE_RANK` (0 = exact ... 5 = disjoint)."""
    if a[1] and b[1] and a[2] and b[2] and _one_digit_apart(a, b):
        return 2
    if a[0] != b[0]:
        return 4 if abs(a[0] - b[0]) == 1 else 5
    if a[1] and b[1] and a[1] != b[1]:
        swapped = a[2] == b[1] and b[2] == a[1]  # day and month read the other way
        return 1 if swapped else 3
    if a[2] and b[2] and a[2] != b[2]:
        return 3
    return 0 if a[2] and b[2] else 1


def _one_digit_apart(a: Date, b: Date) -> bool:
    """Two full dates written alike but for one digit (1969-11-08 / 1969-11-07,
    1975-06-14 / 1975-07-14, 1984-05-06 / 1986-05-06): the mark of a typo in one list,
    seen on records that share a passport or tax number far more often than the same
    name with such a date on two different people."""
    left, right = _digits(a), _digits(b)
    if len(left) != len(right):
        return False
    differ = 0
    for x, y in zip(left, right, strict=True):
        if x != y:
            differ += 1
    return differ == 1


@lru_cache(maxsize=100_000)
def _digits(date: Date) -> str:
    """A full date as its eight digits (the lists' dates recur in every comparison)."""
    return f"{date[0]:04d}{date[1]:02d}{date[2]:02d}"


def _country_score(left: Prepared, right: Prepared) -> float:
    if not left.countries.isdisjoint(right.countries):
        return COUNTRY_SHARED
    return FLAG_DISJOINT if OBJECT in (left.kind, right.kind) else COUNTRY_DISJOINT


def _patronymics_differ(left: Prepared, right: Prepared) -> bool:
    return all(token_similarity(a, b) < PATRONYMIC_SAME
               for a in left.patronymics for b in right.patronymics)


def _format_date(date: Date) -> str:
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date) if p)


def _detail(feature: str, result: Result) -> str:
    left, right = result.left, result.right
    if feature == "schema":
        return f"{left.schema} and {right.schema} cannot be the same thing"
    if feature == "name":
        return _name_detail(result)
    if feature == "identifiers":
        shared = sorted(left.id_keys & right.id_keys)
        differ = sorted(k for k, v in left.valid_ids.items()
                        if right.valid_ids.get(k) and v.isdisjoint(right.valid_ids[k]))
        return "; ".join([f"same {k.replace(':', ' ')}" for k in shared]
                         + [f"different {k}" for k in differ])
    if feature == "birth_date":
        outcome = _date_outcome(left.dates, right.dates)
        if outcome == "one_digit" and dict(result.parts)["name"] < DATE_TYPO_NAME:
            outcome += " (names differ too: a different date)"
        return (f"{outcome}: {', '.join(map(_format_date, left.dates))} vs "
                f"{', '.join(map(_format_date, right.dates))}")
    if feature == "gender":
        return (f"{left.gender} ({left.gender_source}) vs "
                f"{right.gender} ({right.gender_source})")
    if feature == "patronymic":
        return (f"{', '.join(t.skel for t in left.patronymics)} vs "
                f"{', '.join(t.skel for t in right.patronymics)}")
    if feature == "country":
        return f"{', '.join(sorted(left.countries))} vs {', '.join(sorted(right.countries))}"
    return ""


def _name_detail(result: Result) -> str:
    li, ri = result.names
    if li < 0:
        return "no name pair alike"
    a, b = result.left.names[li], result.right.names[ri]
    alignment = compare_names(a, b, explain=True)
    capped = " (capped: vessel and aircraft names repeat)" if OBJECT in (
        result.left.kind, result.right.kind) and alignment.score > OBJECT_NAME_CAP else ""
    kind = " as persons" if PERSON in (a.kind, b.kind) else ""
    return f"{a.text!r} ~ {b.text!r}{kind}: {alignment.describe()}{capped}"


def _warnings(record: Prepared, side: str) -> list[str]:
    return [f"{side}: {message}" for _, message in record.problems]
