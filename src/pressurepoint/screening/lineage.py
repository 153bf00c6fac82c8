"""Prepared records that outlive their process.

The names engine numbers every word and name it analyses from one counter per process
(`pressurepoint.names.forms`), and caches word and name similarities under those numbers
(`pressurepoint.names.compare`). A record prepared in another process carries that
process's numbers: scored against words numbered here, two different words could share a
number and a cached similarity. So a process that takes in records prepared elsewhere
first *adopts* their numbering: its counter moves past every number they use, and its
caches (which may hold numbers of its own that the newcomers reuse) are emptied.

The rule that keeps this sound: adopt only where no records of another numbering are in
use (at start-up, before anything was matched). Records prepared here after adopting
number from the moved counter and never collide.
"""

from __future__ import annotations

import itertools

from pressurepoint.names import compare, forms


def next_number() -> int:
    """A number greater than every one this process has handed out (the counter moves
    on by one)."""
    return next(forms._UIDS)


def adopt(numbers_below: int, words: forms.WordTables | None = None) -> None:
    """Take in records whose numbers are all below `numbers_below` (see the module
    docstring), and the words read by the process that prepared them (`words`, from
    `word_tables` there), so that their words are not read here again."""
    start = max(numbers_below, next_number())
    forms._UIDS = itertools.count(start)
    forget()
    if words is not None:
        forms.adopt_word_tables(words)


def forget() -> None:
    """Empty the names engine's caches: the analysed names, words and similarities (the
    numbering goes on where it was)."""
    forms._analyse.cache_clear()
    forms.forget_words()
    forms._SIGNATURES.clear()
    compare.clear_caches()


def word_tables(numbers_below: int) -> forms.WordTables:
    """The words this process read for records numbered below `numbers_below`, for the
    process that will adopt them."""
    return forms.word_tables(numbers_below)


def is_fresh() -> bool:
    """Whether this process has analysed no name yet (nothing numbered is in use)."""
    return forms._analyse.cache_info().currsize == 0 and not forms._TOKENS
