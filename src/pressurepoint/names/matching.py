"""The best name match between two records, each with any number of names.

A sanctioned vessel can carry ten former names and a person six spellings in three
scripts. Two records match on names as well as their best pair of names match. Most pairs
of names are dismissed without comparison: an equal key ends the search at 1.0; the words
of the two records are linked once (`pressurepoint.names.bounds`), and a pair of names
without linked words, or that shares no pairing key (`forms._soft_keys`), scores 0; the
others are compared in the order of an upper bound of their score, until no bound left
can beat the best score found. The outcome is the one of comparing every pair: the best
score, and the first pair of names (in the records' order) that gave it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pressurepoint.names.bounds import Link, Vocabulary, bound, fuzzy_pairs, links, vocabulary
from pressurepoint.names.compare import scored_pair
from pressurepoint.names.forms import NameForm

_MARGIN = 1e-9  # rounding: a bound this close below the best may still tie with it


@dataclass(frozen=True, slots=True)
class NameSet:
    """The names of one record, with their keys for the exact-match test and their words
    indexed for linking."""

    forms: tuple[NameForm, ...]
    keys: frozenset[str]
    words: Vocabulary


def name_set(forms: tuple[NameForm, ...]) -> NameSet:
    """Collect the names of one record."""
    return NameSet(forms, frozenset(f.key for f in forms), vocabulary(forms))


def best_match(left: NameSet, right: NameSet, floor: float = 0.0) -> tuple[float, int, int]:
    """The best name score between two records, and which names gave it (-1 if none).

    With a `floor`, a best score below it may come out lower than it is (the search
    stops once no pair can reach the floor): exact at or above the floor."""
    if not left.keys.isdisjoint(right.keys):
        for i, form in enumerate(left.forms):
            if form.key in right.keys:
                j = next(j for j, other in enumerate(right.forms) if other.key == form.key)
                return 1.0, i, j
    groups = _groups(left, right)
    if not groups:
        return 0.0, -1, -1
    lowest = floor - _MARGIN if floor > 0.0 else -_MARGIN
    width = len(right.forms)
    queue: list[tuple[float, int]] = []
    for index, group in groups.items():
        a, b = left.forms[index // width], right.forms[index % width]
        if a.soft.isdisjoint(b.soft) and not (a.abjad or b.abjad):
            continue  # as compare.name_score: 0
        ceiling = bound(a, b, group)
        if ceiling >= lowest:
            queue.append((-ceiling, index))
    queue.sort()
    best, best_index = 0.0, -1
    for negated, index in queue:
        if -negated < best - _MARGIN:
            break
        b = right.forms[index % width]
        found = scored_pair(left.forms[index // width], b, fuzzy_pairs(b, groups[index]))
        if found > best or (found == best and found > 0.0 and index < best_index):
            best, best_index = found, index
    if best_index < 0:
        return 0.0, -1, -1
    return best, best_index // width, best_index % width


def _groups(left: NameSet, right: NameSet) -> dict[int, list[Link]]:
    """The links of the two records by pair of names (index i * len(right) + j)."""
    groups: dict[int, list[Link]] = {}
    width = len(right.forms)
    forms_left, forms_right = left.words.forms_of, right.words.forms_of
    for link in links(left.words, right.words):
        rows = forms_left[link[0].uid]
        for j in forms_right[link[1].uid]:
            for i in rows:
                index = i * width + j
                group = groups.get(index)
                if group is None:
                    groups[index] = [link]
                else:
                    group.append(link)
    return groups
