"""KSE Institute "Leave Russia" company list (JSON), on a fixture of 24 real entries,
among them the three names with Cyrillic look-alike letters."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.model import Entity
from pressurepoint.sources import get_source
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA

FILE = FIXTURES / "kse_leave_russia" / "2026-08-24" / "kse_companies.json"
SHARED = SHARED_DATA / "companies" / "kse_leave_russia" / "2026-08-24" / "kse_companies.json"


def parse(path: Path) -> tuple[ParseContext, dict[str, Entity]]:
    spec = get_source("kse_leave_russia")
    ctx = ParseContext(source=spec, path=path)
    return ctx, {e.id: e for e in spec.formats[0].parser(ctx, path)}


def test_fixture_loads_companies_with_kse_status(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("kse_leave_russia", FILE))
    assert result.info is not None
    assert result.info.records_by_schema == {"Company": 24}
    assert result.info.published_at == "2026-08-24T00:00:00"
    assert result.info.published_basis == "fetchedAt field"
    _, entities = parse(FILE)
    merck = entities["kse-leave-russia-merck-kgaa"]
    assert merck.get("name") == ["Merck KGaA"]
    assert merck.get("sourceUrl") == ["https://leave-russia.org/merck-kgaa"]
    risk = entities["kse-leave-russia-merck-kgaa-status-2026-08-24"]
    assert risk.first("entity") == merck.id
    assert (risk.first("status"), risk.first("summary")) == ("holdoff",
                                                             "Holding off new investment")
    assert risk.first("date") == "2026-08-24" and risk.first("recordId") == "merck-kgaa"


def test_cyrillic_look_alikes_are_read_as_latin_and_reported() -> None:
    ctx, entities = parse(FILE)
    ocean = entities["kse-leave-russia-osean-network-express"].props["name"][0]
    assert ocean.value == "Ocean Network Express"
    assert ocean.original == "Oсean Network Express"  # Cyrillic с, as published
    comac = entities["kse-leave-russia-comac"]
    assert comac.get("abbreviation") == ["COMAC"]
    assert Counter(i.code for i in ctx.issues) == {"mixed_script_name": 3}
    assert all(i.level == "info" for i in ctx.issues)


def test_unknown_class_bucket_mismatch_and_count_are_issues(tmp_path: Path) -> None:
    data = json.loads(FILE.read_text(encoding="utf-8"))
    data["companies"]["3m"]["status_class"] = "vanished"
    data["companies"]["valeo"]["status_bucket"] = "stay"
    data["count"] = 99
    path = tmp_path / "kse_companies.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    ctx, entities = parse(path)
    codes = Counter(i.code for i in ctx.issues)
    assert codes["unknown_status"] == 1 and codes["status_bucket_mismatch"] == 1
    assert codes["count_mismatch"] == 1
    assert entities["kse-leave-russia-3m-status-2026-08-24"].first("status") == "vanished"


@pytest.mark.parametrize(("text", "message"), [
    ('{"companies": {"a": {"name": "A"', "broken JSON at line 1"),
    ('{"records": []}', "no 'companies' object"),
    ("[1, 2]", "no 'companies' object"),
])
def test_broken_or_foreign_files_are_format_errors(tmp_path: Path, store: Store,
                                                   store_settings: Settings, text: str,
                                                   message: str) -> None:
    path = tmp_path / "kse_companies.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError, match=message):
        load(store, store_settings, LoadRequest("kse_leave_russia", path))
    assert store.runs() == []


@pytest.mark.skipif(not SHARED.is_file(), reason=f"shared company data not present: {SHARED}")
def test_shared_file_matches_the_documented_counts() -> None:
    ctx, entities = parse(SHARED)
    classes = Counter(e.first("status") for e in entities.values() if e.schema == "Risk")
    assert classes == {"continue": 1051, "suspension": 586, "withdrawal": 538,
                       "scalingback": 442, "transfer": 426, "holdoff": 100}
    assert sum(e.schema == "Company" for e in entities.values()) == 3143
    assert Counter(i.code for i in ctx.issues) == {"mixed_script_name": 3}
