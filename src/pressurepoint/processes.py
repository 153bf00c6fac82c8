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


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can be forked (they then share the parent's memory)."""
    return "fork" in multiprocessing.get_all_start_methods()
