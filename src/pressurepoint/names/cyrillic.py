"""Romanisation of Cyrillic names under the standards people meet in sanctions lists.

Written by hand because no installed library covers them: ICU (pyicu) ships only the
BGN/PCGN tables and a generic ISO-9-like "Cyrillic-Latin", and costs about 0.3 ms a call;
the ICAO passport table, the Ukrainian national system of 2010, the Belarusian passport
system and the French and German press spellings ("Abramovitch", "Chodorkowski") exist
nowhere else. Each table is short and fixed by its standard:

- ``icao``: ICAO Doc 9303 part 3 (machine-readable travel documents; Russian passports
  since 2013, Ukrainian and Belarusian passports largely follow it): Юрий → Iurii.
- ``bgn_pcgn``: BGN/PCGN 1947 for Russian (US and UK government lists): Юрий → Yuriy.
- ``iso9``: ISO 9:1995 = GOST 7.79-2000 system A, one Latin letter per Cyrillic letter with
  diacritics: Юрий → Ûrij.
- ``ua_2010``: the Ukrainian national system (Cabinet of Ministers resolution 55 of
  27 January 2010), used by Ukrainian authorities and passports: Юрій → Yurii.
- ``by_bgn``: BGN/PCGN 1979 for Belarusian: Аляксандр → Alyaksandr.
- ``by_passport``: the Belarusian passport practice (ICAO-like, г → h): Аляксандр →
  Aliaksandr, Сяргей → Siarhei.
- ``fr`` and ``de``: the French and German press conventions: Абрамович → Abramovitch /
  Abramowitsch, Путин → Poutine / Putin.

`romanise(text, system)` applies one of them; `to_latin_cyrillic(text)` is the form used for
matching (BGN/PCGN for Russian text, the national system for Ukrainian and Belarusian text,
chosen from letters that only those alphabets have).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_VOWELS = set("аеёиоуыэюяєіїў")
_SIGNS = set("ъь'’ʼ")
_SOFTENABLE_PREV = _VOWELS | _SIGNS | {"й"}

_BASE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "w", "'": "", "’": "",
    "ʼ": "",
}


@dataclass(frozen=True)
class System:
    """One romanisation standard: letter table plus the context rules it uses."""

    name: str
    title: str
    letters: dict[str, str]
    #: forms used at the start of a word (and after a vowel or sign if `after_vowel`)
    initial: dict[str, str] = field(default_factory=dict)
    after_vowel: bool = True
    #: word endings with their own form, longest first ("ий" → "i" in French)
    endings: tuple[tuple[str, str], ...] = ()
    #: letter pairs with their own form ("зг" → "zgh" in Ukrainian)
    groups: dict[str, str] = field(default_factory=dict)
    #: letter → form used between two vowels ("с" → "ss" in French and German)
    between_vowels: dict[str, str] = field(default_factory=dict)
    #: letter → form used before е, и, ё, ю, я ("г" → "gu" in French)
    before_soft: dict[str, str] = field(default_factory=dict)


def _table(**changes: str) -> dict[str, str]:
    table = dict(_BASE)
    table.update({_CYR_NAMES.get(k, k): v for k, v in changes.items()})
    return table


# Keyword arguments cannot be Cyrillic letters in every tool, so tables are given by name.
_CYR_NAMES = {
    "a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "ye": "е", "yo": "ё", "zh": "ж",
    "z": "з", "i": "и", "iy": "й", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о",
    "p": "п", "r": "р", "s": "с", "t": "т", "u": "у", "f": "ф", "kh": "х", "ts": "ц",
    "ch": "ч", "sh": "ш", "shch": "щ", "hard": "ъ", "y": "ы", "soft": "ь", "e": "э",
    "yu": "ю", "ya": "я", "uk_ye": "є", "uk_i": "і", "uk_yi": "ї", "uk_g": "ґ", "by_u": "ў",
    "apos": "'",
}

SYSTEMS: dict[str, System] = {
    "icao": System(
        "icao", "ICAO Doc 9303 (passports)",
        _table(yo="e", iy="i", hard="ie", yu="iu", ya="ia", uk_ye="ie", uk_yi="i", by_u="u"),
    ),
    "bgn_pcgn": System(
        "bgn_pcgn", "BGN/PCGN 1947 (Russian)",
        _table(yo="ë", hard="ʺ", soft="ʹ", uk_ye="ye", uk_yi="yi"),
        initial={"е": "ye", "ё": "yë"},
    ),
    "iso9": System(
        "iso9", "ISO 9:1995 / GOST 7.79-2000 system A",
        _table(yo="ë", zh="ž", iy="j", kh="h", ts="c", ch="č", sh="š", shch="ŝ", hard="ʺ",
               soft="ʹ", e="è", yu="û", ya="â", uk_ye="ê", uk_i="ì", uk_yi="ï", uk_g="g̀",
               by_u="ŭ", apos="ʼ"),
    ),
    "ua_2010": System(
        "ua_2010", "Ukrainian national system (2010)",
        _table(g="h", uk_g="g", i="y", iy="i", uk_ye="ie", uk_yi="i", yu="iu", ya="ia"),
        initial={"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"},
        after_vowel=False,
        groups={"зг": "zgh"},
    ),
    "by_bgn": System(
        "by_bgn", "BGN/PCGN 1979 (Belarusian)",
        _table(g="h", yo="ë", soft="ʹ", apos="ʺ", by_u="w"),
        initial={"е": "ye", "ё": "yë"},
    ),
    "by_passport": System(
        "by_passport", "Belarusian passport practice",
        _table(g="h", yo="io", iy="i", yu="iu", ya="ia", by_u="u"),
        initial={"е": "ye", "ё": "yo", "ю": "yu", "я": "ya"},
    ),
    "fr": System(
        "fr", "French press convention",
        _table(yo="io", zh="j", iy="ï", ch="tch", sh="ch", shch="chtch", u="ou", yu="iou",
               ya="ia", kh="kh"),
        endings=(("ий", "i"), ("ый", "y"), ("ин", "ine")),
        groups={"жё": "jo", "чё": "tcho", "шё": "cho", "щё": "chtcho"},
        between_vowels={"с": "ss"},
        before_soft={"г": "gu"},
    ),
    "de": System(
        "de", "German press convention (Duden)",
        _table(v="w", yo="jo", zh="sch", z="s", iy="i", kh="ch", ts="z", ch="tsch", sh="sch",
               shch="schtsch", yu="ju", ya="ja"),
        initial={"е": "je", "ю": "ju", "я": "ja"},
        endings=(("ий", "i"), ("ый", "y")),
        groups={"жё": "scho", "чё": "tscho", "шё": "scho", "щё": "schtscho"},
        between_vowels={"с": "ss"},
    ),
}

_CYRILLIC_WORD = re.compile(r"[\u0400-\u04FF'’ʼ]+")


_TABLES: dict[str, dict[int, str]] = {}
_INITIALS: dict[str, re.Pattern[str]] = {}


def _romanise_simple(word: str, system: System) -> str:
    """Systems whose only context rule is the initial form: C-level translate."""
    table = _TABLES.get(system.name)
    if table is None:
        table = _TABLES[system.name] = str.maketrans(system.letters)
        letters = "".join(system.initial) or "-"
        before = "".join(sorted(_SOFTENABLE_PREV)) if system.after_vowel else ""
        pattern = f"(?:(?<=[{before}])|^)[{letters}]" if before else f"^[{letters}]"
        _INITIALS[system.name] = re.compile(pattern)
    low = word.lower()
    for group, replacement in system.groups.items():
        low = low.replace(group, replacement)
    if system.initial:
        low = _INITIALS[system.name].sub(lambda m: system.initial[m.group(0)], low)
    return _recase(low.translate(table), word)


def _romanise_word(word: str, system: System) -> str:
    if not (system.endings or system.between_vowels or system.before_soft):
        return _romanise_simple(word, system)
    low = word.lower()
    n = len(low)
    tail = ""
    for end, rep in system.endings:  # a word ending with its own form ("-ий" → "-i")
        if n > len(end) and low.endswith(end):
            n, tail = n - len(end), rep
            break
    letters, initial, groups = system.letters, system.initial, system.groups
    soft_after = _SOFTENABLE_PREV if system.after_vowel else frozenset()
    out: list[str] = []
    i = 0
    while i < n:
        ch = low[i]
        if groups and low[i:i + 2] in groups and i + 1 < n:
            out.append(groups[low[i:i + 2]])
            i += 2
            continue
        prev = low[i - 1] if i else ""
        if ch in initial and (not prev or prev in soft_after):
            out.append(initial[ch])
        elif ch in system.between_vowels and prev in _VOWELS and i + 1 < n \
                and low[i + 1] in _VOWELS:
            out.append(system.between_vowels[ch])
        elif ch in system.before_soft and i + 1 < len(low) and low[i + 1] in "еиёюяєі":
            out.append(system.before_soft[ch])
        else:
            out.append(letters.get(ch, ch))
        i += 1
    out.append(tail)
    return _recase("".join(out), word)


def _recase(latin: str, word: str) -> str:
    letters = [ch for ch in word if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return latin.upper()
    if letters and letters[0].isupper():
        return latin[:1].upper() + latin[1:]
    return latin


def romanise(text: str, system: str = "icao") -> str:
    """Cyrillic words of `text` in Latin letters under one standard (see `SYSTEMS`);
    everything else is left as it is. Raises KeyError for an unknown system name."""
    chosen = SYSTEMS[system]
    return _CYRILLIC_WORD.sub(lambda m: _romanise_word(m.group(0), chosen), text)


def cyrillic_language(text: str) -> str:
    """"uk", "be" or "ru", from the letters only one of these alphabets has (and the
    Ukrainian -ський). Text with none of them counts as Russian, whose letters all three
    alphabets share."""
    low = text.lower()
    if "ў" in low:
        return "be"
    if any(ch in low for ch in "ґєї") or any(m in low for m in ("ськ", "цьк", "зьк")):
        return "uk"  # Ukrainian adjective surnames keep the soft sign: Зеленський
    if "і" in low:
        return "be" if any(ch in low for ch in "ыэёъ") else "uk"
    return "ru"


_MATCHING_SYSTEM = {"ru": "bgn_pcgn", "uk": "ua_2010", "be": "by_passport"}


def to_latin_cyrillic(text: str) -> str:
    """The Latin form used for matching: the national standard of the text's language."""
    return romanise(text, _MATCHING_SYSTEM[cyrillic_language(text)])
