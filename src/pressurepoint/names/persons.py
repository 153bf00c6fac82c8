"""Person names: titles, "LAST, First" order, patronymics, gendered surnames, given-name
equivalents and initials.

Works on skeleton tokens (see `pressurepoint.names.skeleton`), so the rules hold for every
romanisation at once: the patronymic ending -ovich / -ovitch / -owitsch / -ovych is the
one skeleton ending ``oviq``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rigour.names import remove_person_prefixes

from pressurepoint.names.given_names import GIVEN_NAME_GROUPS
from pressurepoint.names.skeleton import skeleton
from pressurepoint.names.text import ascii_fold

#: Titles, ranks and generation suffixes, as skeletons of their folded forms. rigour's
#: `remove_person_prefixes` handles a leading title; these are dropped wherever they stand
#: ("AL ZAWAHIRI, Dr. Ayman", "Karimov Jr."). Not listed: honorifics that are also given
#: names (Sayyid / Said), and roman numerals (their skeleton would be a lone "i").
TITLES = frozenset(skeleton(t) for t in (
    "mr", "mrs", "ms", "miss", "dr", "prof", "gen", "general", "col", "colonel", "maj", "major",
    "capt", "captain", "lt", "sgt", "adm", "admiral", "eng", "engr", "sir", "lord", "lady",
    "dame", "rev", "sheikh", "shaykh", "shaikh", "haji", "hajji", "alhaj", "imam", "mullah",
    "mawlawi", "maulana", "mufti", "jr", "sr", "junior", "senior", "hon", "herr", "frau",
    "mme", "mlle", "monsieur", "madame", "gospodin",
))
#: Name particles: kept, but weigh like an initial ("al-Farrani", "bin Rashid", "van der").
PARTICLES = frozenset(skeleton(t) for t in (
    "al", "el", "ul", "ud", "bin", "ibn", "bint", "abu", "ould", "ben", "van", "von", "der",
    "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le", "ter", "zu",
    "bn",  # بن romanised letter by letter
))
#: Spellings of one particle, and the one they are compared as ("son of": bin, ben, ibn).
PARTICLE_FORMS = {skeleton(k): skeleton(v) for k, v in (
    ("ben", "bin"), ("ibn", "bin"), ("bn", "bin"), ("el", "al"))}

_MALE_PATRONYMIC = ("oviq", "eviq", "aviq", "iviq", "ovih", "evih")
_FEMALE_PATRONYMIC = ("ovna", "evna", "ivna", "iqna", "auna", "avna")
_MALE_SURNAME = ("ov", "ev", "in", "ski", "zki", "cki", "oi")
_COMMA_ORDER = re.compile(r"^\s*([^,]*[^\W\d_][^,]*),\s*([^,]*[^\W\d_][^,]*)$")


def remove_titles(name: str) -> str:
    """A leading title removed ("Mr. John Doe" → "John Doe"), via rigour."""
    return str(remove_person_prefixes(name))


def reorder_name(name: str) -> str:
    """"LAST, First Middle" → "First Middle LAST"; anything else is returned unchanged.

    Only a single comma between two parts that both hold letters is read as the list order
    ("ABRAMOVICH, Roman Arkadyevich"); "11,420.2-1 CORP." stays as it is.
    """
    match = _COMMA_ORDER.match(name)
    if not match:
        return name
    return f"{match.group(2).strip()} {match.group(1).strip()}"


@lru_cache(maxsize=1)
def _given_name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for group in GIVEN_NAME_GROUPS:
        for spelling in group:
            index.setdefault(skeleton(ascii_fold(spelling)), group[0])
    return index


def given_name_group(skel: str) -> str | None:
    """The group of equivalent given names a skeleton token belongs to, if known."""
    return _given_name_index().get(skel)


def patronymic_gender(skel: str) -> str | None:
    """"male" / "female" if the skeleton token has an East Slavic patronymic ending."""
    if len(skel) < 6:
        return None
    if skel.endswith(_FEMALE_PATRONYMIC):
        return "female"
    if skel.endswith(_MALE_PATRONYMIC):
        return "male"
    return None


def patronymic_group(skel: str) -> str | None:
    """Patronymics of equivalent given names meet: Volodymyrovych = Vladimirovich →
    "vladimir/m". None if the stem is not a known given name."""
    gender = patronymic_gender(skel)
    if gender is None:
        return None
    stem = skel[:-4]
    for candidate in (stem, stem + "i", stem[:-1] + "i", stem + "a"):
        group = given_name_group(candidate)
        if group is not None:
            return f"{group}/{gender[0]}"
    return None


def find_patronymic(tokens: list[str], family_first: bool) -> int | None:
    """Index of the patronymic among a person's skeleton tokens, or None.

    A token with a female patronymic ending is one wherever it stands. A male ending
    (-ovich) is also a surname ending (Abramovich), so it counts only in a name of three
    words or more, after a known given name, or as the last word of a family-first name
    ("Абрамович Роман Аркадьевич"), or as the middle word of a given-first name ("Roman
    Arkadievich Abramovich"): "Roman Abramovich" is a given name and a surname.
    """
    found: int | None = None
    for index, token in enumerate(tokens):
        gender = patronymic_gender(token)
        if gender == "female":
            return index
        if gender != "male" or index == 0 or len(tokens) < 3:
            continue
        after_given = given_name_group(tokens[index - 1]) is not None
        last = index == len(tokens) - 1
        starts_with_suffix = patronymic_gender(tokens[0]) is not None
        if after_given or (last and (family_first or starts_with_suffix)) or (
                not last and not family_first and not starts_with_suffix):
            found = index
            if after_given:
                return index
    return found


def surname_gender(skels: tuple[str, ...]) -> str | None:
    """"male" / "female" if the gendered surname endings of a name agree (Ivanova,
    Zelenskaya → female); weak evidence, used only without a patronymic."""
    found = {stem[1] for s in skels if (stem := surname_stem(s))}
    if len(found) == 1:
        return "female" if found == {"f"} else "male"
    return None


def surname_stem(skel: str) -> tuple[str, str] | None:
    """(stem, gender) of a surname with a Russian gendered ending: Ivanov / Ivanova →
    ("ivanov", "m") / ("ivanov", "f"); Zelenskiy / Zelenskaya → ("zelenski", ...)."""
    if len(skel) < 4:
        return None
    if skel.endswith("skaia") or skel.endswith("ckaia"):
        return skel[:-5] + skel[-5:-3] + "i", "f"
    if skel.endswith(("ova", "eva", "ina")):
        return skel[:-1], "f"
    if skel.endswith(_MALE_SURNAME):
        return skel, "m"
    return None
