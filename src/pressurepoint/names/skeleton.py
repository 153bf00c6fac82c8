"""Latin skeletons: one key for the many romanisations of one Cyrillic name.

"Abramovich", "Abramovitch", "Abramowitsch", "Abramovič" and "Abramovych" all become
``abramoviq``; "Khodorkovsky", "Khodorkovskiy", "Khodorkovskii" and "Hodorkovskij" become
``hodorkovski``; "Yevgeny", "Evgeniy", "Jewgeni" and "Ievgenii" become ``evgeni``.

The rules fold each sound of Russian, Ukrainian and Belarusian to one symbol whatever
standard spelt it: ш (sh, sch, sz, š) and щ (shch, schtsch, chtch, ŝ) → ``w``; ч (ch, tch,
tsch, cz, č) → ``q``; х (kh, h) → ``h``; ж (zh, ž) → ``z``; ц (ts, tz, c) → ``c``; й, ы and
the soft vowels (y, j, i) → ``i``; doubled letters → one; ``ie`` → ``e`` (Arkadyevich /
Arkadevich); ё after a consonant (yo, io) → ``e`` (Fyodor / Fedor), and o after ж, ч, ш, щ
→ ``e`` (Gorbatchov / Gorbachev); final -ine → -in (French "Poutine"). Original q and w
are first read as k and v, so the symbols cannot clash.

Where a spelling is ambiguous between conventions (German "ch" is х, French "ch" is ш,
French "j" is ж, English "j" is дж, German "z" is ц, Ukrainian "h" is the г that Russian
spells "g"), `skeleton_variants` gives the other readings, which the comparison accepts
as near-equal. This is hand-written: phonetic keys in libraries
(Soundex, Metaphone, rigour's) are built for English and keep "Khodorkovsky" and
"Chodorkowski" apart.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CLUSTERS = {
    "schtsch": "w", "shtch": "w", "chtch": "w", "shch": "w", "szcz": "w",
    "tsch": "q", "tch": "q", "cz": "q",
    "sch": "w", "sh": "w", "sz": "w",
    "kh": "h", "ch": "q", "zh": "z", "dzh": "dz", "dsch": "dz",
    "ts": "c", "tz": "c", "ph": "f", "ck": "k", "gh": "g", "ou": "u",
    "gue": "ge", "gui": "gi",
    "q": "k", "w": "v", "x": "ks", "y": "i", "j": "i",
}
_CLUSTER_RE = re.compile("|".join(
    re.escape(c) for c in sorted(_CLUSTERS, key=len, reverse=True)))
_DOUBLE = re.compile(r"(.)\1+")
_YO_AFTER_CONSONANT = re.compile(r"(?<=[^aeiou])io(?=[^aeiou])")
# ё after ж, ч, ш, щ is written o in French and German, e in English (Gorbatchov /
# Gorbachev); о and е are not told apart there.
_O_AFTER_SIBILANT = re.compile(r"(?<=[wzq])o")
_NO_VOWELS = str.maketrans("", "", "aeiou")
# Other readings of ambiguous spellings: German "ch" = х, French "ch" = ш,
# French "j" = ж, English "j" = дж, German "z" = ц, and Ukrainian / Belarusian "h" = г,
# which Russian spells "g" (Hennadiy / Gennadiy, Lahoisky / Lagoisky, Herzen / Gertsen).
_VARIANTS = (
    (re.compile(r"(?<![cst])ch"), "kh"),
    (re.compile(r"(?<![cst])ch"), "sh"),
    (re.compile(r"(?<!d)j"), "zh"),
    (re.compile(r"(?<!d)j"), "dzh"),
    (re.compile(r"(?<![cdstz])z(?!h)"), "ts"),
    (re.compile(r"(?<![ckszg])h"), "g"),
)


#: Skeletons of the spellings met so far (a dict rather than a functools cache, so that a
#: screening index can carry them to the process that loads it).
_SKELETONS: dict[str, str] = {}
_SKELETONS_LIMIT = 200_000


def skeleton(token: str) -> str:
    """The skeleton of one lower-case ASCII token (see the module docstring)."""
    found = _SKELETONS.get(token)
    if found is None:
        if len(_SKELETONS) >= _SKELETONS_LIMIT:
            _SKELETONS.clear()
        found = _SKELETONS[token] = _skeleton(token)
    return found


def known_skeletons() -> dict[str, str]:
    """A copy of the skeletons computed so far."""
    return dict(_SKELETONS)


def adopt_skeletons(skeletons: dict[str, str]) -> None:
    """Take in skeletons computed elsewhere (by these same rules)."""
    _SKELETONS.update(skeletons)


def forget_skeletons() -> None:
    _SKELETONS.clear()


def _skeleton(token: str) -> str:
    if not token:
        return token
    folded = _CLUSTER_RE.sub(lambda m: _CLUSTERS[m.group(0)], token)
    folded = _DOUBLE.sub(r"\1", folded)
    if len(folded) > 2:
        folded = folded.replace("ie", "e")
        folded = _YO_AFTER_CONSONANT.sub("e", folded)
        folded = _O_AFTER_SIBILANT.sub("e", folded)
        if folded.endswith("ine") and len(folded) > 5:
            folded = folded[:-1]
        elif folded.endswith("of") and len(folded) > 4:
            folded = folded[:-1] + "v"
        folded = _DOUBLE.sub(r"\1", folded)
    return folded


@lru_cache(maxsize=100_000)
def skeleton_variants(token: str) -> frozenset[str]:
    """Skeletons of the other readings of an ambiguous token (may be empty)."""
    if "ch" not in token and "j" not in token and "z" not in token and "h" not in token:
        return frozenset()
    main = skeleton(token)
    found = {skeleton(pattern.sub(new, token)) for pattern, new in _VARIANTS}
    found.discard(main)
    return frozenset(found)


def consonants(skel: str) -> str:
    """The skeleton without vowels: "Mhmmd" and "Muhammad" share ``mhmd``. Letters are
    dropped one by one, so the consonants of two words written together are the
    consonants of each, joined."""
    return skel.translate(_NO_VOWELS)
