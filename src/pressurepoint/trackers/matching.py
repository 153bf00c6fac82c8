"""Company name keys for grouping tracker records, from pressurepoint's names engine.

Two keys per name, both built from the engine's pieces (`pressurepoint.names`): look-alike
letters folded, a leading article and legal forms recognised (rigour's ISO 20275 table:
AG, PLC, GmbH, S.A., ООО...), Cyrillic romanised, each word turned into its skeleton:

* ``full`` — every word and the generic legal forms, sorted: "Merck KGaA" → ``lp merk``.
* ``core`` — without legal forms and without words that name a form of organisation
  ("Group", "Holding", "Company", "Corporation", "International"...): "Merck KGaA",
  "Merck Group" and "MERCK" all give ``merk``. A name of nothing but such words keeps
  them all.
* ``loose`` — the core without the engine's generic words too ("Industries",
  "Technologies", "Trading", "Airlines"...): "PPG Industries" / "PPG". Weaker evidence:
  "Sigma Airlines" and "Sigma Group" share it.

`analyse_name` builds the same skeletons plus what fuzzy comparison needs; the keys here
skip that part, so keying every tracker name takes a fraction of a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pressurepoint.names import (
    ascii_fold,
    clean_name,
    fold_confusables,
    romanise,
    skeleton,
    split_legal_forms,
)
from pressurepoint.names.orgs import GENERIC_WORDS, STOPWORDS, remove_article
from pressurepoint.names.text import tokenize

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
#: Words that name a company's form of organisation rather than the company (as
#: skeletons). Narrower than the engine's generic words on purpose: "Trading", "Airlines",
#: "Technologies" or "Logistics" tell "Sigma Airlines" from "Sigma Technology".
NOISE_WORDS = frozenset(skeleton(ascii_fold(w)) for w in (
    "group", "groupe", "gruppe", "grupo", "gruppo", "grupa", "groep", "gruppa", "holding",
    "holdings", "company", "compagnie", "companie", "co", "corp", "corporation",
    "incorporated", "inc", "limited", "ltd", "plc", "ag", "sa", "spa", "nv", "bv", "se",
    "gmbh", "llc", "international", "koncern", "concern", "konzern",
))

@dataclass(frozen=True, slots=True)
class NameKeys:
    """The keys of one company name (see the module docstring)."""

    full: str
    core: str
    tokens: frozenset[str]  # the core words
    loose: str  # the core without the engine's generic words too


@lru_cache(maxsize=100_000)
def company_keys(name: str) -> NameKeys | None:
    """The keys of a company name, or None if it has no letters or digits."""
    text, _ = fold_confusables(clean_name(name))
    rest, legal = split_legal_forms(remove_article(text))
    words: list[str] = []
    for word in tokenize(rest):
        latin = romanise(word, "bgn_pcgn") if _CYRILLIC.search(word) else word
        for piece in _NON_ALNUM.split(ascii_fold(latin)):
            skel = skeleton(piece) if piece else ""
            if skel and skel not in STOPWORDS:
                words.append(skel)
    if not words:
        return None
    core = [w for w in words if w not in NOISE_WORDS] or words
    loose = [w for w in core if w not in GENERIC_WORDS] or core
    return NameKeys(" ".join(sorted([*words, *legal])), " ".join(sorted(core)),
                    frozenset(core), " ".join(sorted(loose)))


def related_words(left: frozenset[str], right: frozenset[str], least: int = 4) -> bool:
    """True if a core word of one name begins a core word of the other (at least `least`
    letters): "Exxon" / "ExxonMobil", "Pepsi" / "PepsiCo", "Citadele Banka" / "Citadele"."""
    for a in left:
        for b in right:
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            if len(short) >= least and long_.startswith(short):
                return True
    return False
