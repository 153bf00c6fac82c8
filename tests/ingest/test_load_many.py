"""Loading many files at once: the pipelined loader (parsing ahead in a forked worker while
the store is written) gives exactly the outcomes and the store that loading the files one by
one gives, bad files included."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError, PressurepointError
from pressurepoint.ingest.runner import LoadRequest, LoadResult, load, load_many
from pressurepoint.store import Store
from pressurepoint.store.schema import run as run_table
from tests.conftest import FIXTURES

UN = FIXTURES / "un_sc" / "consolidated.xml"
CANADA = FIXTURES / "ca_sema" / "sema-lmes.xml"


def _requests(tmp: Path) -> list[LoadRequest]:
    """A good file, a truncated one, another source's file, and the first file again."""
    broken = tmp / "broken" / "consolidated.xml"
    broken.parent.mkdir()
    text = UN.read_text(encoding="utf-8")
    broken.write_text(text[: len(text) // 2], encoding="utf-8")
    day = "2026-03-01"  # for a file that states no publication date
    return [LoadRequest("un_sc", UN, published=day), LoadRequest("un_sc", broken, published=day),
            LoadRequest("ca_sema", CANADA, published=day), LoadRequest("un_sc", UN, published=day)]


def _outcomes(results: list[tuple[LoadRequest, LoadResult | PressurepointError]]
              ) -> list[str]:
    return [f"{type(o).__name__}: {o}" if isinstance(o, PressurepointError) else o.outcome
            for _, o in results]


def _dump_without_load_times(store: Store) -> list[tuple[str, list[tuple[object, ...]]]]:
    """The store's rows, without the clock times at which the runs were made."""
    columns = [c.name for c in run_table.columns]
    clock = {columns.index("loaded_at"), columns.index("fetched_at")}
    return [(name, [tuple(v for i, v in enumerate(row) if i not in clock) for row in rows]
             if name == "run" else rows) for name, rows in store.dump()]


@pytest.mark.parametrize("parallel", [True, False])
def test_load_many_matches_loading_one_by_one(parallel: bool, tmp_path: Path) -> None:
    requests = _requests(tmp_path)
    one_by_one = Store(f"sqlite:///{tmp_path / 'one.sqlite'}")
    settings = Settings(data_dir=tmp_path / "data1", db_url="")
    expected: list[tuple[LoadRequest, LoadResult | PressurepointError]] = []
    for request in requests:
        try:
            expected.append((request, load(one_by_one, settings, request)))
        except PressurepointError as exc:
            expected.append((request, exc))

    together = Store(f"sqlite:///{tmp_path / 'many.sqlite'}")
    settings = Settings(data_dir=tmp_path / "data2", db_url="")
    results = list(load_many(together, settings, requests, parallel=parallel))

    assert [r for r, _ in results] == requests  # in the order asked
    assert _outcomes(results) == _outcomes(expected)
    assert _outcomes(results)[0] == "loaded" and _outcomes(results)[3] == "unchanged"
    failed = results[1][1]
    assert isinstance(failed, FormatError) and "broken XML at line" in str(failed)
    assert _dump_without_load_times(together) == _dump_without_load_times(one_by_one)
    one_by_one.close()
    together.close()
