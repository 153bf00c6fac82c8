"""Bad input never loses data: each broken file fails with one line naming the source, the
file and where, and the store stays exactly as it was (the previous good run stays current)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES

GOOD = FIXTURES / "un_sc" / "consolidated.xml"


def _broken_files(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, a fragment the one-line error must contain)."""
    text = GOOD.read_text(encoding="utf-8")
    cases: dict[str, tuple[Path, str]] = {}

    def write(name: str, data: bytes, expect: str, file_name: str = "consolidated.xml") -> None:
        folder = tmp / name
        folder.mkdir()
        path = folder / file_name
        path.write_bytes(data)
        cases[name] = (path, expect)

    write("empty", b"", "file is empty")
    write("truncated", text[: len(text) // 2].encode(), "broken XML at line")
    write("html", b"<!DOCTYPE html><html><body>Service Unavailable</body></html>", "HTML page")
    write("wrong_source", b'<?xml version="1.0"?><sdnList><publshInformation/></sdnList>',
          "not <CONSOLIDATED_LIST>")
    write("changed_elements", text.replace("CONSOLIDATED_LIST", "SANCTIONS_LIST").encode(),
          "not <CONSOLIDATED_LIST>")
    write("bad_encoding", text.replace("Умаров", "\udcff").encode("utf-8", "surrogateescape"),
          "line")
    write("no_records", b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2026-03-01">'
          b"<INDIVIDUALS/></CONSOLIDATED_LIST>", "no records found")
    write("bad_gzip", gzip.compress(text.encode())[:300], "cannot decompress",
          "consolidated.xml.gz")
    write("wrong_name", text.encode(), "not a file of this source", "ConList.csv")
    return cases


@pytest.mark.parametrize(
    "case",
    ["empty", "truncated", "html", "wrong_source", "changed_elements", "bad_encoding",
     "no_records", "bad_gzip", "wrong_name"],
)
def test_bad_file_fails_in_one_line_and_changes_nothing(
    case: str, store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    load(store, store_settings, LoadRequest("un_sc", GOOD))
    before = store.dump()
    path, expect = _broken_files(tmp_path)[case]
    with pytest.raises(FormatError) as raised:
        load(store, store_settings, LoadRequest("un_sc", path, published="2026-03-01"))
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"un_sc: {path.name}: ")
    assert path.name in message
    assert expect in message
    assert store.dump() == before
    assert store.newest_runs()["un_sc"]["published_at"] == "2026-02-27T00:00:09"


def test_bad_row_is_an_issue_and_the_run_goes_on(store: Store, store_settings: Settings,
                                                  tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8").replace(
        "<LISTED_ON>2012-12-31</LISTED_ON>", "<LISTED_ON>1966-13-45</LISTED_ON>")
    path = tmp_path / "consolidated.xml"
    path.write_text(text, encoding="utf-8")
    result = load(store, store_settings, LoadRequest("un_sc", path))
    assert result.info is not None and result.info.records == 4
    codes = [(i.code, i.value, i.record_id) for i in result.issues]
    assert ("invalid_date", "1966-13-45", "un-sc-6907993-sanction-un") in codes
    stored = store.issues(source="un_sc")
    assert [(r["code"], r["value"]) for r in stored] == [("invalid_date", "1966-13-45")]


def test_truncated_file_after_a_good_one_is_refused(store: Store, store_settings: Settings,
                                                     tmp_path: Path) -> None:
    """A file with far fewer records than the previous run is a truncated download."""
    text = GOOD.read_text(encoding="utf-8")
    start, end = text.index("<INDIVIDUALS>"), text.index("</INDIVIDUALS>")
    path = tmp_path / "consolidated.xml"
    path.write_text(text[:start] + "<INDIVIDUALS>" + text[end:], encoding="utf-8")
    load(store, store_settings, LoadRequest("un_sc", GOOD))
    before = store.dump()
    with pytest.raises(FormatError, match="fewer than 50% of the 4"):
        load(store, store_settings, LoadRequest("un_sc", path, published="2026-03-01"))
    assert store.dump() == before
