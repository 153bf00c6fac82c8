"""FCDO UK Sanctions List: XML, the published CSV / ODS layout and the reduced ODS export;
see tests/fixtures/uk_fcdo/README.md for what each fixture is."""

from __future__ import annotations

import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.parsers.fcdo import ods_rows
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.model import Entity
from pressurepoint.sources import get_source
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared

HERE = FIXTURES / "uk_fcdo"
XML = HERE / "UK_Sanctions_List.xml"
CSV = HERE / "UK_Sanctions_List.csv"
ODS = HERE / "UK_Sanctions_List.ods"
REDUCED = HERE / "FCDO_SL_reduced.ods"


def props_of(store: Store, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.statements_for([entity_id]):
        found[row["prop"]].add(row["value"])
    return found


def parse(path: Path) -> tuple[ParseContext, dict[str, Entity]]:
    spec = get_source("uk_fcdo")
    fmt = spec.format_for(path.name)
    assert fmt is not None
    ctx = ParseContext(source=spec, path=path)
    return ctx, {e.id: e for e in fmt.parser(ctx, path)}


# -- XML ----------------------------------------------------------------------------------
def test_xml_fixture_loads_designations(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("uk_fcdo", XML))
    assert result.info is not None
    assert result.info.records_by_schema == {"Organization": 2, "Person": 4, "Vessel": 1}
    assert result.info.published_at == "2026-09-10T00:00:00"
    assert [(i.code, i.value) for i in result.issues] == [("invalid_phone", "0202-104748")]

    peskov = props_of(store, "uk-fcdo-rus1770")
    assert peskov["name"] == {"Dmitry PESKOV", "Песков Дмитрий Николаевич"}
    assert peskov["alias"] == {"Dmitri PESKOV", "Dmitriy PESKOV"}
    assert peskov["birthDate"] == {"1975-12-26"}
    assert peskov["nationality"] == {"ru"}
    sanction = props_of(store, "uk-fcdo-rus1770-sanction")
    assert sanction["program"] == {"The Russia (Sanctions) (EU Exit) Regulations 2019"}
    assert sanction["listingDate"] == {"2023-02-23"}
    assert sanction["modifiedAt"] == {"2023-03-21"}
    assert sanction["recordId"] == {"RUS1770"}
    assert sanction["authorityId"] == {"RUS1770", "15805"}  # 15805: the OFSI Group ID
    assert "Travel Ban" in sanction["provisions"]
    assert sanction["description"] == {"Designation source: UK"}
    assert sanction["sourceUrl"] == {
        "https://www.gov.uk/government/publications/the-uk-sanctions-list"}


def test_xml_sample_records(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("uk_fcdo", XML))
    akhund = props_of(store, "uk-fcdo-afg0006")
    assert akhund["birthDate"] == {"1958-05-12", "1945", "1946"}  # "dd/mm/1945", "1946"
    assert akhund["passportNumber"] == {"P04581926"}
    assert akhund["title"] == {"Mullah", "Haji"}
    assert "محمد حسن آخوند" in akhund["name"]
    assert props_of(store, "uk-fcdo-afg0006-sanction")["unscId"] == {"TAi.002"}
    bnk = props_of(store, "uk-fcdo-bel0107")
    assert bnk["weakAlias"] == {"BNK"}
    assert bnk["registrationNumber"] == {"06527449"}
    ship = props_of(store, "uk-fcdo-dpr0075")
    assert ship["imoNumber"] == {"IMO9562233"}
    assert ship["flag"] == {"km"}
    assert props_of(store, "uk-fcdo-dpr0075-sanction")["authorityId"] == {"DPR0075"}


def test_two_regimes_one_target_two_sanctions(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("uk_fcdo", XML))
    karayev = props_of(store, "uk-fcdo-bel0005")
    assert "Юрый Хаджымуратавіч Караеў" in karayev["name"]
    assert not store.statements_for(["uk-fcdo-ghr0055"])
    assert store.entities_referring_to(["uk-fcdo-bel0005"]) == [
        "uk-fcdo-bel0005-sanction", "uk-fcdo-ghr0055-sanction"]
    rights = props_of(store, "uk-fcdo-ghr0055-sanction")
    assert rights["entity"] == {"uk-fcdo-bel0005"}
    assert rights["listingDate"] == {"2020-09-29"}
    assert rights["program"] == {"The Global Human Rights Sanctions Regulations 2020"}


# -- CSV and ODS, full layout -------------------------------------------------------------
@pytest.mark.parametrize("path", [CSV, ODS], ids=["csv", "ods"])
def test_full_layout_rows_make_one_designation_each(path: Path, store: Store,
                                                    store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("uk_fcdo", path))
    assert result.info is not None
    assert result.info.records_by_schema == {"Organization": 1, "Person": 2, "Vessel": 1}
    assert result.info.published_at == "2025-08-11T00:00:00"  # "Report Date: 11-Aug-2025"
    assert result.issues == []
    peskov = props_of(store, "uk-fcdo-rus1770")
    assert peskov["name"] == {"Dmitry PESKOV", "Песков Дмитрий Николаевич"}
    assert peskov["birthDate"] == {"1975-12-26"}
    ship = props_of(store, "uk-fcdo-rus2176")
    assert ship["imoNumber"] == {"IMO9826902"}
    assert ship["flag"] == {"ga"}
    assert ship["buildDate"] == {"2019"}
    salyut = props_of(store, "uk-fcdo-rus2416")
    assert salyut["ogrnCode"] == {"1125261000040"}
    assert salyut["innCode"] == {"5261079332"}
    assert len(store.entities_referring_to(["uk-fcdo-bel0005"])) == 2


def test_same_designation_has_the_same_ids_in_every_format() -> None:
    _, from_xml = parse(XML)
    _, from_csv = parse(CSV)
    _, from_ods = parse(ODS)
    _, from_reduced = parse(REDUCED)
    for ids in ("uk-fcdo-rus1770", "uk-fcdo-rus1770-sanction", "uk-fcdo-bel0005",
                "uk-fcdo-ghr0055-sanction"):
        assert ids in from_xml and ids in from_csv and ids in from_ods and ids in from_reduced
    assert from_csv["uk-fcdo-rus1770"].props == from_ods["uk-fcdo-rus1770"].props


# -- the reduced ODS export ---------------------------------------------------------------
def test_reduced_ods_export(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings,
                  LoadRequest("uk_fcdo", REDUCED, published="2025-08-11"))
    assert result.info is not None
    assert result.info.records_by_schema == {"Organization": 3, "Person": 6, "Vessel": 1}
    assert result.info.published_basis == "given by the caller"
    assert props_of(store, "uk-fcdo-rus0001")["name"] == {"Kiselyov Dmitry Konstantinovich"}
    sanction = props_of(store, "uk-fcdo-rus0001-sanction")
    assert sanction["program"] == {"Russia"}
    assert sanction["listingDate"] == {"2020-12-31"}  # "31-12-2020"
    assert sanction["authorityId"] == {"RUS0001", "12944"}
    assert sanction["provisions"] == {"Asset freeze", "Director Disqualification Sanction",
                                      "Travel Ban", "Trust Services Sanctions"}
    aweys = store.entities_referring_to(["uk-fcdo-aqd0194"])
    assert aweys == ["uk-fcdo-aqd0194-sanction", "uk-fcdo-som0003-sanction"]


def test_ods_reader_reads_the_first_sheet() -> None:
    rows = [cells for _, cells in ods_rows(REDUCED)]
    assert rows[0] == ["Unique ID", "OFSI Group ID", "Name", "Regime Name", "Type",
                       "Designation source", "Date Designated", "Sanctions Imposed"]
    assert len(rows) == 13
    assert rows[-2][:3] == ["RUS2416", "16767",
                            "JOINT-STOCK COMPANY SCIENTIFIC AND PRODUCTION ENTERPRISE SALYUT"]


# -- bad input ----------------------------------------------------------------------------
def test_bad_date_of_birth_is_an_issue(tmp_path: Path, store: Store,
                                       store_settings: Settings) -> None:
    path = tmp_path / "UK_Sanctions_List.csv"
    path.write_bytes(CSV.read_bytes().replace(b",26/12/1975,", b",26/13/1975,", 1))
    result = load(store, store_settings, LoadRequest("uk_fcdo", path))
    assert result.info is not None and result.info.records == 4
    [issue] = result.issues
    assert (issue.code, issue.value, issue.location) == ("invalid_date", "26/13/1975", "line 3")
    assert issue.record_id == "uk-fcdo-rus1770"
    assert props_of(store, "uk-fcdo-rus1770")["birthDate"] == {"1975-12-26"}  # other rows


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("UK_Sanctions_List.xml", XML.read_bytes()[:5000], "broken XML"),
        ("UK_Sanctions_List.xml",
         b"<ArrayOfFinancialSanctionsTarget><FinancialSanctionsTarget/>"
         b"</ArrayOfFinancialSanctionsTarget>",
         "root element is <ArrayOfFinancialSanctionsTarget>"),
        ("UK_Sanctions_List.csv", CSV.read_bytes()[:-700], "truncated file"),
        ("UK_Sanctions_List.csv", CSV.read_bytes().replace(b",Regime Name,", b",Regime,"),
         r"line 2: header lacks required column\(s\) Regime Name"),
        ("UK_Sanctions_List.ods", ODS.read_bytes()[:3000], "ZIP"),
    ],
    ids=["truncated-xml", "other-root", "truncated-csv", "changed-columns", "truncated-ods"],
)
def test_unreadable_files_are_format_errors(tmp_path: Path, store: Store,
                                            store_settings: Settings, name: str, data: bytes,
                                            message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message):
        load(store, store_settings, LoadRequest("uk_fcdo", path))
    assert store.runs("uk_fcdo") == []


def test_ods_without_content_is_a_format_error(tmp_path: Path) -> None:
    path = tmp_path / "UK_Sanctions_List.ods"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(FormatError, match=r"content\.xml"):
        parse(path)


# -- the full shared file -----------------------------------------------------------------
@needs_shared
def test_reduced_ods_of_2025_08_11_matches_the_manifest() -> None:
    path = SHARED_DATA / "sanctions" / "uk_fcdo" / "2025-08-11" / "FCDO_SL_Mon_Aug 11 2025.ods"
    if not path.exists():
        pytest.skip(f"{path} not present")
    assert sum(1 for _ in ods_rows(path)) == 5303  # the header and 5302 designations
    ctx, entities = parse(path)
    assert ctx.issues == []
    sanctions = [e for e in entities.values() if e.schema == "Sanction"]
    assert len(sanctions) == 5302
    targets = Counter(e.schema for e in entities.values() if e.is_target)
    assert targets == {"Person": 3740, "Organization": 1085, "Vessel": 461}
    russia = [s for s in sanctions if s.first("program") == "Russia"]
    assert len(russia) == 2710
    assert len({s.first("entity") for s in russia}) == 2710  # distinct targets
