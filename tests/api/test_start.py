"""What a start of the server reads besides the index: the records' dates, written with
each distinct stamp once and read back as plain tuples; a foreign dates file is read
again from the store; and a service started from the cached index serves the same dates
and answers as the one that built it."""

from __future__ import annotations

import pickle
from pathlib import Path

from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.outputs.api.seen import (
    Seen,
    entity_dates,
    record_dates,
    stored_record_dates,
)
from pressurepoint.outputs.api.state import ServiceState
from pressurepoint.screening import cache
from pressurepoint.screening.engine import MatchQuery
from pressurepoint.store import Store
from tests.conftest import FIXTURES
from tests.fixture_store import fixture_settings


def _store(tmp_path: Path) -> tuple[Settings, Store]:
    settings = fixture_settings(tmp_path)
    store = Store(settings.db_url)
    load(store, settings, LoadRequest("uk_ofsi", FIXTURES / "uk_ofsi" / "ConList.csv"))
    return settings, store


def test_dates_are_written_once_per_stamp_and_read_as_tuples(tmp_path: Path) -> None:
    _, store = _store(tmp_path)
    folder = tmp_path / "cache"
    expected = record_dates(store)
    assert len(expected) > 10
    assert stored_record_dates(store, folder, "v1") == expected  # read from the store
    read = stored_record_dates(store, folder, "v1")  # from the file now
    assert read == expected and all(type(v) is tuple for v in read.values())
    stamps = {id(stamp) for value in read.values() for stamp in value}
    assert len(stamps) == len({stamp for value in read.values() for stamp in value})
    members = [("e", list(expected)[:3])]
    assert entity_dates(read, members) == entity_dates(expected, members)
    assert isinstance(entity_dates(read, members)["e"], Seen)
    store.close()


def test_a_foreign_dates_file_is_read_again(tmp_path: Path) -> None:
    _, store = _store(tmp_path)
    folder = tmp_path / "cache"
    folder.mkdir()
    for n, foreign in enumerate(({"x": ("a", "b")}, {"x": ["a", "b", "c"]}, ["x"])):
        with (folder / f"dates-v{n}.pickle").open("wb") as out:
            pickle.dump(foreign, out)
        assert stored_record_dates(store, folder, f"v{n}") == record_dates(store)
    store.close()


def test_a_start_from_the_cache_serves_as_the_build(tmp_path: Path) -> None:
    settings, store = _store(tmp_path)
    store.close()
    built = ServiceState(settings, watch=False)
    built.load()  # builds, and writes the cache before it serves
    version = built.current_version()
    assert version and (cache.folder(settings) / f"index-{version}.pickle").is_file()
    query = MatchQuery("Person", {"name": ["Yevgeniy Orlov"]})
    here = built.index().match(query)
    assert here and built.snapshot().seen[here[0].id].first_seen
    # a second service in this process may not adopt the cached records (the names
    # engine numbered words here already): its start builds again; the cached start
    # of a fresh process is tested in tests/screening/test_pickling.py
    again = ServiceState(settings, watch=False)
    again.load()
    assert again.current_version() == version
    assert again.snapshot().seen == built.snapshot().seen
    assert [(h.id, h.score) for h in again.index().match(query)] == [
        (h.id, h.score) for h in here]
    built.stop()
    again.stop()
