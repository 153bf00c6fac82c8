"""Unicode clean-up, script detection and folding of names.

Script detection, tokenisation and transliteration of scripts other than Cyrillic are
delegated to rigour (Rust, fast) and ICU (via rigour/pyicu). Cyrillic has its own tables in
`pressurepoint.names.cyrillic`, because the romanisation standards people meet in sanctions
lists (ICAO passports, BGN/PCGN, ISO 9, the Ukrainian national system...) must be told
apart, which a generic "Any-Latin" transform does not do.

What is written here by hand: look-alike letters inside a word of another script
("КАRIМОV", an old trick to dodge screening), digits read by OCR instead of letters
("0sama", "A1eksandr"), and folding to lower-case ASCII with the Slavic diacritics spelt
out (č → ch, ž → zh) rather than dropped, so that ISO 9 / Czech-style spellings meet the
English ones.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rigour.names import tokenize_name
from rigour.text.scripts import text_scripts

#: Names longer than this are refused: they are pasted remarks or addresses, not names, and
#: would make every comparison slow. (The longest real name in the OFAC, UK and EU lists is
#: a little over 300 characters.)
MAX_NAME_LENGTH = 500

LATIN = "Latin"
CYRILLIC = "Cyrillic"
GREEK = "Greek"

# Cyrillic and Greek letters that look exactly like Latin ones, as used to disguise a
# Latin name ("КАRIМОV" with Cyrillic К, А, М, О). Uppercase and lowercase.
_CONFUSABLE_TO_LATIN = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ү": "Y",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s",
    "і": "i", "ј": "j", "ԁ": "d", "ӏ": "l", "ԛ": "q", "ԝ": "w", "һ": "h", "ү": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
})
# The reverse, for a Latin look-alike inside a Cyrillic word ("Aбрамович" with Latin A).
_CONFUSABLE_TO_CYRILLIC = str.maketrans({
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р",
    "C": "С", "T": "Т", "X": "Х", "a": "а", "e": "е", "o": "о", "p": "р", "c": "с",
    "y": "у", "x": "х", "i": "і", "s": "ѕ",
})
# Digits that OCR or a careless typist puts in place of letters, inside a word that is
# otherwise made of letters ("0sama", "Mü1ler", "2HANG").
_DIGIT_TO_LETTER = str.maketrans({
    "0": "o", "1": "l", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b",
})
# Letters whose plain-ASCII form must be spelt out rather than stripped of its mark, so that
# ISO 9 / Czech / Polish spellings meet the English ones (Abramovič = Abramovich).
_SPELL_OUT = str.maketrans({
    "č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ć": "ch", "ż": "zh", "ź": "z",
    "ś": "s", "ǔ": "u", "ŭ": "u", "â": "ya", "û": "yu", "ê": "ye", "ë": "yo", "ï": "yi",
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
    "ı": "i", "ĳ": "ij",
    # marks that stand for Cyrillic soft and hard signs, or an Arabic ayn / hamza
    "ʹ": "", "ʺ": "", "ʼ": "", "ʻ": "", "ʿ": "", "ʾ": "", "ʽ": "", "ˈ": "", "'": "",
    "\u2019": "", "\u2018": "", "`": "", "´": "",
})
_SPACE_LIKE = re.compile(r"\s+")
_WORD = re.compile(r"\S+")


def clean_name(text: str) -> str:
    """NFKC form, invisible and control characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isprintable():
        text = "".join(_printable(ch) for ch in text)
    return _SPACE_LIKE.sub(" ", text).strip()


def _printable(ch: str) -> str:
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width joiners, soft hyphen, word joiner, BOM
        return ""
    if category in ("Cc", "Zl", "Zp") or ch.isspace():
        return " "
    return ch


def scripts_of(text: str) -> set[str]:
    """Unicode scripts of the letters in a text (digits and punctuation have none)."""
    return set(text_scripts(text))


def is_latin(text: str) -> bool:
    """True if every letter of the text is Latin (or it has no letters at all)."""
    return scripts_of(text) <= {LATIN}


def has_letters(text: str) -> bool:
    """True if the text holds at least one letter (a name of only digits or punctuation
    is not a name)."""
    return any(ch.isalpha() for ch in text)


def fold_confusables(text: str) -> tuple[str, bool]:
    """Replace look-alike letters of the minority script inside mixed Latin/Cyrillic words.

    The majority script of the whole name (by letter count) decides which way a mixed word
    is folded: "КАRIМОV, Мuhammad" becomes "KARIMOV, Muhammad"; "Aбрамович" (Latin A)
    becomes "Абрамович". Words written wholly in one script are left alone, so
    "Roman ABRAMOVICH (Роман Абрамович)" keeps both forms. Returns the text and whether
    anything was folded.
    """
    if text.isascii():
        return text, False
    latin = cyrillic = 0
    for ch in text:
        if "a" <= ch.lower() <= "z":
            latin += 1
        elif "\u0400" <= ch <= "\u04ff" or "\u0370" <= ch <= "\u03ff":
            cyrillic += 1
    if not latin or not cyrillic:
        return text, False
    majority_latin = latin >= cyrillic
    changed = False

    def fold(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        if not _is_mixed(word):
            return word
        folded = word.translate(_fold_table(word, majority_latin))
        changed = changed or folded != word
        return folded

    return _WORD.sub(fold, text), changed


def _fold_table(word: str, majority_latin: bool) -> dict[int, str]:
    """Fold a mixed word towards the script that has letters without a look-alike in it
    ("Соmраnу" has Latin m and n: Latin; "Aбрамович" has б: Cyrillic), else towards the
    majority script of the whole name."""
    latin_only = any("a" <= ch.lower() <= "z" and ord(ch) not in _CONFUSABLE_TO_CYRILLIC
                     for ch in word)
    other_only = any(("\u0400" <= ch <= "\u04ff" or "\u0370" <= ch <= "\u03ff")
                     and ord(ch) not in _CONFUSABLE_TO_LATIN for ch in word)
    if latin_only != other_only:
        return _CONFUSABLE_TO_LATIN if latin_only else _CONFUSABLE_TO_CYRILLIC
    return _CONFUSABLE_TO_LATIN if majority_latin else _CONFUSABLE_TO_CYRILLIC


def _is_mixed(word: str) -> bool:
    has_latin = has_other = False
    for ch in word:
        if "a" <= ch.lower() <= "z":
            has_latin = True
        elif "\u0400" <= ch <= "\u04ff" or "\u0370" <= ch <= "\u03ff":
            has_other = True
    return has_latin and has_other


def fold_digits(token: str) -> str:
    """Read digits inside a mostly-letter token as the letters they stand in for."""
    if token.isalpha():
        return token
    digits = sum(ch.isdigit() for ch in token)
    if not digits or digits > len(token) - digits:
        return token
    return token.translate(_DIGIT_TO_LETTER)


@lru_cache(maxsize=200_000)
def ascii_fold(token: str) -> str:
    """Lower-case ASCII form of a Latin token: diacritics dropped, Slavic ones spelt out."""
    lowered = token.lower().translate(_SPELL_OUT)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered)
    return "".join(ch for ch in decomposed if ch.isascii())


def tokenize(text: str) -> list[str]:
    """Words of a name: punctuation splits, apostrophes and dots inside a word join
    ("O'Brien" → "OBrien", "C.I.A." → "CIA"); via rigour."""
    return list(tokenize_name(text))


def lower_and_remove_punctuation(text: str) -> str:
    """Lower-case, diacritics folded, punctuation replaced by spaces, spaces collapsed:
    "ANGLO-CARIBBEAN CO., LTD." → "anglo caribbean co ltd"."""
    folded = ascii_fold(clean_name(text)) if text else ""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())
