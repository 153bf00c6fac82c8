"""OFAC Enhanced XML on a fixture cut from the CONS_ENHANCED.XML of 2025-01-10 (reference
values trimmed to a few): Gazprombank (Cyrillic name), Gazprom Media (owned by it),
Mahmoud Zahhar, Evren Kayakiran (passport), Dawning Information (Chinese name, ISIN)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared
from tests.ingest.test_ofac_xml import parse_file, statements

FOLDER = FIXTURES / "ofac_consolidated"
ENHANCED = FOLDER / "CONS_ENHANCED.XML"


def _values(store: Store, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in store.statements_for([entity_id]):
        found.setdefault(row["prop"], set()).add(row["value"])
    return found


def test_enhanced_xml_loads_names_in_every_script_and_relationships(
    store: Store, store_settings: Settings
) -> None:
    result = load(store, store_settings, LoadRequest("ofac_consolidated", ENHANCED))
    info = result.info
    assert info is not None
    assert info.records_by_schema == {"Company": 1, "Organization": 2, "Person": 2}
    assert info.published_at == "2025-01-10T00:00:00"
    assert info.published_basis == "publicationInfo/dataAsOf"
    assert result.issues == []

    bank = _values(store, "ofac-consolidated-17016")
    assert bank["name"] == {"GAZPROMBANK JOINT STOCK COMPANY",
                            "ГАЗПРОМБАНК АКЦИОНЕРНОЕ ОБЩЕСТВО"}
    assert bank["innCode"] == {"7744001497"} and bank["swiftBic"] == {"GAZPRUMM"}
    sanction = _values(store, "ofac-consolidated-17016-sanction-ofac")
    assert sanction["program"] == {"UKRAINE-EO13662", "RUSSIA-EO14024"}
    # the date of each list (SSI 2014, SDN 2024) and the EO 14024 directive listing date
    assert sanction["listingDate"] == {"2014-07-16", "2024-11-21", "2022-02-24"}
    assert "List: Sectoral Sanctions Identifications List" in sanction["description"]
    assert "Legal authority: Executive Order 14024 (Russia)" in sanction["description"]
    assert "Sanctions type: Block" in sanction["provisions"]

    owned = _values(store, "ofac-consolidated-20296-ownership-17016")
    assert owned["owner"] == {"ofac-consolidated-17016"}
    assert owned["asset"] == {"ofac-consolidated-20296"}
    assert owned["role"] == {"Owned or Controlled By"}

    person = _values(store, "ofac-consolidated-26182")
    assert person["name"] == {"KAYAKIRAN, Evren"}
    assert person["birthDate"] == {"1980-02-08"} and person["passportNumber"] == {"U00242309"}
    passport = _values(store, "ofac-consolidated-26182-id-passport-u00242309")
    assert passport["country"] == {"tr"} and passport["holder"] == {"ofac-consolidated-26182"}
    dawning = _values(store, "ofac-consolidated-33113")
    assert "曙光信息产业股份有限公司" in dawning["name"]
    assert dawning["isinCode"] == {"CNE100001TW7"}


def test_zipped_enhanced_xml_reads_the_same(tmp_path: Path) -> None:
    archive = tmp_path / "CONS_ENHANCED.ZIP"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(ENHANCED, "CONS_ENHANCED.XML")
    plain, _ = parse_file("ofac_consolidated", ENHANCED)
    packed, ctx = parse_file("ofac_consolidated", archive)
    assert statements(plain) == statements(packed)
    assert ctx.published_at == "2025-01-10T00:00:00"


def test_enhanced_and_legacy_formats_give_the_same_ids() -> None:
    enhanced, _ = parse_file("ofac_consolidated", ENHANCED)
    legacy, _ = parse_file("ofac_consolidated", FOLDER / "consolidated.xml")
    common = {e.id for e in enhanced if e.is_target} & {e.id for e in legacy if e.is_target}
    assert common == {"ofac-consolidated-9647", "ofac-consolidated-17016",
                      "ofac-consolidated-20296", "ofac-consolidated-33113"}
    shared = {s for s in statements(legacy) if s[0] in common}
    assert len(shared & statements(enhanced)) / len(shared) > 0.85


def test_bad_values_are_issues_and_the_run_goes_on(store: Store, store_settings: Settings,
                                                   tmp_path: Path) -> None:
    text = ENHANCED.read_text(encoding="utf-8-sig").replace(
        "<value>08 Feb 1980</value>", "<value>31 Feb 1980</value>")
    path = tmp_path / "CONS_ENHANCED.XML"
    path.write_text(text, encoding="utf-8")
    result = load(store, store_settings, LoadRequest("ofac_consolidated", path))
    assert result.info is not None and result.info.records == 5
    assert ("invalid_date", "ofac-consolidated-26182") in {
        (i.code, i.record_id) for i in result.issues}


@pytest.mark.parametrize(
    ("case", "expect"),
    [("truncated", "broken XML at line"), ("wrong_root", "not <sanctionsData>"),
     ("bad_zip", "ZIP")],
)
def test_unreadable_enhanced_xml_is_a_format_error(case: str, expect: str, store: Store,
                                                   store_settings: Settings,
                                                   tmp_path: Path) -> None:
    data = ENHANCED.read_bytes()
    name = "CONS_ENHANCED.XML"
    if case == "truncated":
        data = data[: len(data) // 2]
    elif case == "wrong_root":
        data = data.replace(b"sanctionsData", b"sdnList")
    else:
        name = "CONS_ENHANCED.ZIP"
        data = b"PK\x03\x04" + data[:200]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FormatError) as raised:
        load(store, store_settings, LoadRequest("ofac_consolidated", path))
    assert str(raised.value).startswith(f"ofac_consolidated: {name}: ")
    assert expect in str(raised.value)
    assert store.runs("ofac_consolidated") == []


@needs_shared
def test_full_enhanced_zip_counts_match_the_manifest() -> None:
    path = SHARED_DATA / "sanctions" / "ofac_consolidated" / "2025-01-10" / "CONS_ENHANCED.ZIP"
    entities, ctx = parse_file("ofac_consolidated", path)
    assert sum(1 for e in entities if e.is_target) == 443
    assert ctx.published_at == "2025-01-10T00:00:00"
    links = [e for e in entities if e.schema == "Ownership"]
    assert len(links) == 282  # every "Owned or Controlled By" / "Owns" pair in the file
    assert [i for i in ctx.issues if i.level != "info"] == [
        i for i in ctx.issues if i.code == "invalid_email"]
