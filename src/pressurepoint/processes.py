"""What long, allocation-heavy work shares: pausing Python's cyclic garbage collector, and
how many processes the machine offers."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block. A load, a resolve or an index build
    makes millions of small objects (entities, values, statements, prepared records) and
    keeps them, none of them in reference cycles: each full collection would walk them all
    again and find nothing. Reference counting still frees everything; the collector
    resumes, if it was on, when the block ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_and_freeze() -> None:
    """Collect the reference cycles made since the last call, then take every object
    left out of the collector's future walks (`gc.freeze`).

    A long screening run or a serving worker keeps growing caches (the names engine's
    analyses, words and word similarities: millions of small objects). Left to the
    collector, each full collection walks all of them again: up to 0.75 s at once on the
    full data, 15% of the time in all, and every request waiting meanwhile. Called after
    each stretch of work (a chunk of rows, a tick of the server), the collection walks only
    what that stretch left, a few milliseconds; reference counting still frees whatever a
    cache drops later, frozen or not."""
    gc.collect()
    gc.freeze()


def freeze_survivors() -> None:
    """Take every object the work since the last call left out of the collector's walks
    (`gc.freeze`) without first looking for cycles among them: for work that makes none
    (batch screening: a test keeps it so). Looking costs more than it seems: the walk
    reads the header of every object the survivors point to, mostly cold words of the
    index, about 3 ms per chunk of rows and 6% of a screening worker's time, to find
    nothing. A cycle made anyway would stay in memory until the process ends."""
    gc.freeze()


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked (they then share the parent's memory)."""
    return "fork" in multiprocessing.get_all_start_methods()
