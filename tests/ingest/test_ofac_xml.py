"""OFAC legacy XML (sdnList) on a fixture cut from the consolidated.xml of 2026-01-08
(Record_Count set to the 5 entries kept): Gazprombank, Gazprom Media (linked to it),
Mahmoud Zahhar, Michel Martelly, Dawning Information (CMIC). Also: the CSV set and the
XML of nearly the same date give the same ids and largely the same statements."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.model import Entity
from pressurepoint.sources import get_source
from pressurepoint.sources.spec import plain_name
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared

FOLDER = FIXTURES / "ofac_consolidated"
XML = FOLDER / "consolidated.xml"
CSV_SET = [FOLDER / n for n in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv",
                                "cons_comments.csv")]


def _values(store: Store, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in store.statements_for([entity_id]):
        found.setdefault(row["prop"], set()).add(row["value"])
    return found


def parse_file(source: str, path: Path, companions: tuple[Path, ...] = ()
               ) -> tuple[list[Entity], ParseContext]:
    spec = get_source(source)
    fmt = spec.format_for(path.name)
    assert fmt is not None
    ctx = ParseContext(source=spec, path=path,
                       companions={plain_name(p.name): p for p in companions})
    return list(fmt.parser(ctx, path)), ctx


def statements(entities: list[Entity]) -> set[tuple[str, str, str]]:
    return {(e.id, prop, value.value) for e in entities for prop, value in e.values()}


def test_legacy_xml_loads_records_with_their_facts(store: Store,
                                                   store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("ofac_consolidated", XML))
    info = result.info
    assert info is not None
    assert info.records_by_schema == {"Company": 1, "Organization": 2, "Person": 2}
    assert info.published_at == "2026-01-08T00:00:00"
    assert info.published_basis == "Publish_Date"
    assert result.issues == []

    bank = _values(store, "ofac-consolidated-17016")
    assert bank["name"] == {"GAZPROMBANK JOINT STOCK COMPANY"}
    assert bank["previousName"] == {"GAZPROMBANK OPEN JOINT STOCK COMPANY",
                                    "JOINT STOCK BANK OF THE GAS INDUSTRY GAZPROMBANK"}
    assert bank["innCode"] == {"7744001497"} and bank["ogrnCode"] == {"1027700167110"}
    assert bank["leiCode"] == {"253400WSS48YWMBUA688"} and bank["swiftBic"] == {"GAZPRUMM"}
    assert bank["incorporationDate"] == {"1990-07-31"}
    assert "16 Nametkina Street, Bldg. 1, Moscow 117420, Russia" in bank["address"]
    sanction = _values(store, "ofac-consolidated-17016-sanction-ofac")
    assert sanction["program"] == {"UKRAINE-EO13662", "RUSSIA-EO14024"}
    assert sanction["listingDate"] == {"2022-02-24"}  # Listing Date (EO 14024 Directive 3)
    assert "Executive Order 13662 Directive Determination - Subject to Directive 1" in \
        sanction["provisions"]

    zahhar = _values(store, "ofac-consolidated-9647")
    assert zahhar["lastName"] == {"ZAHHAR"} and zahhar["firstName"] == {"Mahmoud Khaled"}
    assert zahhar["weakAlias"] == {"ZAHAR, Mahmoud", "AL-ZAHAR, Mahmoud"}
    assert zahhar["birthDate"] == {"1945"} and zahhar["nationality"] == {"ps"}
    assert zahhar["country"] == {"ps"}  # "Region: Gaza"
    assert "address" not in zahhar  # a bare region is no address
    assert "Linked To: HAMAS" in zahhar["notes"]  # HAMAS is on the SDN list, not here

    dawning = _values(store, "ofac-consolidated-33113")  # ISIN, ticker: a Company
    assert dawning["isinCode"] == {"CNE100001TW7"} and dawning["ticker"] == {"603019CN"}
    link = _values(store, "ofac-consolidated-20296-unknownlink-17016")
    assert link["subject"] == {"ofac-consolidated-20296"}
    assert link["object"] == {"ofac-consolidated-17016"}


def test_csv_set_and_xml_of_close_dates_agree() -> None:
    """cons_*.csv of 2025-12-18 and consolidated.xml of 2026-01-08: same entity ids, and
    nearly all statements equal (the differences are OFAC's own edits between the dates:
    the CSV writes the XML's double quotes as single quotes)."""
    from_csv, csv_ctx = parse_file("ofac_consolidated", CSV_SET[0], tuple(CSV_SET[1:]))
    from_xml, _ = parse_file("ofac_consolidated", XML)
    assert {e.id for e in from_csv} == {e.id for e in from_xml}
    assert csv_ctx.issues == []
    a, b = statements(from_csv), statements(from_xml)
    assert len(a & b) / len(a | b) > 0.98
    assert Counter(e.schema for e in from_csv) == Counter(e.schema for e in from_xml)


def test_any_namespace_and_the_sdn_file_name(tmp_path: Path) -> None:
    """OFAC's namespace URI has changed over time: elements are read by local name. The SDN
    list's sdn.xml has the same schema; its ids carry the SDN source id."""
    text = XML.read_text(encoding="utf-8")
    plain = text.replace(
        ' xmlns="https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"',
        ' xmlns="http://tempuri.org/sdnList.xsd"')
    path = tmp_path / "sdn.xml"
    path.write_text(plain, encoding="utf-8")
    entities, ctx = parse_file("ofac_sdn", path)
    assert ctx.published_at == "2026-01-08T00:00:00"
    targets = sorted(e.id for e in entities if e.is_target)
    assert targets == ["ofac-sdn-17016", "ofac-sdn-20296", "ofac-sdn-33113",
                       "ofac-sdn-50476", "ofac-sdn-9647"]


def test_bad_values_are_issues_and_the_run_goes_on(store: Store, store_settings: Settings,
                                                   tmp_path: Path) -> None:
    text = XML.read_text(encoding="utf-8").replace(
        "<dateOfBirth>12 Feb 1961</dateOfBirth>", "<dateOfBirth>31 Feb 1961</dateOfBirth>")
    text = text.replace("<uid>9647</uid>\n    <firstName>", "<firstName>", 1)
    text = text.replace("<idType>Equity Ticker</idType>", "<idType>Frobnication Code</idType>")
    path = tmp_path / "consolidated.xml"
    path.write_text(text, encoding="utf-8")
    result = load(store, store_settings, LoadRequest("ofac_consolidated", path))
    assert result.info is not None and result.info.records == 4
    codes = {(i.code, i.record_id) for i in result.issues}
    assert ("invalid_date", "ofac-consolidated-50476") in codes
    assert ("missing_id", None) in codes
    assert ("unknown_ofac_label", "ofac-consolidated-33113") in codes  # kept as a note:
    assert "Frobnication Code 603019CN" in _values(store, "ofac-consolidated-33113")["notes"]


@pytest.mark.parametrize(
    ("case", "expect"),
    [("truncated", "broken XML at line"), ("wrong_root", "not <sdnList>")],
)
def test_unreadable_xml_is_a_format_error(case: str, expect: str, store: Store,
                                          store_settings: Settings, tmp_path: Path) -> None:
    text = XML.read_text(encoding="utf-8")
    if case == "truncated":
        text = text[: len(text) // 2]
    else:
        text = text.replace("sdnList", "sanctionsList")
    path = tmp_path / "consolidated.xml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormatError) as raised:
        load(store, store_settings, LoadRequest("ofac_consolidated", path))
    assert str(raised.value).startswith("ofac_consolidated: consolidated.xml: ")
    assert expect in str(raised.value)
    assert store.runs("ofac_consolidated") == []


@needs_shared
@pytest.mark.parametrize(("folder", "count"), [("2025-03-28", 443), ("2026-01-08", 442)])
def test_full_consolidated_xml_counts_match_the_manifest(folder: str, count: int) -> None:
    path = SHARED_DATA / "sanctions" / "ofac_consolidated" / folder / "consolidated.xml"
    entities, ctx = parse_file("ofac_consolidated", path)
    assert sum(1 for e in entities if e.is_target) == count
    assert sum(1 for e in entities if e.schema == "Sanction") == count
    assert ctx.published_at == f"{folder}T00:00:00"
    assert [i for i in ctx.issues if i.code == "record_count_mismatch"] == []
    programs = Counter(p for e in entities if e.schema == "Sanction" for p in e.get("program"))
    assert programs["UKRAINE-EO13662"] == 286


@needs_shared
def test_full_csv_set_and_xml_agree(tmp_path: Path) -> None:
    base = SHARED_DATA / "sanctions" / "ofac_consolidated"
    folder = base / "2025-12-18"
    main = tmp_path / "cons_prim.csv"
    shutil.copy(folder / "cons_prim.csv", main)
    companions = tuple(folder / n for n in ("cons_add.csv", "cons_alt.csv",
                                            "cons_comments.csv"))
    from_csv, _ = parse_file("ofac_consolidated", main, companions)
    from_xml, _ = parse_file("ofac_consolidated", base / "2026-01-08" / "consolidated.xml")
    csv_ids = {e.id for e in from_csv if e.is_target}
    xml_ids = {e.id for e in from_xml if e.is_target}
    assert len(csv_ids) == 442 and csv_ids == xml_ids
    a, b = statements(from_csv), statements(from_xml)
    assert len(a & b) / len(a | b) > 0.99
