"""A name analysed once into the form every comparison uses.

`analyse_name(text, kind)` cleans the name, folds look-alike letters and OCR digits, reads
titles, legal forms and vessel prefixes, romanises it (Cyrillic under the national
standard of its language, other scripts through ICU), and turns every word into its
skeleton with a weight and a role. Two spellings of one name share the `key` (their
skeleton tokens, sorted): "ABRAMOVICH, Roman Arkadyevich", "Roman Arkadievich ABRAMOVICH"
and "Абрамович Роман Аркадьевич" all have the key ``abramoviq arkadeviq roman``.
"""

from __future__ import annotations

import itertools
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache

import normality

from pressurepoint.names import orgs, persons
from pressurepoint.names.cyrillic import SYSTEMS, _romanise_word, cyrillic_language
from pressurepoint.names.skeleton import (
    adopt_skeletons,
    consonants,
    forget_skeletons,
    known_skeletons,
    skeleton,
    skeleton_variants,
)
from pressurepoint.names.text import (
    MAX_NAME_LENGTH,
    ascii_fold,
    clean_name,
    fold_confusables,
    fold_digits,
    has_letters,
    tokenize,
)
from pressurepoint.names.vessels import remove_vessel_prefix, split_imo

PERSON, ORG, OBJECT, ANY = "person", "org", "object", "any"
KINDS = (PERSON, ORG, OBJECT, ANY)

NAME, INITIAL, PARTICLE, GENERIC, LEGAL, PATRONYMIC = (
    "name", "initial", "particle", "generic", "legal", "patronymic")
_LOW_WEIGHT = {INITIAL: 1.0, PARTICLE: 1.0, GENERIC: 2.0, LEGAL: 2.0}
_MAX_WEIGHT = 10.0
OPTIONAL_SHARE = 0.35  # share of an unmatched patronymic's weight that counts as missing
_NATIONAL = {"ru": SYSTEMS["bgn_pcgn"], "uk": SYSTEMS["ua_2010"], "be": SYSTEMS["by_passport"]}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_JOINED_INITIALS = re.compile(r"(?<=\b\w)\.(?=\w)")  # "D.Yu." is two initials, not "DYu"
_ABJADS = re.compile(r"[\u0590-\u05FF\u0600-\u06FF\u0750-\u077F]")


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a name in skeleton form, with what comparison needs to know of it.

    Tokens are interned: one object (and one `uid`) per distinct word reading, so that
    comparisons can cache token similarities under a small integer key."""

    uid: int
    skel: str
    role: str
    weight: float
    #: the first letter as written (an initial "Y." stands for "Yevgeny", skeleton "evgeni")
    head: str
    #: the weight counted as missing when the word finds no partner (a patronymic is
    #: often left out, so only part of it counts when the other name has none)
    optional_weight: float
    variants: frozenset[str] = frozenset()
    consonants: frozenset[str] = frozenset()
    group: str | None = None
    surname: tuple[str, str] | None = None
    #: vowels as written (Mhmmd has none): a side that lost vowels compares by consonants
    vowels: int = 0
    #: written in an abjad (Arabic, Hebrew), whose romanisation lacks most vowels
    abjad: bool = False
    #: words without a shared key never pair (see `_soft_keys`)
    soft: frozenset[str] = frozenset()
    #: the consonants of the skeleton, whatever the role ("" for a word of vowels only)
    cmain: str = ""
    #: proper beginnings of a word of four letters or more (another word among them may
    #: be the first half of this one written as two)
    prefixes: frozenset[str] = frozenset()
    #: beginnings of the consonant forms, "" and whole ones included, of a word of four
    #: letters or more (the same, for words romanised without vowels)
    cprefixes: frozenset[str] = frozenset()
    #: keys for the upper bound of a comparison (`pressurepoint.names.bounds`): a word
    #: can pair with a word of another name only if its `probe` meets the other's `target`
    probe: frozenset[str] = frozenset()
    target: frozenset[str] = frozenset()
    #: a short word of an organisation's name (MMZ, BMZ, OMK): mostly an acronym, which
    #: one letter makes another organisation's, so it pairs only when spelled alike
    spelled_only: bool = False


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name ready for comparison (see the module docstring)."""

    uid: int
    text: str
    latin: str
    kind: str
    tokens: tuple[str, ...]
    key: str
    tset: frozenset[str]
    info: dict[str, Token] = field(hash=False, compare=False)
    toks: tuple[Token, ...] = ()
    total: float = 0.0
    #: gender told by a patronymic (-ovich / -ovna), or else weakly by surname endings
    gender: str | None = None
    gender_from_surname: bool = False
    has_patronymic: bool = False
    #: the patronymic's token id and the weight it does not count when unmatched against
    #: a name without patronymic (0 if none)
    patronymic_uid: int = 0
    patronymic_skel: str = ""
    patronymic_discount: float = 0.0
    #: the weight of its legal forms: not missing against a name written without any
    #: (lists drop them: "RSS JSC" / "RSS")
    legal_weight: float = 0.0
    #: at most one real name word (initials and generic words count half, particles and
    #: legal forms nothing)
    mononym: bool = False
    #: some word was written in an abjad (Arabic, Hebrew)
    abjad: bool = False
    #: proper beginnings of the longer words: another name's word among them may be half
    #: of a word written as two ("muler" of "mulersanqez")
    prefixes: frozenset[str] = frozenset()
    #: keys two names share if any of their words can pair (see `_soft_keys`)
    soft: frozenset[str] = frozenset()
    #: every pairing key of every word, and the letters of the initials
    pair_keys: frozenset[str] = frozenset()
    initial_letters: frozenset[str] = frozenset()
    #: the initials' token ids (an initial left without partner contradicts the other name)
    initial_uids: tuple[int, ...] = ()
    #: words of up to three letters, which may be cut off from a longer word
    shorts: tuple[str, ...] = ()
    #: one number per distinct content (the words in order and `abjad`): two forms with
    #: the same content compare alike, so comparisons are cached under it
    sig: int = 0


@dataclass(frozen=True, slots=True)
class Analysis:
    """The outcome of analysing one name: the form (None if it is not a usable name),
    problems found (codes with a message), and IMO numbers found inside the name."""

    form: NameForm | None
    problems: tuple[tuple[str, str], ...] = ()
    imo_numbers: tuple[str, ...] = ()


def analyse_name(text: str, kind: str = ANY) -> Analysis:
    """Analyse one name as a person, organisation, object (vessel, aircraft) or any."""
    if kind not in KINDS:
        raise ValueError(f"unknown name kind {kind!r}; use one of {', '.join(KINDS)}")
    return _analyse(text, kind)


@lru_cache(maxsize=100_000)
def _analyse(raw: str, kind: str) -> Analysis:
    shown = raw if len(raw) <= 60 else raw[:57] + "..."
    # a text far too long is not even cleaned
    text = clean_name(raw) if len(raw) <= MAX_NAME_LENGTH * 4 else raw
    if len(text) > MAX_NAME_LENGTH:
        return Analysis(None, (("name_too_long",
                                f"name of {len(raw)} characters refused (at most "
                                f"{MAX_NAME_LENGTH}): {shown!r}"),))
    if not text:
        return Analysis(None, (("empty_name", "empty name"),))
    if not has_letters(text):
        return Analysis(None, (("not_a_name", f"no letters in name {shown!r}"),))
    problems: list[tuple[str, str]] = []
    text, folded = fold_confusables(text)
    if folded:
        problems.append(("mixed_script",
                         f"look-alike letters of another script read as such in {shown!r}"))
    imos: list[str] = []
    words, legal, family_first = _prepare_words(text, kind, imos)
    form = _build_form(raw, words, legal, kind, family_first)
    if form is None:
        problems.append(("not_a_name", f"nothing but titles or legal forms in {shown!r}"))
    return Analysis(form, tuple(problems), tuple(imos))


def _prepare_words(text: str, kind: str, imos: list[str]) -> tuple[list[str], tuple[str, ...],
                                                                   bool]:
    legal: tuple[str, ...] = ()
    family_first = False
    if kind == PERSON:
        text = persons.remove_titles(text)
        text = persons.reorder_name(_JOINED_INITIALS.sub(". ", text))
    elif kind == OBJECT:
        text, found = split_imo(text)
        imos.extend(found)
        text = remove_vessel_prefix(text)
    if kind in (ORG, ANY):
        text = orgs.remove_article(text)
        text, legal = orgs.split_legal_forms(text)
    words = tokenize(text)
    if kind == PERSON and len(words) > 1:
        caps = [w.isupper() and len(w) > 1 for w in words]
        family_first = caps[0] and not any(caps[1:])
    return words, legal, family_first


def _latin_words(words: list[str], kind: str) -> list[tuple[str, bool]]:
    """(lower-case ASCII word, written in an abjad) for each word, romanised."""
    joined = " ".join(words)
    national = _NATIONAL["ru" if joined.isascii() else cyrillic_language(joined)]
    out: list[tuple[str, bool]] = []
    for word in words:
        if word.isascii():
            latin, abjad = word, False
        elif any("\u0400" <= ch <= "\u04ff" for ch in word):
            if kind != PERSON and word.lower() in orgs.CYRILLIC_STOPWORDS:
                continue
            latin, abjad = _romanise_word(word, national), False
        else:
            latin, abjad = _latinize(word), bool(_ABJADS.search(word))
        for piece in _NON_ALNUM.split(fold_digits(ascii_fold(latin))):
            if abjad and piece.startswith("al") and len(piece) > 4:
                out.append(("al", True))  # the Arabic article written onto its noun
                piece = piece[2:]
            if piece:
                out.append((piece, abjad))
    return out


@lru_cache(maxsize=50_000)
def _latinize(word: str) -> str:
    """Scripts other than Latin and Cyrillic, through ICU (via normality)."""
    return str(normality.latinize_text(word) or "")


def _role(skel: str, kind: str) -> str | None:
    """The role of a word, or None if it is dropped (titles, stop-words)."""
    if kind in (PERSON, ANY) and skel in persons.TITLES:
        return None
    if kind != PERSON and skel in orgs.STOPWORDS:
        return None
    if len(skel) == 1:
        return INITIAL
    if skel in persons.PARTICLES:
        return PARTICLE
    if kind in (ORG, ANY) and skel in orgs.GENERIC_WORDS:
        return GENERIC
    return NAME


def _build_form(raw: str, words: list[str], legal: tuple[str, ...], kind: str,
                family_first: bool) -> NameForm | None:
    pieces = _latin_words(words, kind)
    skels: list[str] = []
    roles: dict[str, str] = {}
    spelled: dict[str, tuple[str, bool]] = {}
    for piece, is_abjad in pieces:
        if kind in (ORG, ANY):
            piece = orgs.ABBREVIATIONS.get(piece, piece)
        skel = skeleton(piece)
        role = _role(skel, kind)
        if role == PARTICLE:
            skel = persons.PARTICLE_FORMS.get(skel, skel)
        if role is None or skel in roles:
            continue
        skels.append(skel)
        roles[skel] = role
        spelled[skel] = (piece, is_abjad)
    if not any(role != GENERIC for role in roles.values()):
        return None
    gender = None
    from_surname = False
    if kind in (PERSON, ANY):
        index = persons.find_patronymic(skels, family_first)
        if index is not None:
            roles[skels[index]] = PATRONYMIC
            gender = persons.patronymic_gender(skels[index])
        elif kind == PERSON:
            gender = persons.surname_gender(tuple(skels))
            from_surname = gender is not None
    for form in legal:
        if form not in roles:
            skels.append(form)
            roles[form] = LEGAL
    info = {s: _token(s, roles[s], kind, *spelled.get(s, (s, False))) for s in skels}
    return _form(raw, " ".join(p for p, _ in pieces), kind, info,
                 (gender, from_surname, any(is_abjad for _, is_abjad in pieces)))


_NAMEISH = {NAME: 1.0, PATRONYMIC: 1.0, INITIAL: 0.5, GENERIC: 0.5}


def _form(raw: str, latin: str, kind: str, info: dict[str, Token],
          flags: tuple[str | None, bool, bool]) -> NameForm:
    """Assemble a name form, with everything comparison reads precomputed in one pass."""
    gender, from_surname, abjad = flags
    toks = tuple(info.values())
    total = names = 0.0
    generic: list[str] = []
    initials: list[str] = []
    initial_uids: list[int] = []
    shorts: list[str] = []
    patronymic: Token | None = None
    legal = 0.0
    for token in toks:
        role = token.role
        total += token.weight
        if role == LEGAL:
            legal += token.weight
        names += _NAMEISH.get(role, 0.0)
        if role == GENERIC:
            generic.append(token.skel)
        elif role == INITIAL:
            initials += (token.skel, token.head)
            initial_uids.append(token.uid)
        elif role == PATRONYMIC:
            patronymic = token
        elif role == NAME and 1 < len(token.skel) < 4:
            shorts.append(token.skel)
    pair_keys = frozenset().union(*[t.soft for t in toks])
    soft = pair_keys if not generic else frozenset(generic).union(
        *[t.soft for t in toks if t.role != GENERIC])
    return NameForm(
        uid=next(_UIDS), text=raw, latin=latin, kind=kind, tokens=tuple(info),
        key=" ".join(sorted(info)), tset=frozenset(info), info=info, toks=toks,
        total=total, gender=gender, gender_from_surname=from_surname,
        has_patronymic=patronymic is not None,
        patronymic_uid=patronymic.uid if patronymic else 0,
        patronymic_skel=patronymic.skel if patronymic else "",
        patronymic_discount=patronymic.weight - patronymic.optional_weight if patronymic else 0.0,
        legal_weight=legal, mononym=names <= 1, abjad=abjad,
        prefixes=frozenset().union(*[t.prefixes for t in toks if t.prefixes]),
        soft=soft, pair_keys=pair_keys, initial_letters=frozenset(initials),
        initial_uids=tuple(initial_uids), shorts=tuple(shorts),
        sig=_signature(tuple([t.uid for t in toks]), abjad),
    )


_SIGNATURES: dict[tuple[tuple[int, ...], bool], int] = {}


def _signature(uids: tuple[int, ...], abjad: bool) -> int:
    """The content number of a form (see `NameForm.sig`). Numbers are never reused, so
    forgetting them (to bound memory) only costs cache hits."""
    found = _SIGNATURES.get((uids, abjad))
    if found is None:
        if len(_SIGNATURES) >= 500_000:
            _SIGNATURES.clear()
        found = _SIGNATURES[(uids, abjad)] = next(_UIDS)
    return found


def _soft_keys(skel: str, role: str, variants: frozenset[str], consonant_keys: frozenset[str],
               group: str | None, surname: tuple[str, str] | None) -> frozenset[str]:
    """Keys two words share whenever comparison can pair them: the skeleton and its
    variant readings, the equivalence group, the surname stem, the consonants, and the
    first and last three letters, and two for words up to five letters (one or two typos
    leave an end intact; the last letters are taken before a common ending such as
    -ovich or -enko), and the word with "rn" read as "m" (OCR). Words of up to three
    letters ("Yu", cut off from "Yurievich") are also compared with the words they begin
    (`NameForm.shorts`).
    Initials, particles and legal forms have none: they pair only when equal, or an
    initial with a word it begins, which is checked directly."""
    if role not in (NAME, PATRONYMIC, GENERIC):
        return frozenset()
    keys = {skel, *variants, *(f"c:{c}" for c in consonant_keys if len(c) > 1)}
    if group:
        keys.add(f"g:{group}")
    if surname:
        keys.add(f"n:{surname[0]}")
    stem = _stem(skel)
    if len(skel) <= 5:
        keys.update((f"p:{skel[:2]}", f"s:{stem[-2:]}"))
    if len(skel) > 2:
        keys.update((f"p:{skel[:3]}", f"s:{stem[-3:]}"))
    if "rn" in skel or "m" in skel:  # OCR reads "m" as "rn"
        keys.add(f"o:{skel.replace('rn', 'm')}")
    return frozenset(map(sys.intern, keys))


_PAIRING_ROLES = (NAME, PATRONYMIC, GENERIC)


def _bound_keys(skel: str, role: str, head: str, soft: frozenset[str]
                ) -> tuple[frozenset[str], frozenset[str]]:
    """(probe, target) of a word: whenever comparison pairs a word x of one name with a
    word y of another (equal, sharing a pairing key, an initial and a word with its
    letter, a cut-off word and the word it begins), x's probe meets y's target. Words
    written joined on one side are found apart (`pressurepoint.names.bounds`)."""
    equal = "=" + skel
    probe = [equal, "#i" + skel[0], "#i" + head]
    target = [equal, "#f" + skel[0], "#h" + head]
    if role == INITIAL:
        probe += ("#f" + skel, "#h" + head)
        target += ("#i" + skel, "#i" + head)
    elif role in _PAIRING_ROLES:
        if len(skel) >= 3:  # as the longer word of a cut-off pair
            probe += ("#s" + skel[:2], "#s" + skel[:3])
        if len(skel) <= 3:  # as the cut-off word
            probe.append("#l" + skel)
            target.append("#s" + skel)
        target += ("#l" + skel[:2], "#l" + skel[:3])
    return soft.union(map(sys.intern, probe)), soft.union(map(sys.intern, target))


# Endings shared by thousands of East Slavic names (patronymics, -ov / -in / -sky / -enko
# surnames, as skeletons): the end-of-word keys are taken before them, so that "-ovich"
# alone does not make every pair of patronymics worth comparing.
_COMMON_ENDINGS = ("oviq", "eviq", "aviq", "ovih", "evih", "ovna", "evna", "ivna", "iqna",
                   "enko", "skaia", "ski", "ova", "eva", "ina", "iuk", "uk", "ov", "ev", "in")


def _stem(skel: str) -> str:
    for ending in _COMMON_ENDINGS:
        if skel.endswith(ending) and len(skel) - len(ending) >= 3:
            return skel[: -len(ending)]
    return skel


_UIDS = itertools.count(1)
#: words of an organisation's name this short are read as acronyms (see `Token`)
_ACRONYM = 3


#: (skeleton, role, kind, spelling, abjad): what a token is made of
TokenKey = tuple[str, str, str, str, bool]
#: The tokens made so far (see `_token`). Kept in a dict of its own rather than a
#: functools cache, so that it can be saved with a screening index and given to the
#: process that loads it (`word_tables`, `adopt_word_tables`): a word the lists hold is
#: then read once for good, not once per process (making a token costs far more than
#: finding it here).
_TOKENS: dict[TokenKey, Token] = {}
_TOKENS_LIMIT = 200_000
#: A token depends on the kind of name only through these classes: the words of a name
#: of any kind are read as a person's (surname stems, no acronyms), so that a query of
#: unknown type shares its tokens with the persons of the lists.
_TOKEN_KINDS = {PERSON: PERSON, ANY: PERSON, ORG: ORG, OBJECT: OBJECT}


def _token(skel: str, role: str, kind: str, piece: str, abjad: bool) -> Token:
    """The interned token for one reading of a word."""
    key = (skel, role, _TOKEN_KINDS[kind], piece, abjad)
    found = _TOKENS.get(key)
    if found is None:
        if len(_TOKENS) >= _TOKENS_LIMIT:  # a bound on memory; numbers are never reused
            _TOKENS.clear()
        found = _TOKENS[key] = _new_token(*key)
    return found


@dataclass
class WordTables:
    """What the names engine learnt of the words it read: the tokens it made, and the
    skeletons of the spellings it met."""

    tokens: dict[TokenKey, Token]
    skeletons: dict[str, str]


def word_tables(numbers_below: int) -> WordTables:
    """A copy of the words read so far whose numbers are below `numbers_below` (those of
    an index built here: see `pressurepoint.screening.lineage`)."""
    return WordTables({k: t for k, t in _TOKENS.items() if t.uid < numbers_below},
                      known_skeletons())


def adopt_word_tables(tables: WordTables) -> None:
    """Take in the words another process read (call right after adopting its numbering,
    while this process has no tokens of its own)."""
    _TOKENS.update(tables.tokens)
    adopt_skeletons(tables.skeletons)


def forget_words() -> None:
    """Empty the word tables (the tokens' numbers may clash with newly adopted ones)."""
    _TOKENS.clear()
    forget_skeletons()


def _new_token(skel: str, role: str, kind: str, piece: str, abjad: bool) -> Token:
    weight = _LOW_WEIGHT.get(role, min(float(len(skel)), _MAX_WEIGHT))
    optional = weight * OPTIONAL_SHARE if role == PATRONYMIC else weight
    head = piece[:1]
    cmain = consonants(skel)
    prefixes = frozenset(map(sys.intern, (skel[:k] for k in range(1, len(skel))))) \
        if len(skel) >= 4 else frozenset()
    if role in (LEGAL, INITIAL, PARTICLE):
        probe, target = _bound_keys(skel, role, head, frozenset())
        return Token(next(_UIDS), skel, role, weight, head, optional, cmain=cmain,
                     prefixes=prefixes, probe=probe, target=target)
    cons = {cmain}
    if abjad:  # w and y written for long vowels in Arabic and Hebrew romanisation
        cons.add(consonants(skel.replace("v", "")))
    cons.discard("")
    group = (persons.patronymic_group(skel) if role == PATRONYMIC
             else persons.given_name_group(skel))
    variants = skeleton_variants(piece)
    surname = persons.surname_stem(skel) if kind in (PERSON, ANY) else None
    soft = _soft_keys(skel, role, variants, frozenset(cons), group, surname)
    probe, target = _bound_keys(skel, role, head, soft)
    cprefixes = frozenset(c[:k] for c in cons for k in range(len(c) + 1)) \
        if len(skel) >= 4 else frozenset()
    return Token(
        uid=next(_UIDS),
        skel=skel,
        role=role,
        weight=weight,
        head=head,
        optional_weight=optional,
        variants=variants,
        consonants=frozenset(cons),
        group=group,
        surname=surname,
        vowels=sum(1 for ch in piece if ch in "aeiouy"),
        abjad=abjad,
        soft=soft,
        cmain=cmain,
        prefixes=prefixes,
        cprefixes=cprefixes,
        probe=probe,
        target=target,
        spelled_only=kind == ORG and role == NAME and len(skel) <= _ACRONYM,
    )


def name_keys(text: str, kind: str = ANY) -> set[str]:
    """Blocking keys of a name: its full key and each of its distinctive tokens."""
    form = analyse_name(text, kind).form
    if form is None:
        return set()
    keys = {form.key}
    keys.update(t for t in form.tokens if form.info[t].role in (NAME, PATRONYMIC))
    return keys
