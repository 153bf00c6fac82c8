"""What a running server holds: the store, and the screening index with the designations
it was built from, swapped as one when the store's data changes.

Start-up: the cached index of the current data version (`pressurepoint.screening.cache`)
is read if there is one; else the newest cached one is read and brought up to date (only
the changed records are prepared again); else everything is built. Several worker
processes starting at once build one after the other under a lock file, so the later ones
read what the first one wrote.

Under `pressurepoint serve` the serving processes do not refresh themselves (`watch=False`):
the supervisor (`pressurepoint.outputs.api.supervisor`) holds a state of its own, builds
the new index with `build_snapshot` and `install`s it, and forks a new generation of
workers that start with it.

Elsewhere (an app made by `create_app` and run by another server, or the tests), a
background thread checks the data version every `refresh_seconds`. When it moves (a newer
run was loaded, `resolve` re-clustered), and has stayed put for one more check (a load or
resolve in progress writes several times), a new index is built beside the current one,
which keeps serving; the new one replaces it in one assignment. A reader holds whichever
it took at the start of its request: never half of each.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pressurepoint.analysis.designations import Designation, Designations
from pressurepoint.analysis.gaps import Query, Row, matrix
from pressurepoint.config import Settings
from pressurepoint.errors import PressurepointError
from pressurepoint.outputs.api.seen import Dates, Seen, entity_dates, stored_record_dates
from pressurepoint.screening import cache
from pressurepoint.screening.building import build_parts
from pressurepoint.screening.engine import MatchQuery, ScreeningIndex
from pressurepoint.screening.version import data_version
from pressurepoint.store import Store
from pressurepoint.trackers.companies import Companies, load_companies

log = logging.getLogger(__name__)
REFRESH_SECONDS = 5.0
#: Queries that warm the names engine up (its first analysis of each kind loads tables).
WARM_UP = (MatchQuery("Person", {"name": ["Ivan Ivanovich Petrov"]}),
           MatchQuery("Company", {"name": ["OOO Romashka"]}),
           MatchQuery("Vessel", {"name": ["Ocean Star"]}))


class NotReady(PressurepointError):
    """The index is still being loaded."""


@dataclass(frozen=True)
class Snapshot:
    """One consistent view of the data: the index and what was derived with it."""

    version: str
    index: ScreeningIndex
    designations: Designations
    built_at: float
    #: canonical id -> when it was first and last seen, and last changed
    seen: Mapping[str, Seen] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_derived", {})

    def derived(self, name: str, make: Callable[[], Any]) -> Any:
        """A value computed once per snapshot (rows of the gap matrix by entity...)."""
        store: dict[str, Any] = self._derived  # type: ignore[attr-defined]
        if name not in store:
            store[name] = make()
        return store[name]


class ServiceState:
    """See the module docstring. `request.app.state.pp` of the API and the web pages."""

    def __init__(self, settings: Settings, *, refresh_seconds: float = REFRESH_SECONDS,
                 api_token: str | None = None, watch: bool = True) -> None:
        self.settings = settings
        self.store = Store(settings.db_url)
        self.refresh_seconds = refresh_seconds
        #: whether this process keeps its index fresh itself (False: a supervisor does)
        self.watch = watch
        self.api_token = api_token
        self.started_at = time.time()
        self.error: str | None = None
        self.refreshes = 0
        self._snapshot: Snapshot | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._build_lock = threading.Lock()
        self._companies: tuple[str, Companies] | None = None
        self._companies_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    # -- what readers use ----------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        found = self._snapshot
        if found is None:
            raise NotReady(self.error or "the screening index is loading; try again shortly")
        return found

    def index(self) -> ScreeningIndex:
        return self.snapshot().index

    def designations(self) -> Designations:
        return self.snapshot().designations

    def gap_rows(self) -> dict[str, Row]:
        """Canonical id -> its row of the full gap matrix (all entities), per snapshot."""
        snap = self.snapshot()
        rows: dict[str, Row] = snap.derived("gap_rows", lambda: {
            row.target.id: row for row in matrix(snap.designations, Query(include_all=True))})
        return rows

    def designations_of(self, canonical_id: str) -> list[Designation]:
        snap = self.snapshot()
        grouped: dict[str, list[Designation]] = snap.derived("by_canonical", lambda: _group(
            snap.designations.items))
        return grouped.get(canonical_id, [])

    def companies(self) -> Companies:
        """The company trackers grouped into companies, for the current data version."""
        version = self.snapshot().version
        with self._companies_lock:
            if self._companies is None or self._companies[0] != version:
                self._companies = (version, load_companies(self.store))
            return self._companies[1]

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        """Load (or build) the index unless `load` did, and keep it fresh, in a background
        thread. In a process forked after `load`, the store's connections are the
        parent's: they are dropped (not closed) and this process opens its own."""
        if os.getpid() != self._pid:
            self.store.engine.dispose(close=False)
            self._pid = os.getpid()
        if self._thread is None and (self.watch or not self.ready):
            self._thread = threading.Thread(target=self._run, name="pp-index", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        self.store.close()

    def _run(self) -> None:
        try:
            if not self.ready:
                self.load()
        except Exception as exc:  # reported by /readyz; the server keeps answering
            log.exception("cannot load the screening index")
            self.error = f"cannot load the screening index: {exc}"
            return
        while self.watch and not self._stop.wait(self.refresh_seconds):
            try:
                self.refresh()
            except Exception:  # the current index keeps serving; the next check retries
                log.exception("refresh failed")

    def load(self) -> None:
        """Read the cached index of the current data, or build it (see the module
        docstring); then the service is ready."""
        version = data_version(self.store)
        dates = self._dates(version)  # read beside the index
        found = cache.load_fresh(self.settings, version)
        if found is None:
            with self._exclusive():  # one builder; the others then read its cache
                found = cache.load_fresh(self.settings, version)
                if found is None:
                    older = cache.load_fresh(self.settings, None)
                    self._build(version, older[0] if older else None, dates)
        if found is not None:
            self._snapshot = _snapshot(version, found[0], found[1], dates.result())
            gc.freeze()
        for query in WARM_UP:
            self.index().match(query)
        self._ready.set()

    def refresh(self, *, settle: float | None = None) -> bool:
        """Rebuild if the data version moved and then stayed for `settle` seconds (default:
        one check interval). True if a new index was installed."""
        current = self._snapshot
        version = data_version(self.store)
        if current is not None and version == current.version:
            return False
        if self._stop.wait(self.refresh_seconds if settle is None else settle):
            return False
        if data_version(self.store) != version:
            return False  # still moving: the next check looks again
        with self._build_lock:
            self._build(version, current.index if current else None)
        return True

    def _build(self, version: str, previous: ScreeningIndex | None,
               dates: _Dates | None = None) -> None:
        switch = sys.getswitchinterval()
        sys.setswitchinterval(0.001)  # requests wait less for the interpreter meanwhile
        try:
            snapshot = self._built(version, previous, dates)
        finally:
            sys.setswitchinterval(switch)
        self.install(snapshot)
        if not self.cached():
            self._save(snapshot.index, snapshot.designations)

    def _built(self, version: str, previous: ScreeningIndex | None,
               dates: _Dates | None = None) -> Snapshot:
        dates = dates or self._dates(version)
        index, designations = build_parts(ScreeningIndex, self.store,
                                          previous=previous, version=version)
        if data_version(self.store) != version:
            # written to while we read: install anyway (it is consistent with the state at
            # some point of the build), the next check builds again
            log.info("data changed during the build of %s", version)
        return _snapshot(version, index, designations, dates.result())

    def _dates(self, version: str) -> _Dates:
        return _Dates(lambda: stored_record_dates(self.store, cache.folder(self.settings),
                                                  version))

    # -- what a supervisor uses ----------------------------------------------------------
    def current_version(self) -> str | None:
        snap = self._snapshot
        return snap.version if snap else None

    def store_version(self) -> str:
        return data_version(self.store)

    def build_snapshot(self, version: str) -> Snapshot:
        """A new index of the store's data (`version`: its data version), its records
        prepared again only where they changed since the current index. Not installed."""
        current = self._snapshot
        return self._built(version, current.index if current else None)

    def install(self, snapshot: Snapshot) -> None:
        """Serve `snapshot` from now on (one assignment)."""
        previous = self._snapshot
        self._snapshot = snapshot
        if previous is not None:
            self.refreshes += 1
        # millions of long-lived objects, none in cycles: out of the collector's walks
        # (a full collection over them would stall every request for seconds)
        gc.freeze()

    def share(self) -> None:
        """Compute what requests would otherwise compute on first use (the gap row and
        the designations of each entity, the index's record numbers), so that processes
        forked after this share it instead of each making its own."""
        self.gap_rows()
        self.designations_of("")
        self.index().canonical("")
        gc.freeze()

    def cached(self) -> bool:
        """Whether the current index is in the on-disk cache."""
        version = self.current_version()
        return version is not None and (
            cache.folder(self.settings) / f"index-{version}.pickle").exists()

    def save_cache(self) -> None:
        """Write the current index to the on-disk cache (in this process; seconds)."""
        snap = self.snapshot()
        cache.save(self.settings, snap.index, snap.designations)

    def _save(self, index: ScreeningIndex, designations: Designations) -> None:
        """Cache the index for the next start. Pickling holds the interpreter for
        seconds: while serving, a forked child writes it (it shares the index with this
        process and exits when done); before serving, this process does."""
        if not self.ready or not hasattr(os, "fork"):
            with contextlib.suppress(OSError):
                cache.save(self.settings, index, designations)
            return
        pid = os.fork()
        if pid == 0:  # the child: write, and leave without running any cleanup
            code = 0
            try:
                cache.save(self.settings, index, designations)
            except BaseException:
                code = 1
            os._exit(code)
        threading.Thread(target=os.waitpid, args=(pid, 0), daemon=True).start()

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One process at a time loads or builds at start-up (the others then read what
        it cached)."""
        folder = cache.folder(self.settings)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle = (folder / "build.lock").open("a")
        except OSError:
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def status(self) -> dict[str, Any]:
        snap = self._snapshot
        return {
            "status": "ready" if self.ready else ("failed" if self.error else "loading"),
            "version": snap.version if snap else None,
            "records": len(snap.index) if snap else 0,
            "entities": len(snap.index.canonicals) if snap else 0,
            "built_at": snap.built_at if snap else None,
            "refreshes": self.refreshes,
            "error": self.error,
        }


class _Dates:
    """The records' dates (`seen`), read in a thread of its own beside the index being
    loaded or built (the database does most of the work); none if that fails."""

    def __init__(self, read: Callable[[], Mapping[str, Dates]]) -> None:
        self._found: Mapping[str, Dates] = {}
        self._thread = threading.Thread(target=self._read, args=(read,), daemon=True,
                                        name="pp-dates")
        self._thread.start()

    def _read(self, read: Callable[[], Mapping[str, Dates]]) -> None:
        try:
            self._found = read()
        except Exception:  # the dates are a detail of the answers: serve without them
            log.exception("cannot read the records' first and last seen dates")

    def result(self) -> Mapping[str, Dates]:
        self._thread.join()
        return self._found


def _snapshot(version: str, index: ScreeningIndex, designations: Designations,
              records: Mapping[str, Dates]) -> Snapshot:
    seen = entity_dates(records, ((c.id, (index.entries[n].id for n in c.records))
                                  for c in index.canonicals.values()))
    return Snapshot(version, index, designations, time.time(), seen)


def _group(items: list[Designation]) -> dict[str, list[Designation]]:
    out: dict[str, list[Designation]] = {}
    for item in items:
        out.setdefault(item.canonical, []).append(item)
    return out


def today() -> date:
    return date.today()
