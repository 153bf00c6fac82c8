"""The word links between two records' names, and an upper bound of each name pair's score.

Two records may carry ten names each, and most of the hundred name pairs score nothing:
the names share a word or a key but differ in the rest. So the words are linked once per
pair of records, not once per pair of names:

- a word can pair only with a word of the other record it meets on a key: equal words,
  a shared pairing key (`forms._soft_keys`), an initial and a word with its letter, a
  cut-off word and the word it begins. Each word carries these keys as a `probe` and a
  `target` (`forms._bound_keys`); one C-level set test per word finds the few words of
  either record that can pair at all, and only those are compared
  (`compare.word_similarity`, with the comparison's own cache and rules);
- words one side writes as one and the other as two are found by their beginnings and
  ends (spelled, or as consonants for names romanised from an abjad);
- a pair of names can pair only linked words. What is not linked is missing for certain,
  and a linked word counts at most with its best similarity. The score of
  `compare._combine` grows with each side's coverage and falls with what both sides
  miss, so these give an upper bound of every alignment the comparison could find.

The bound never decides a score: it only says which name pairs cannot beat the best one
found so far (`matching.best_match`); the links of a pair of unequal words are exactly the
candidate pairs `compare._fuzzy_candidates` would find, so the score is the one the full
comparison gives, to the last bit.
"""

from __future__ import annotations

from dataclasses import dataclass

from pressurepoint.names.compare import (
    CONFLICT_COST,
    INITIAL_CONFLICT,
    JOINED_SIM,
    LOW_COVER_COST,
    MIN_PAIR_SIM,
    MONONYM_CAP,
    pairs_with,
    spared_legal,
    word_similarity,
)
from pressurepoint.names.forms import INITIAL, NameForm, Token

_EPSILON = 1e-9  # as in compare: a side misses nothing below this
_TRUNCATED = 3

#: Kinds of links: equal words; unequal words that pair; the same, but only if the left
#: word is looked at against the other name at all (`compare.pairs_with`: a word of more
#: than three letters that meets a cut-off word of the other side on no key); a whole word
#: and a half of it written apart (for the bound only: the comparison joins them itself).
EQUAL, FUZZY, CHECKED, JOINED = 0, 1, 2, 3

#: (word of the left record, word of the right record, similarity, kind)
Link = tuple[Token, Token, float, int]


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The distinct words of one record's names, indexed for `links`."""

    forms: tuple[NameForm, ...]
    tokens: tuple[Token, ...]
    #: union of the words' targets
    targets: frozenset[str]
    #: word id -> indices of the record's names that hold it
    forms_of: dict[int, list[int]]
    #: the words' skeletons and consonant forms
    skels: frozenset[str]
    cmains: frozenset[str]
    #: words of four letters or more (only these can be two words written as one)
    wholes: tuple[Token, ...]
    abjad: bool


def vocabulary(forms: tuple[NameForm, ...]) -> Vocabulary:
    """Index the words of a record's names."""
    tokens: dict[int, Token] = {}
    forms_of: dict[int, list[int]] = {}
    for index, form in enumerate(forms):
        for token in form.toks:
            found = forms_of.get(token.uid)
            if found is None:
                tokens[token.uid] = token
                forms_of[token.uid] = [index]
            else:
                found.append(index)
    words = tuple(tokens.values())
    return Vocabulary(
        forms=forms, tokens=words, targets=frozenset().union(*[t.target for t in words]),
        forms_of=forms_of, skels=frozenset([t.skel for t in words]),
        cmains=frozenset([t.cmain for t in words]),
        wholes=tuple([t for t in words if t.prefixes]),
        abjad=any(form.abjad for form in forms),
    )


def links(left: Vocabulary, right: Vocabulary) -> list[Link]:
    """Every pair of words of the two records that some pair of their names may pair."""
    found: list[Link] = []
    targets = right.targets
    lefts = [t for t in left.tokens if not t.probe.isdisjoint(targets)]
    if lefts:
        targets = left.targets
        rights = [t for t in right.tokens if not t.probe.isdisjoint(targets)]
        for x in lefts:
            probe, skel = x.probe, x.skel
            for y in rights:
                if y.skel == skel:
                    found.append((x, y, 1.0, EQUAL))
                elif not probe.isdisjoint(y.target):
                    sim = word_similarity(x, y)
                    if sim >= MIN_PAIR_SIM:
                        found.append((x, y, sim, _kind(x, y)))
    consonantal = left.abjad or right.abjad
    for whole, half in _joinable(left, right, consonantal):
        found.append((whole, half, JOINED_SIM, JOINED))
    for whole, half in _joinable(right, left, consonantal):
        found.append((half, whole, JOINED_SIM, JOINED))
    return found


def _kind(x: Token, y: Token) -> int:
    if x.soft.isdisjoint(y.soft) and x.role != INITIAL and y.role != INITIAL \
            and len(x.skel) > _TRUNCATED:
        return CHECKED  # linked only as a cut-off word y and the word x it begins
    return FUZZY


def _joinable(wholes: Vocabulary, halves: Vocabulary, consonantal: bool
              ) -> list[tuple[Token, Token]]:
    """(whole, half): words of `wholes` that may be two words of `halves` written as one
    (see `compare._joined`: the halves spell the whole, or their consonants join to the
    whole's when a word was romanised from an abjad)."""
    found: list[tuple[Token, Token]] = []
    skels, cmains = halves.skels, halves.cmains
    if not wholes.wholes or not _may_join(wholes, skels, cmains if consonantal else None):
        return found
    for whole in wholes.wholes:
        if not whole.prefixes.isdisjoint(skels):
            for head in whole.prefixes & skels:
                rest = whole.skel[len(head):]
                if rest in skels:
                    found += [(whole, half) for half in halves.tokens
                              if half.skel == head or half.skel == rest]
        if consonantal and whole.cprefixes and not whole.cprefixes.isdisjoint(cmains):
            for lead in whole.cprefixes & cmains:
                for cons in whole.consonants:
                    tail = cons[len(lead):]
                    if cons.startswith(lead) and tail in cmains:
                        found += [(whole, half) for half in halves.tokens
                                  if half.cmain == lead or half.cmain == tail]
    return found


def _may_join(wholes: Vocabulary, skels: frozenset[str], cmains: frozenset[str] | None
              ) -> bool:
    """Whether a word of `wholes` begins with a skeleton of `skels` (or, for consonant
    forms, `cmains`): the cheap test before `_joinable` looks at each word. Loops rather
    than all() / any(): this runs for every record scored."""
    for form in wholes.forms:
        if not form.prefixes.isdisjoint(skels):
            return True
    if cmains is not None:
        for whole in wholes.wholes:
            if not whole.cprefixes.isdisjoint(cmains):
                return True
    return False


def bound(a: NameForm, b: NameForm, group: list[Link]) -> float:
    """An upper bound of `compare.name_score(a, b)`, from the links between their words
    (see the module docstring)."""
    # legal forms spared whenever they may be (`compare.spared_legal`): still a bound
    spared_a = spared_legal(a, b) + (
        a.patronymic_discount if a.patronymic_uid and not b.has_patronymic else 0.0)
    spared_b = spared_legal(b, a) + (
        b.patronymic_discount if b.patronymic_uid and not a.has_patronymic else 0.0)
    if len(group) == 1:  # the usual case: one word in common, or one pair of words alike
        x, y, sim, _ = group[0]
        matched_a = sim * x.weight
        full_a = a.total - spared_a + INITIAL_CONFLICT * (
            len(a.initial_uids) - (x.role == INITIAL))
        matched_b = sim * y.weight
        full_b = b.total - spared_b + INITIAL_CONFLICT * (
            len(b.initial_uids) - (y.role == INITIAL))
        return _combined(a, b, (matched_a, x.weight, max(full_a, _EPSILON)),
                         (matched_b, y.weight, max(full_b, _EPSILON)))
    equal_a = {x.uid for x, _, _, kind in group if kind == EQUAL}
    equal_b = {y.uid for _, y, _, kind in group if kind == EQUAL}
    best_a: dict[int, tuple[float, Token]] = {}
    best_b: dict[int, tuple[float, Token]] = {}
    for x, y, sim, kind in group:
        if kind != EQUAL and (x.uid in equal_a or y.uid in equal_b):
            continue  # equal words pair first, and with nothing else
        if best_a.get(x.uid, (0.0,))[0] < sim:
            best_a[x.uid] = (sim, x)
        if best_b.get(y.uid, (0.0,))[0] < sim:
            best_b[y.uid] = (sim, y)
    return _combined(a, b, _side(a, best_a, spared_a), _side(b, best_b, spared_b))


def _combined(a: NameForm, b: NameForm, side_a: tuple[float, float, float],
              side_b: tuple[float, float, float]) -> float:
    """`compare._combine` over the bounds of each side: (most it can match, most weight
    it can pair, least it can weigh in all)."""
    matched_a, can_a, full_a = side_a
    matched_b, can_b, full_b = side_b
    miss_a = full_a - can_a  # the least each side misses
    miss_b = full_b - can_b
    cov_a = matched_a / full_a if matched_a < full_a else 1.0
    cov_b = matched_b / full_b if matched_b < full_b else 1.0
    high, low = (cov_a, cov_b) if cov_a >= cov_b else (cov_b, cov_a)
    score = 0.6 * high + 0.4 * low
    if low < 0.5:
        score -= LOW_COVER_COST * (0.5 - low)
    if miss_a > _EPSILON and miss_b > _EPSILON:
        most = min(a.total + INITIAL_CONFLICT * len(a.initial_letters),
                   b.total + INITIAL_CONFLICT * len(b.initial_letters))
        score -= CONFLICT_COST * min(miss_a, miss_b) / most
    if (miss_a > 2.5 and b.mononym) or (miss_b > 2.5 and a.mononym):
        score = min(score, MONONYM_CAP)
    return score


def _side(form: NameForm, best: dict[int, tuple[float, Token]], spared: float
          ) -> tuple[float, float, float]:
    """(most it can match, most weight it can pair, least it can weigh in all): the
    weight in all counts its initials left without partner, and leaves out at most the
    spared part of a patronymic."""
    matched = can = 0.0
    initials = len(form.initial_uids)
    for sim, token in best.values():
        matched += sim * token.weight
        can += token.weight
        if token.role == INITIAL:
            initials -= 1
    full = form.total - spared + INITIAL_CONFLICT * initials
    return matched, can, full if full > _EPSILON else _EPSILON


def fuzzy_pairs(b: NameForm, group: list[Link]) -> list[tuple[float, Token, Token]]:
    """The candidate pairs of unequal words `compare._fuzzy_candidates` finds for the
    names of a group of links (b is the right one)."""
    equal_a = {x.uid for x, _, _, kind in group if kind == EQUAL}
    equal_b = {y.uid for _, y, _, kind in group if kind == EQUAL}
    return [(sim, x, y) for x, y, sim, kind in group
            if (kind == FUZZY or (kind == CHECKED and pairs_with(x, b)))
            and x.uid not in equal_a and y.uid not in equal_b]
