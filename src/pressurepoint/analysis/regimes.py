"""Regime families: which publisher programs are about Russia's war on Ukraine (`russia`)
and which about Belarus (`belarus`). Each publisher names its programs in its own way:

* OFAC: RUSSIA-EO14024, RUSSIA-EO14065, BPI-RUSSIA-EO14024, UKRAINE-EO13660 to 13662 and
  13685, CAATSA - RUSSIA; BELARUS, BELARUS-EO14038.
* UK (OFSI, FCDO): "Russia", "Ukraine (Sovereignty)", "The Russia (Sanctions) (EU Exit)
  Regulations 2019"; "Belarus", "The Republic of Belarus (Sanctions)...". "Ukraine
  (Misappropriation)" (state funds taken from Ukraine) is not counted as Russia-related.
* Canada: "Russia / Russie", "Ukraine"; "Belarus / Bélarus".
* Australia: "Autonomous (Russia)", "Autonomous (Ukraine)".
* Switzerland: the ordinance "on measures in connection with the situation in Ukraine".
* EU: programme codes RUS and UKR; BLR.
* Japan: sheet names with ロシア (Russia) or クリミア (Crimea); ベラルーシ (Belarus). The
  sheets "ロシア及びベラルーシ以外" ("other than Russia and Belarus") belong to neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

RUSSIA = "russia"
BELARUS = "belarus"
FAMILIES = (RUSSIA, BELARUS)

_EU_CODES = {"RUS": RUSSIA, "UKR": RUSSIA, "BLR": BELARUS}
_NOT_RUSSIA = re.compile(r"misappropriation|以外", re.IGNORECASE)
_RUSSIA = re.compile(r"russi|ukrain|crimea|ロシア|クリミア|CAATSA - RUSSIA", re.IGNORECASE)
_BELARUS = re.compile(r"belarus|bélarus|ベラルーシ", re.IGNORECASE)


@lru_cache(maxsize=4096)
def families(program: str) -> frozenset[str]:
    """The regime families a program belongs to (empty for other regimes)."""
    text = program.strip()
    if text.upper() in _EU_CODES:
        return frozenset({_EU_CODES[text.upper()]})
    if _NOT_RUSSIA.search(text):
        return frozenset()
    found = set()
    if _RUSSIA.search(text):
        found.add(RUSSIA)
    if _BELARUS.search(text):
        found.add(BELARUS)
    return frozenset(found)


def matches(programs: Iterable[str], wanted: Iterable[str]) -> bool:
    """Whether any program is in one of the wanted families, or (for a word that is not a
    family) contains that word, case-insensitively: `--regime syria` works too."""
    wanted_list = [w.strip().lower() for w in wanted if w.strip()]
    for program in programs:
        tags = families(program)
        lowered = program.lower()
        for word in wanted_list:
            if word in tags or (word not in FAMILIES and word in lowered):
                return True
    return False
