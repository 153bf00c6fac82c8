"""Built indexes on disk, so that a server starts in a second instead of preparing every
record again: ``<data_dir>/screening/index-<data version>.pickle`` (with the designations
it was built from beside it). Written to a temporary file and renamed, so a reader never
sees half a file; the newest few are kept. The names engine's word tables go with it
(`pressurepoint.names.forms.WordTables`): a process that loads the index knows every word
of the lists as the one that built it did.

A cached index is read only into a process that has not matched anything yet (see
`pressurepoint.screening.lineage`): `load_fresh` refuses otherwise and the caller builds.
It is written by `pressurepoint.screening.pickling`, so that it loads fast.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pressurepoint.analysis.designations import Designations
from pressurepoint.config import Settings
from pressurepoint.names.forms import WordTables
from pressurepoint.processes import collector_paused
from pressurepoint.screening import lineage, pickling
from pressurepoint.screening.building import Progress, build_parts
from pressurepoint.screening.engine import ScreeningIndex
from pressurepoint.screening.version import INDEX_FORMAT, data_version
from pressurepoint.store import Store

log = logging.getLogger(__name__)
KEEP = 3  # cached versions kept


def folder(settings: Settings) -> Path:
    return settings.data_dir / "screening"


def _path(settings: Settings, version: str) -> Path:
    return folder(settings) / f"index-{version}.pickle"


def save(settings: Settings, index: ScreeningIndex, designations: Designations) -> Path:
    """Write the index and its designations for `index.version`; drop old versions."""
    target = _path(settings, index.version)
    with collector_paused():  # the pickler's tables grow by a million entries
        write_pickle(target, {"format": INDEX_FORMAT, "index": index,
                              "designations": designations,
                              "words": lineage.word_tables(index.numbers_below)},
                     dump=pickling.dump)
    prune(target.parent, "index-*.pickle")
    return target


def _plain_dump(body: object, out: IO[bytes]) -> None:
    pickle.dump(body, out, protocol=pickle.HIGHEST_PROTOCOL)


def write_pickle(target: Path, body: object,
                 dump: Callable[[object, IO[bytes]], None] = _plain_dump) -> None:
    """Pickle `body` to `target` (by `dump`, default plain `pickle.dump`) through a
    temporary file renamed into place, so that a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            dump(body, out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def prune(where: Path, pattern: str, keep: int = KEEP) -> None:
    """Delete all but the `keep` newest files of `where` matching `pattern`."""
    cached = sorted(where.glob(pattern), key=lambda p: p.stat().st_mtime)
    for old in cached[:-keep]:
        old.unlink(missing_ok=True)


def load_fresh(settings: Settings, version: str | None = None
               ) -> tuple[ScreeningIndex, Designations] | None:
    """The cached index of `version` (None: the newest cached one, whatever its version)
    and its designations, adopted into this process; None when there is none, it cannot be
    read, or this process already matched names."""
    if not lineage.is_fresh():
        return None
    if version is not None:
        path: Path | None = _path(settings, version)
    else:
        cached = sorted(folder(settings).glob("index-*.pickle"),
                        key=lambda p: p.stat().st_mtime) if folder(settings).is_dir() else []
        path = cached[-1] if cached else None
    if path is None:
        return None
    return _adopt_file(path)


def _adopt_file(path: Path) -> tuple[ScreeningIndex, Designations] | None:
    """The index and designations of a cache file, adopted into this process (whose own
    records, if any, are no longer in use); None if there is no such file or it cannot be
    read."""
    body = _read(path) if path.is_file() else None
    if body is None:
        return None
    index, designations = body["index"], body["designations"]
    lineage.adopt(index.numbers_below, body["words"])
    return index, designations


def _read(path: Path) -> dict[str, Any] | None:
    try:
        with collector_paused(), path.open("rb") as handle:
            body = pickle.load(handle)
            # millions of new objects, none in a reference cycle, kept as long as the
            # process serves: out of the collector's sight before it resumes (else its
            # next collections walk them all: seconds, at start and again later)
            gc.freeze()
    except Exception as exc:  # a broken or foreign cache file is rebuilt, never fatal
        log.warning("ignoring the cached index %s: %s", path, exc)
        return None
    if not isinstance(body, dict) or body.get("format") != INDEX_FORMAT or not isinstance(
            body.get("index"), ScreeningIndex) or not isinstance(body.get("words"),
                                                                 WordTables):
        return None
    return body


Built = tuple[ScreeningIndex, Designations]


def build_and_cache(settings: Settings, build: Callable[[], Built]) -> ScreeningIndex:
    """Build an index (`build()`), cache it, and give back the copy read from the cache
    file in its place, for a process that screens many names next (`screen`).

    A built index lies scattered over the memory its build went through (1.5 GB for the
    full data, against 0.9 GB read back from its file), and every query then reaches
    further for the records it scores: 100,000 names were screened at 855 names per CPU
    second on the built index and 1,059 on the same index read back, in consecutive runs
    (BENCHMARKS.md). Reading it back costs about 4 s. The built copy and the names
    engine's caches of the build are dropped before the file is read, so memory does not
    hold both; if the file cannot be read back, the index is built again (uncached),
    never lost."""
    index, designations = build()
    version = index.version
    try:
        save(settings, index, designations)
    except OSError as exc:  # a read-only data folder: the index still serves this run
        log.warning("cannot cache the screening index: %s", exc)
        return index
    del index, designations  # the last references to the built copy (see above)
    lineage.forget()  # and what the names engine kept of the build: the file has it all
    found = _adopt_file(_path(settings, version))
    return found[0] if found is not None else build()[0]


def load_or_build(settings: Settings, store: Store, progress: Progress | None = None
                  ) -> ScreeningIndex:
    """The index of the store's current data: the cached one if there is one (and this
    process has matched nothing yet), else built (reusing the records of an older cached
    index) and cached for the next time (`build_and_cache`). For `screen` and other
    one-shot commands."""
    version = data_version(store)
    found = load_fresh(settings, version)
    if found is not None:
        return found[0]
    newest = load_fresh(settings, None)
    older = [newest[0]] if newest is not None else []
    del newest

    def build() -> Built:  # the older index is let go once the build has used it
        previous = older.pop() if older else None
        return build_parts(ScreeningIndex, store, progress, previous=previous,
                           version=version)

    return build_and_cache(settings, build)
