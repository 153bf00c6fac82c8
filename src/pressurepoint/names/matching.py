"""The best name match between two records, each with any number of names.

A sanctioned vessel can carry ten former names and a person six spellings in three
scripts. Two records match on names as well as their best pair of names match. Most pairs
of names are dismissed without comparison: an equal key ends the search at 1.0, and two
names that share no pairing key (`forms._soft_keys`: one C-level set test) cannot have a
word pair and score 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from pressurepoint.names.compare import name_score
from pressurepoint.names.forms import NameForm


@dataclass(frozen=True, slots=True)
class NameSet:
    """The names of one record, with their keys for the exact-match test."""

    forms: tuple[NameForm, ...]
    keys: frozenset[str]


def name_set(forms: tuple[NameForm, ...]) -> NameSet:
    """Collect the names of one record."""
    return NameSet(forms, frozenset(f.key for f in forms))


def best_match(left: NameSet, right: NameSet) -> tuple[float, int, int]:
    """The best name score between two records, and which names gave it (-1 if none)."""
    if not left.keys.isdisjoint(right.keys):
        for i, form in enumerate(left.forms):
            if form.key in right.keys:
                j = next(j for j, other in enumerate(right.forms) if other.key == form.key)
                return 1.0, i, j
    best, best_i, best_j = 0.0, -1, -1
    for i, a in enumerate(left.forms):
        soft = a.soft
        for j, b in enumerate(right.forms):
            if soft.isdisjoint(b.soft) and not (a.abjad or b.abjad):
                continue
            found = name_score(a, b)
            if found > best:
                best, best_i, best_j = found, i, j
    return best, best_i, best_j
