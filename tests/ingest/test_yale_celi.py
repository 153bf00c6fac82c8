"""Yale CELI list: the published CSV and the older JSON form, on fixtures cut from the real
snapshots (Merck of the US and of Germany, JCB twice, STIHL listed twice, " Coesia Group",
"Procter &amp; Gamble (P&amp;G)", a name with a tab...)."""

from __future__ import annotations

import csv
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

CSV_NAME = "Yale_CELI_List_of_Companies_Leaving_and_Staying_in_Russia.csv"
NEWEST = FIXTURES / "yale_celi" / "2025-05-21" / CSV_NAME
OLDEST = FIXTURES / "yale_celi" / "2022-07-30" / "yalelist.json"
SHARED = SHARED_DATA / "companies" / "yale_celi"
needs_companies = pytest.mark.skipif(not SHARED.is_dir(),
                                     reason=f"shared company data not present at {SHARED}")


def parse(path: Path) -> tuple[ParseContext, dict[str, Entity]]:
    spec = get_source("yale_celi")
    fmt = spec.format_for(path.name)
    assert fmt is not None
    ctx = ParseContext(source=spec, path=path)
    entities: dict[str, Entity] = {}
    for entity in fmt.parser(ctx, path):
        entities.setdefault(entity.id, entity)
    return ctx, entities


def risks_of(entities: dict[str, Entity], company_id: str) -> list[Entity]:
    return [e for e in entities.values() if e.schema == "Risk" and e.first("entity") == company_id]


def test_csv_companies_and_assessments(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("yale_celi", NEWEST, published="2025-05-21"))
    assert result.info is not None
    assert result.info.records_by_schema == {"Company": 26}  # 27 rows, STIHL twice
    assert result.info.published_at == "2025-05-21T00:00:00"
    assert [i.code for i in result.issues] == ["duplicate_company"]
    assert "STIHL" in result.issues[0].message and "D, B" in result.issues[0].message
    _, entities = parse(NEWEST)
    merck = entities["yale-celi-merck-kgaa"]
    assert merck.get("country") == ["de"] and merck.get("sector") == ["Health Care"]
    (risk,) = risks_of(entities, merck.id)
    assert risk.first("status") == "D" and risk.first("summary") == "Buying Time"
    assert risk.first("reason") == ("still operating and actively hiring in Russia; "
                                    "restrict transactions")
    assert risk.first("authority") == "Yale Chief Executive Leadership Institute"
    assert len(risks_of(entities, "yale-celi-stihl")) == 2


def test_csv_dirty_names_are_cleaned_and_the_published_text_kept() -> None:
    _, entities = parse(NEWEST)
    coesia = entities["yale-celi-coesia-group"].props["name"][0]
    assert (coesia.value, coesia.original) == ("Coesia Group", " Coesia Group")
    jcb = entities["yale-celi-japan-credit-bureau-jcb"]
    assert jcb.get("name") == ["Japan Credit Bureau (JCB)"]
    assert jcb.get("alias") == ["Japan Credit Bureau"] and jcb.get("abbreviation") == ["JCB"]
    pg = entities["yale-celi-procter-gamble-p-g"]
    assert pg.get("name") == ["Procter & Gamble (P&G)"]
    assert pg.get("alias") == ["Procter & Gamble"] and pg.get("abbreviation") == ["P&G"]
    assert entities["yale-celi-adeo-leroy-merlin"].get("alias") == ["ADEO", "Leroy Merlin"]
    assert entities["yale-celi-victoria-s-secret"].get("name") == ["Victoria’s Secret"]


def test_json_form_keys_two_companies_of_one_name_by_country() -> None:
    ctx, entities = parse(OLDEST)
    companies = [e for e in entities.values() if e.schema == "Company"]
    assert len(companies) == 25
    assert entities["yale-celi-merck-us"].get("country") == ["us"]
    assert entities["yale-celi-merck-de"].get("country") == ["de"]
    assert entities["yale-celi-jcb-jp"].get("sector") == ["Financials"]
    grades = Counter(e.first("status") for e in entities.values() if e.schema == "Risk")
    assert grades == {"A": 6, "B": 5, "D": 6, "F": 8}
    assert ctx.issues == []


def test_company_ids_are_stable_across_snapshots_and_assessments_are_per_snapshot() -> None:
    _, old = parse(FIXTURES / "yale_celi" / "2022-12-24" / CSV_NAME)
    _, new = parse(NEWEST)
    assert "yale-celi-valeo" in old and "yale-celi-valeo" in new
    old_risk, new_risk = risks_of(old, "yale-celi-valeo")[0], risks_of(new, "yale-celi-valeo")[0]
    assert old_risk.id != new_risk.id
    assert (old_risk.first("status"), new_risk.first("status")) == ("F", "A")


def test_loading_the_same_snapshot_twice_changes_nothing(store: Store,
                                                          store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("yale_celi", NEWEST, published="2025-05-21"))
    before = store.dump()
    again = load(store, store_settings, LoadRequest("yale_celi", NEWEST, published="2025-05-21"))
    assert again.outcome == "unchanged" and store.dump() == before


def _write(tmp_path: Path, text: str, name: str = CSV_NAME) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_changed_header_is_a_format_error(tmp_path: Path, store: Store,
                                          store_settings: Settings) -> None:
    text = NEWEST.read_text(encoding="utf-8").replace("yaleGrade", "grade", 1)
    with pytest.raises(FormatError, match="line 1: header lacks column"):
        load(store, store_settings, LoadRequest("yale_celi", _write(tmp_path, text)))
    assert store.runs() == []


def test_csv_in_another_encoding_is_a_format_error(tmp_path: Path, store: Store,
                                                   store_settings: Settings) -> None:
    text = NEWEST.read_text(encoding="utf-8").replace("Valeo,", "Valéo,", 1)
    path = tmp_path / CSV_NAME
    path.write_bytes(text.encode("cp1252", errors="replace"))
    with pytest.raises(FormatError) as raised:
        load(store, store_settings, LoadRequest("yale_celi", path))
    assert "yale_celi" in str(raised.value) and "\n" not in str(raised.value)
    assert store.runs() == []


def test_truncated_csv_is_a_format_error(tmp_path: Path, store: Store,
                                         store_settings: Settings) -> None:
    text = NEWEST.read_text(encoding="utf-8")
    cut = text[: text.index("Valeo,No longer") + len("Valeo,No lon")]
    with pytest.raises(FormatError, match="truncated file"):
        load(store, store_settings, LoadRequest("yale_celi", _write(tmp_path, cut)))


def test_bad_rows_are_issues_and_the_run_goes_on(tmp_path: Path, store: Store,
                                                 store_settings: Settings) -> None:
    text = NEWEST.read_text(encoding="utf-8")
    text = text.replace("Valeo,No longer have any industrial activities ,Consumer "
                        "Discretionary,France,A", "Valeo,No longer,Consumer Discretionary,"
                        "Atlantis,E")
    text = text.replace("Renault,", "Renault\n", 1) + ",nameless,,,F\n"
    result = load(store, store_settings, LoadRequest("yale_celi", _write(tmp_path, text)))
    codes = Counter(i.code for i in result.issues)
    assert codes["unknown_status"] == 1 and codes["invalid_country"] == 1
    assert codes["short_row"] == 2 and codes["empty_name"] == 1
    assert result.info is not None and result.info.records >= 20


def test_broken_and_foreign_json_are_format_errors(tmp_path: Path, store: Store,
                                                   store_settings: Settings) -> None:
    text = OLDEST.read_text(encoding="utf-8")
    broken = _write(tmp_path, text[: len(text) // 2], "yalelist.json")
    with pytest.raises(FormatError, match="broken JSON at line"):
        load(store, store_settings, LoadRequest("yale_celi", broken))
    (tmp_path / "other").mkdir()
    foreign = _write(tmp_path / "other", '{"companies": {}}', "yalelist.json")
    with pytest.raises(FormatError, match="none of the grade keys"):
        load(store, store_settings, LoadRequest("yale_celi", foreign))


@needs_companies
@pytest.mark.parametrize(("day", "expected"), [
    ("2022-12-24", {"A": 335, "B": 495, "C": 171, "D": 161, "F": 227}),
    ("2023-08-23", {"A": 531, "B": 504, "C": 153, "D": 178, "F": 220}),
    ("2024-02-25", {"A": 538, "B": 504, "C": 155, "D": 175, "F": 217}),
    ("2025-05-21", {"A": 546, "B": 502, "C": 152, "D": 177, "F": 213}),
])
def test_shared_csv_snapshots_match_the_documented_counts(day: str,
                                                          expected: dict[str, int]) -> None:
    path = SHARED / day / CSV_NAME
    ctx, entities = parse(path)
    grades = Counter(e.first("status") for e in entities.values() if e.schema == "Risk")
    assert grades == expected
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sum(grades.values()) == len(rows)
    assert {i.code for i in ctx.issues} <= {"duplicate_company"}


@needs_companies
def test_shared_json_snapshot_matches_the_documented_counts() -> None:
    ctx, entities = parse(SHARED / "2022-07-30" / "yalelist.json")
    grades = Counter(e.first("status") for e in entities.values() if e.schema == "Risk")
    assert grades == {"F": 237, "D": 160, "C": 171, "B": 497, "A": 309}
    raw = json.loads((SHARED / "2022-07-30" / "yalelist.json").read_text(encoding="utf-8"))
    assert sum(grades.values()) == sum(len(b["records"]) for b in raw.values())
    assert ctx.issues == []
