"""Comparing two analysed names: token alignment, coverage and conflict.

Tokens equal in skeleton form pair at once (a set intersection). The rest pair greedily
by similarity: equivalent given names or patronymics (Volodymyr / Vladimir), the other
reading of an ambiguous spelling (Chodorkowski), gendered surname forms (Ivanov /
Ivanova), edit distance within a budget that grows with length (optimal string
alignment, so a swapped pair of letters is one edit; via rapidfuzz), vowel-less forms
(Mhmmd, Arabic romanised without vowels), truncations (Yu → Yusuf), initials (K →
Karimov), and words split or joined differently (MüllerSanchez / Müller-Sanchez,
Jinping / Jin Ping).

The score weighs what each side explains of itself. Words are weighted by length
(initials, particles, legal forms and generic words weigh little), so "li" cannot carry
"Li Shangfu" to "Li Shanlan". One side may hold extra words (a middle name, a missing
patronymic, "al-Tikriti") at a moderate cost, but a side less than half explained costs
more; both sides holding words the other lacks is a conflict and costs more still
("Vladimir Levenshtein" is not "Vladimirov Vladimir Vladimirovich"). A one-word name
cannot reach a match against a longer one: "Hadi" alone identifies nobody.

This is the hot path of entity resolution, written for speed: token similarities are
cached under the tokens' integer ids, and the explanation is built only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from pressurepoint.names.forms import (
    GENERIC,
    INITIAL,
    LEGAL,
    PARTICLE,
    NameForm,
    Token,
)

EQUIVALENT_SIM = 0.95
JOINED_SIM = 0.95
GENDERED_SIM = 0.9
INITIAL_SIM = 0.6
MIN_PAIR_SIM = 0.5
CONFLICT_COST = 0.6
LOW_COVER_COST = 0.5  # when a side is less than half explained
MONONYM_CAP = 0.6
INITIAL_CONFLICT = 1.0  # an initial without partner counts this much more as missing
_EXACT_ROLES = (LEGAL, PARTICLE)  # legal forms and particles pair only when equal
_DROPPED_VOWELS = 2  # vowels one side lacks before consonant skeletons are compared
_TRUNCATED = 3  # a word this short at the start of another is read as cut off (Yu, Yusuf)
_STRIDE = 1 << 32
_SIM_CACHE: dict[int, float] = {}
_NEVER = -1.0  # in the similarity cache: two words without a shared key, not compared
_PAIR_CACHE: dict[int, float] = {}
_CACHE_LIMIT = 1_000_000
_EPSILON = 1e-9

Pair = tuple[float, Token, Token]


@dataclass(frozen=True, slots=True)
class Alignment:
    """The outcome of comparing two names, with the pairs that explain it."""

    score: float
    pairs: tuple[tuple[str, str, float], ...] = ()
    left_only: tuple[str, ...] = ()
    right_only: tuple[str, ...] = ()

    def describe(self) -> str:
        """"roman arkadeviq~arkadevih(0.95) -x +y": equal words, paired words with their
        similarity, words only on the left (-) and only on the right (+)."""
        parts = [a if a == b else f"{a}~{b}({sim:.2f})" for a, b, sim in self.pairs]
        parts += [f"-{t}" for t in self.left_only] + [f"+{t}" for t in self.right_only]
        return " ".join(parts)


def _budget(length: int) -> int:
    if length <= 2:
        return 0
    if length <= 5:
        return 1
    return 2 if length <= 9 else 3


def token_similarity(a: Token, b: Token) -> float:
    """Similarity of two tokens in [0, 1] (cached)."""
    key = a.uid * _STRIDE + b.uid
    found = _SIM_CACHE.get(key)
    if found is None or found == _NEVER:
        found = _similarity(a, b)
        if len(_SIM_CACHE) >= _CACHE_LIMIT:
            _SIM_CACHE.clear()
        _SIM_CACHE[key] = found
    return found


def _similarity(a: Token, b: Token) -> float:
    sa, sb = a.skel, b.skel
    if sa == sb:
        return 1.0
    if a.role == INITIAL or b.role == INITIAL:
        return INITIAL_SIM if sa[0] == sb[0] or a.head == b.head else 0.0
    if a.role in _EXACT_ROLES or b.role in _EXACT_ROLES:
        return 0.0
    if a.group is not None and a.group == b.group and a.role != GENERIC:
        return EQUIVALENT_SIM
    if a.group is not None and b.group is not None and GENERIC not in (a.role, b.role):
        # Two known given names (or patronymics) of different groups are different names,
        # however few letters apart (Maria / Daria, Oleg / Olga, Vladimirovich / Vadimovich).
        return 0.0
    if (a.variants or b.variants) and (
            sb in a.variants or sa in b.variants or not a.variants.isdisjoint(b.variants)):
        return EQUIVALENT_SIM
    if (a.spelled_only or b.spelled_only) and sa + "s" != sb and sb + "s" != sa:
        return 0.0  # MMZ / BMZ, OMK / MMK: other organisations' acronyms (Oil / Oils pair)
    best = GENDERED_SIM if a.surname and b.surname and a.surname[0] == b.surname[0] else 0.0
    la, lb = len(sa), len(sb)
    if min(la, lb) > _TRUNCATED and abs(la - lb) > 1 and (
            sa.startswith(sb) or sb.startswith(sa)):
        return best  # a word grown from another is another word: Ivan / Ivanov
    longer = la if la > lb else lb
    budget = _budget(longer)
    if budget and abs(la - lb) <= budget:
        distance = OSA.distance(sa, sb, score_cutoff=budget)
        if distance <= budget and 1.0 - distance / longer > best:
            best = 1.0 - distance / longer
    if (a.abjad or b.abjad or abs(a.vowels - b.vowels) >= _DROPPED_VOWELS) \
            and not a.consonants.isdisjoint(b.consonants):
        shortest = min(len(c) for c in a.consonants & b.consonants)
        best = max(best, 0.8 if shortest >= 3 else 0.7 if shortest == 2 else 0.6)
    if sa[:2] == sb[:2] and min(la, lb) <= _TRUNCATED:
        short, long_ = (sa, sb) if la < lb else (sb, sa)
        if long_.startswith(short):
            best = max(best, 0.5 + 0.4 * len(short) / len(long_))
    return best


def form_candidates(a: NameForm, b: NameForm) -> list[Pair]:
    """Every pair of words of two names worth pairing, equal words included. A word that
    shares no key with any word of the other name (see `forms._soft_keys`) is not
    compared at all; most words of two different names are such words."""
    common = a.tset & b.tset
    found: list[Pair] = [(1.0, a.info[t], b.info[t]) for t in common]
    return found + _fuzzy_candidates(a, b, common)


def _fuzzy_candidates(a: NameForm, b: NameForm, common: frozenset[str]) -> list[Pair]:
    ra = [t for t in a.toks if t.skel not in common] if common else a.toks
    rb = [t for t in b.toks if t.skel not in common] if common else b.toks
    found: list[Pair] = []
    if not ra or not rb:
        return found
    cache = _SIM_CACHE
    keys_b, initials_b, shorts_b = b.pair_keys, b.initial_letters, b.shorts
    for x in ra:
        xs, soft = x.skel, x.soft
        initial = x.role == INITIAL
        short = len(xs) <= _TRUNCATED
        if initial:
            partners: list[Token] | tuple[Token, ...] = [
                y for y in rb if y.skel[0] == xs or y.head == x.head]
        elif short or (shorts_b and xs.startswith(shorts_b)):
            partners = rb  # a cut-off word and the words it may begin
        elif soft.isdisjoint(keys_b) and xs[0] not in initials_b \
                and x.head not in initials_b:
            continue
        else:
            partners = rb
        base = x.uid * _STRIDE
        for y in partners:
            key = base + y.uid
            sim = cache.get(key)
            if sim is None:
                if soft.isdisjoint(y.soft) and not initial and y.role != INITIAL and (
                        not (short or len(y.skel) <= _TRUNCATED)
                        or not _truncation(xs, y.skel)):
                    cache[key] = _NEVER  # no shared key: these two words never pair
                    continue
                sim = token_similarity(x, y)
            if sim >= MIN_PAIR_SIM:
                found.append((sim, x, y))
    return found


def word_similarity(x: Token, y: Token) -> float:
    """The similarity `_fuzzy_candidates` finds for word x of one name and word y of
    another, with the same cache; negative if the two are never compared (no shared key,
    no initial, not cut off)."""
    key = x.uid * _STRIDE + y.uid
    sim = _SIM_CACHE.get(key)
    if sim is None:
        xs, ys = x.skel, y.skel
        if x.soft.isdisjoint(y.soft) and x.role != INITIAL and y.role != INITIAL and (
                not (len(xs) <= _TRUNCATED or len(ys) <= _TRUNCATED)
                or not _truncation(xs, ys)):
            _SIM_CACHE[key] = _NEVER
            return _NEVER
        sim = token_similarity(x, y)
    return sim


def _truncation(a: str, b: str) -> bool:
    """One word is a short beginning of the other ("iu" of "iureviq")."""
    if len(a) <= len(b):
        return len(a) <= _TRUNCATED and b.startswith(a)
    return len(b) <= _TRUNCATED and a.startswith(b)


def _joined(wholes: list[Token], halves: list[Token]) -> list[tuple[Token, Token, Token]]:
    """Words one side writes as one and the other as two: "mulersanqez" = "muler" +
    "sanqez"; "abdulah" = "bd" + "alh" (Arabic romanised without vowels: the consonants
    of the two halves, joined, are those of the whole)."""
    found: list[tuple[Token, Token, Token]] = []
    for whole in wholes:
        skel = whole.skel
        if len(skel) < 4:
            continue
        cons = whole.consonants
        for first in halves:
            head = first.skel
            if skel.startswith(head):
                rest = skel[len(head):]
            elif whole.abjad or first.abjad:
                rest = None  # no second half spells the rest: only consonants can join
            else:
                continue
            if cons and first.cmain not in whole.cprefixes:
                if rest is None:
                    continue
                cons = frozenset()  # only spellings can join this first half
            lead = first.cmain
            for second in halves:
                if second is first:
                    continue
                if second.skel == rest or ((whole.abjad or first.abjad or second.abjad)
                                           and lead + second.cmain in cons):
                    found.append((whole, first, second))
                    break
            cons = whole.consonants
    return found


def _order(pair: Pair) -> tuple[float, str, str]:
    return -pair[0], pair[1].skel, pair[2].skel


def align(a: NameForm, b: NameForm, candidates: list[Pair]) -> list[Pair]:
    """Greedy pairing: equal words first, then words written joined on one side and split
    on the other, then the rest by falling similarity (ties by spelling, so the outcome
    never depends on the order words were found in)."""
    candidates.sort(key=_order)
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[Pair] = []
    start = len(candidates)
    for index, (sim, x, y) in enumerate(candidates):
        if sim < 1.0:
            start = index
            break
        if x.uid not in used_a and y.uid not in used_b:
            used_a.add(x.uid)
            used_b.add(y.uid)
            pairs.append((sim, x, y))
    if a.abjad or b.abjad or not (a.prefixes.isdisjoint(b.tset)
                                  and b.prefixes.isdisjoint(a.tset)):
        joined = _join_pairs(a, b, used_a, used_b)
        for _, x, y in joined:
            used_a.add(x.uid)
            used_b.add(y.uid)
        pairs += joined
    for sim, x, y in candidates[start:]:
        if x.uid not in used_a and y.uid not in used_b:
            used_a.add(x.uid)
            used_b.add(y.uid)
            pairs.append((sim, x, y))
    return pairs


def _join_pairs(a: NameForm, b: NameForm, used_a: set[int], used_b: set[int]) -> list[Pair]:
    ra = [t for t in a.toks if t.uid not in used_a]
    rb = [t for t in b.toks if t.uid not in used_b]
    if not ra or not rb or (len(ra) < 2 and len(rb) < 2):
        return []
    pairs: list[Pair] = []
    for whole, first, second in _joined(ra, rb):
        pairs += [(JOINED_SIM, whole, first), (JOINED_SIM, whole, second)]
    for whole, first, second in _joined(rb, ra):
        pairs += [(JOINED_SIM, first, whole), (JOINED_SIM, second, whole)]
    return pairs


def name_score(a: NameForm, b: NameForm) -> float:
    """Similarity of two names in [0, 1] (see the module docstring). Cached per pair of
    analysed names: the same names recur across lists, so the same pairs recur."""
    if a.key == b.key:
        return 1.0
    if a.soft.isdisjoint(b.soft) and not (a.abjad or b.abjad):
        return 0.0  # no pairing key (Arabic without vowels pairs by joined consonants)
    return scored_pair(a, b)


def scored_pair(a: NameForm, b: NameForm, fuzzy: list[Pair] | None = None) -> float:
    """The score of two names, cached. `fuzzy`, if given, are the pairs of unequal words
    `_fuzzy_candidates` would find (`pressurepoint.names.matching` finds them for all the
    names of two records at once)."""
    key = a.sig * _STRIDE + b.sig
    found = _PAIR_CACHE.get(key)
    if found is None:
        common = a.tset & b.tset
        if fuzzy is None:
            fuzzy = _fuzzy_candidates(a, b, common)
        found = _pair_score(a, b, common, fuzzy)
        if len(_PAIR_CACHE) >= _CACHE_LIMIT:
            _PAIR_CACHE.clear()
        _PAIR_CACHE[key] = found
    return found


def pairs_with(x: Token, b: NameForm) -> bool:
    """Whether `_fuzzy_candidates` looks for partners of word x among the words of name b
    at all (a word that shares no key with any of them, is not cut off, and meets no
    initial, is not compared)."""
    xs = x.skel
    return (x.role == INITIAL or len(xs) <= _TRUNCATED or bool(b.shorts and xs.startswith(
        b.shorts)) or not x.soft.isdisjoint(b.pair_keys) or xs[0] in b.initial_letters
        or x.head in b.initial_letters)


def _pair_score(a: NameForm, b: NameForm, common: frozenset[str], fuzzy: list[Pair]) -> float:
    if fuzzy or a.abjad or b.abjad or not (a.prefixes.isdisjoint(b.tset)
                                           and b.prefixes.isdisjoint(a.tset)):
        candidates = [(1.0, a.info[t], b.info[t]) for t in common] + fuzzy
        pairs = align(a, b, candidates)
        return score_pairs(a, b, pairs) if pairs else 0.0
    if not common:
        return 0.0
    # the usual case, equal words only: the same outcome as align + score_pairs, sooner
    weight_a = weight_b = 0.0
    for t in common:
        weight_a += a.info[t].weight
        weight_b += b.info[t].weight
    miss_a = a.total - weight_a
    if a.patronymic_uid and not b.has_patronymic and a.patronymic_skel not in common:
        miss_a -= a.patronymic_discount
    miss_b = b.total - weight_b
    if b.patronymic_uid and not a.has_patronymic and b.patronymic_skel not in common:
        miss_b -= b.patronymic_discount
    if a.initial_uids or b.initial_uids:
        miss_a += INITIAL_CONFLICT * sum(1 for t in a.initial_letters if t not in common)
        miss_b += INITIAL_CONFLICT * sum(1 for t in b.initial_letters if t not in common)
    miss_a, miss_b = _without_legal(a, b, miss_a, miss_b)
    return _combine(a, b, (weight_a, miss_a, weight_a + miss_a),
                    (weight_b, miss_b, weight_b + miss_b))


def clear_caches() -> None:
    """Forget cached similarities (for benchmarks that measure cold comparisons)."""
    _SIM_CACHE.clear()
    _PAIR_CACHE.clear()


def score_pairs(a: NameForm, b: NameForm, pairs: list[Pair]) -> float:
    """The name score from aligned word pairs (see the module docstring)."""
    paired_a: set[int] = set()
    paired_b: set[int] = set()
    matched_a = matched_b = weight_a = weight_b = 0.0
    for sim, x, y in pairs:  # a word paired twice (a joined word) counts once
        if x.uid not in paired_a:
            paired_a.add(x.uid)
            matched_a += sim * x.weight
            weight_a += x.weight
        if y.uid not in paired_b:
            paired_b.add(y.uid)
            matched_b += sim * y.weight
            weight_b += y.weight
    miss_a = a.total - weight_a
    if a.patronymic_uid and not b.has_patronymic and a.patronymic_uid not in paired_a:
        miss_a -= a.patronymic_discount
    miss_a += INITIAL_CONFLICT * sum(1 for uid in a.initial_uids if uid not in paired_a)
    miss_b = b.total - weight_b
    if b.patronymic_uid and not a.has_patronymic and b.patronymic_uid not in paired_b:
        miss_b -= b.patronymic_discount
    miss_b += INITIAL_CONFLICT * sum(1 for uid in b.initial_uids if uid not in paired_b)
    miss_a, miss_b = _without_legal(a, b, miss_a, miss_b)
    return _combine(a, b, (matched_a, miss_a, weight_a + miss_a),
                    (matched_b, miss_b, weight_b + miss_b))


def spared_legal(a: NameForm, b: NameForm) -> float:
    """The weight of a's legal forms when b has none: lists drop legal forms, so they are
    not missing ("RSS JSC" / "RSS") unless b holds words a lacks ("Vanderberg Shipping
    LLC" / "Vanderberg Shipping Volkova": then they stay part of the conflict)."""
    return a.legal_weight if b.legal_weight == 0.0 else 0.0


def _without_legal(a: NameForm, b: NameForm, miss_a: float, miss_b: float
                   ) -> tuple[float, float]:
    """What each side misses, with the legal forms of one side spared (`spared_legal`)."""
    if miss_b <= _EPSILON:
        miss_a -= spared_legal(a, b)
    if miss_a <= _EPSILON:
        miss_b -= spared_legal(b, a)
    return miss_a, miss_b


def _combine(a: NameForm, b: NameForm, side_a: tuple[float, float, float],
             side_b: tuple[float, float, float]) -> float:
    """Coverage of each side → score, with the costs of a half-explained side, of words
    on both sides that found no partner, and of a one-word name against a longer one."""
    matched_a, miss_a, full_a = side_a
    matched_b, miss_b, full_b = side_b
    if full_a <= 0 or full_b <= 0:
        return 0.0
    cov_a = matched_a / full_a if matched_a < full_a else 1.0
    cov_b = matched_b / full_b if matched_b < full_b else 1.0
    high, low = (cov_a, cov_b) if cov_a >= cov_b else (cov_b, cov_a)
    score = 0.6 * high + 0.4 * low
    if low < 0.5:
        score -= LOW_COVER_COST * (0.5 - low)
    if miss_a > _EPSILON and miss_b > _EPSILON:
        score -= CONFLICT_COST * min(miss_a, miss_b) / min(full_a, full_b)
    if (miss_a > 2.5 and b.mononym) or (miss_b > 2.5 and a.mononym):
        score = min(score, MONONYM_CAP)
    return 0.0 if score < 0.0 else score if score < 1.0 else 1.0


def compare_names(a: NameForm, b: NameForm, explain: bool = False) -> Alignment:
    """Align two names and score them; with `explain`, keep the pairs that explain it."""
    if not explain:
        return Alignment(name_score(a, b))
    if a.key == b.key:
        return Alignment(1.0, tuple((t, t, 1.0) for t in a.tokens))
    pairs = align(a, b, form_candidates(a, b))
    score = score_pairs(a, b, pairs)
    paired_a = {x.skel for _, x, _ in pairs}
    paired_b = {y.skel for _, _, y in pairs}
    return Alignment(score, tuple((x.skel, y.skel, sim) for sim, x, y in pairs),
                     tuple(t for t in a.tokens if t not in paired_a),
                     tuple(t for t in b.tokens if t not in paired_b))
