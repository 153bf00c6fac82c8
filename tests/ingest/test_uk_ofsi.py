"""OFSI Consolidated List, ConList.csv (2018 layout, Windows-1252) and ConList.xlsx (2022
layout), on fixtures of real rows; see tests/fixtures/uk_ofsi/README.md."""

from __future__ import annotations

import gzip
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.parsers.uk_values import (
    business_identifiers,
    countries_in,
    other_information,
    partial_date,
    split_items,
)
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.model import Entity
from pressurepoint.sources import get_source
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared

CSV = FIXTURES / "uk_ofsi" / "ConList.csv"
XLSX = FIXTURES / "uk_ofsi" / "ConList.xlsx"


def props_of(store: Store, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.statements_for([entity_id]):
        found[row["prop"]].add(row["value"])
    return found


def parse(path: Path, fmt: str) -> tuple[ParseContext, dict[str, Entity]]:
    spec = get_source("uk_ofsi")
    ctx = ParseContext(source=spec, path=path)
    parser = next(f.parser for f in spec.formats if f.name == fmt)
    return ctx, {e.id: e for e in parser(ctx, path)}


# -- ConList.csv --------------------------------------------------------------------------
def test_csv_fixture_keeps_the_publishers_windows_1252() -> None:
    data = CSV.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert data.startswith(b"Last Updated,13/04/2018,")
    assert "‘Free Donbass".encode("cp1252") in data


def test_csv_fixture_loads_groups_as_targets(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("uk_ofsi", CSV))
    assert result.info is not None
    assert result.info.records == 8
    assert result.info.records_by_schema == {"Organization": 2, "Person": 6}
    assert result.info.published_at == "2018-04-13T00:00:00"
    assert result.info.format == "ofsi_csv"
    assert result.issues == []

    kovalchuk = props_of(store, "uk-ofsi-13075")  # Yuriy Kovalchuk, Bank Rossiya
    assert kovalchuk["name"] == {"Yuriy Valentinovich KOVALCHUK"}
    assert kovalchuk["birthDate"] == {"1951-07-25"}
    assert kovalchuk["position"] == {"Chairman of Bank Rossiya"}
    sanction = props_of(store, "uk-ofsi-13075-sanction-ukraine-sovereignty")
    assert sanction["program"] == {"Ukraine (Sovereignty)"}
    assert sanction["listingDate"] == {"2014-07-31"}
    assert sanction["recordId"] == {"13075"}
    assert sanction["status"] == {"active"}

    orlov = props_of(store, "uk-ofsi-13181")  # cp1252 quote decoded
    assert orlov["position"] == {"Chairman of the public movement ‘Free Donbass"}
    assert orlov["birthDate"] == {"1980-05-10", "1983-10-21"}
    assert orlov["alias"] == {"Yevhen Vyacheslavovych ORLOV"}


def test_csv_packed_values_partial_dates_and_free_text_ids(
    store: Store, store_settings: Settings
) -> None:
    load(store, store_settings, LoadRequest("uk_ofsi", CSV))
    qahtani = props_of(store, "uk-ofsi-13349")
    assert qahtani["birthDate"] == {"1980", "1981"}  # "00/00/1980", "00/00/1981"
    assert qahtani["nationality"] == {"sa", "qa"}  # "1) Saudi Arabia 2) Qatar"
    assert qahtani["passportNumber"] == {"592667"}
    sanction = props_of(store, "uk-ofsi-13349-sanction-the-isil-da-esh-and-al-qaida-organisations")
    assert sanction["unscId"] == {"QDe.004"}
    interavtomatika = props_of(store, "uk-ofsi-13526")
    assert interavtomatika["ogrnCode"] == {"1037739044111"}
    assert interavtomatika["innCode"] == {"7725056162"}


# -- ConList.xlsx -------------------------------------------------------------------------
def test_xlsx_fixture_loads_russian_targets_with_cyrillic(
    store: Store, store_settings: Settings
) -> None:
    result = load(store, store_settings, LoadRequest("uk_ofsi", XLSX))
    assert result.info is not None
    assert result.info.records_by_schema == {"Organization": 5, "Person": 5, "Vessel": 1}
    assert result.info.published_at == "2025-04-14T00:00:00"

    peskov = props_of(store, "uk-ofsi-15805")  # Dmitry Peskov
    assert peskov["name"] == {"Dmitry PESKOV", "Песков Дмитрий Николаевич"}
    assert peskov["alias"] == {"Dmitri PESKOV", "Dmitriy PESKOV"}
    assert peskov["birthDate"] == {"1975-12-26"}
    assert peskov["gender"] == {"male"}
    assert peskov["birthCountry"] == {"ru"}
    sanction = props_of(store, "uk-ofsi-15805-sanction-russia")
    assert sanction["program"] == {"Russia"}
    assert sanction["listingDate"] == {"2023-02-24"}
    assert sanction["startDate"] == {"2023-02-23"}
    assert sanction["modifiedAt"] == {"2023-03-21"}
    assert sanction["authorityId"] == {"15805", "RUS1770"}  # joins uk_fcdo's RUS1770
    assert sanction["sourceUrl"] == {"https://www.gov.uk/government/publications/"
                                     "financial-sanctions-consolidated-list-of-targets"}
    assert any("Aeroflot" in reason for reason in sanction["reason"])

    abramovich = props_of(store, "uk-ofsi-14212")
    assert "Роман Аркадьевич АБРАМОВИЧ" in abramovich["name"]
    assert abramovich["passportNumber"] == {"CB982788", "24132276"}
    assert abramovich["nationality"] == {"ru", "il", "pt"}


def test_xlsx_identifiers_from_other_information(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("uk_ofsi", XLSX))
    airline = props_of(store, "uk-ofsi-16429")  # "(Business Reg No):Russian TIN: 7718763393"
    assert airline["innCode"] == {"7718763393"}
    assert airline["phone"] == {"+79295818485"}
    salyut = props_of(store, "uk-ofsi-16767")  # "(1) OGRN – ... (2) INN – ... (3) KPP - ..."
    assert salyut["ogrnCode"] == {"1125261000040"}
    assert salyut["innCode"] == {"5261079332"}
    assert "KPP: 526101001" in salyut["notes"]
    assert salyut["legalForm"] == {"Joint-Stock Company"}
    assert "АКЦИОНЕРНОЕ ОБЩЕСТВО \"НАУЧНО-ПРОИЗВОДСТВЕННОЕ ПРЕДПРИЯТИЕ \"САЛЮТ\"" in salyut["alias"]
    ship = props_of(store, "uk-ofsi-13651")
    assert ship["imoNumber"] == {"IMO7408873"}
    assert ship["flag"] == {"kp"}
    assert ship["buildDate"] == {"1975"}


def test_xlsx_group_under_two_regimes_is_one_entity_with_two_sanctions(
    store: Store, store_settings: Settings
) -> None:
    load(store, store_settings, LoadRequest("uk_ofsi", XLSX))
    entity = props_of(store, "uk-ofsi-13919")  # Viktor Lukashenko
    assert "ЛУКАШЕНКО, Виктор Александрович" in entity["alias"]
    belarus = props_of(store, "uk-ofsi-13919-sanction-belarus")
    rights = props_of(store, "uk-ofsi-13919-sanction-global-human-rights")
    assert belarus["listingDate"] == {"2020-11-06"}
    assert rights["listingDate"] == {"2020-09-29"}
    assert belarus["authorityId"] == {"13919", "BEL0047", "GHR0051"}
    assert store.entities_referring_to(["uk-ofsi-13919"]) == sorted(
        ["uk-ofsi-13919-sanction-belarus", "uk-ofsi-13919-sanction-global-human-rights"])


def test_same_group_has_the_same_id_in_csv_and_xlsx() -> None:
    _, from_csv = parse(CSV, "ofsi_csv")
    _, from_xlsx = parse(XLSX, "ofsi_xlsx")
    assert "uk-ofsi-13075" in from_csv
    assert "uk-ofsi-13075" in from_xlsx
    assert "Юрий Валентинович Ковальчук" in from_xlsx["uk-ofsi-13075"].get("name")


def test_xlsx_bad_values_become_issues() -> None:
    ctx, _ = parse(XLSX, "ofsi_xlsx")
    codes = {(i.code, i.value) for i in ctx.issues}
    assert ("invalid_email", "S@synesis.y") in codes
    assert all(i.location and i.location.endswith("of sheet Data") for i in ctx.issues)


# -- bad input ----------------------------------------------------------------------------
def test_bad_date_of_birth_is_an_issue_and_the_run_goes_on(
    tmp_path: Path, store: Store, store_settings: Settings
) -> None:
    text = CSV.read_bytes().replace(b",21/09/1964,", b",31/02/1964,")
    path = tmp_path / "ConList.csv"
    path.write_bytes(text)
    result = load(store, store_settings, LoadRequest("uk_ofsi", path))
    assert result.info is not None and result.info.records == 8
    [issue] = result.issues
    assert issue.code == "invalid_date"
    assert issue.record_id == "uk-ofsi-12937"  # Vladislav Surkov
    assert issue.value == "31/02/1964"
    assert issue.location is not None and issue.location.startswith("line ")
    assert result.info.outcome == "ok_with_issues"


def test_truncated_csv_is_a_format_error(tmp_path: Path, store: Store,
                                         store_settings: Settings) -> None:
    data = CSV.read_bytes()
    path = tmp_path / "ConList.csv"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError, match="truncated"):
        load(store, store_settings, LoadRequest("uk_ofsi", path))
    assert store.runs("uk_ofsi") == []


def test_csv_without_group_id_column_names_it(tmp_path: Path, store: Store,
                                              store_settings: Settings) -> None:
    path = tmp_path / "ConList.csv"
    path.write_bytes(CSV.read_bytes().replace(b",Group ID\n", b",Group\n", 1))
    with pytest.raises(FormatError, match=r"line 2: header lacks required column\(s\) Group ID"):
        load(store, store_settings, LoadRequest("uk_ofsi", path))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Last Updated,13/04/2018\n".encode("utf-16"), "unreadable encoding"),
        (b"Last Updated,13/04/2018\nName 6,Group ID\n\x81\x8d,\x90\n", "unreadable encoding"),
        (b"just,some,other\ncsv,file,here\n1,2,3\n4,5,6\n7,8,9\n", "no header row"),
    ],
)
def test_unreadable_csv_is_a_format_error(tmp_path: Path, store: Store, store_settings: Settings,
                                          data: bytes, message: str) -> None:
    path = tmp_path / "ConList.csv"
    path.write_bytes(data)
    with pytest.raises(FormatError, match=message):
        load(store, store_settings, LoadRequest("uk_ofsi", path))


def test_truncated_xlsx_is_a_format_error(tmp_path: Path, store: Store,
                                          store_settings: Settings) -> None:
    data = XLSX.read_bytes()
    path = tmp_path / "ConList.xlsx"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(FormatError, match=r"ConList\.xlsx"):
        load(store, store_settings, LoadRequest("uk_ofsi", path))


def test_xlsx_with_changed_columns_is_a_format_error(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(XLSX)
    sheet = book.active
    assert sheet is not None
    for cell in sheet[2]:
        if cell.value == "Regime":
            cell.value = "Regime Name"
    path = tmp_path / "ConList.xlsx"
    book.save(path)
    with pytest.raises(FormatError, match=r"row 2: header lacks required column\(s\) Regime"):
        parse(path, "ofsi_xlsx")


# -- value helpers ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(1) Somalia (2) Kenya", ["Somalia", "Kenya"]),
        ("1) Saudi Arabia 2) Qatar", ["Saudi Arabia", "Qatar"]),
        ("(1)-(2) Indonesia", ["Indonesia"]),
        ("(1) 20645897 (2) -", ["20645897"]),
        ("Moscow", ["Moscow"]),
        ("", []),
    ],
)
def test_split_items(raw: str, expected: list[str]) -> None:
    assert split_items(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Former USSR, now Ukraine", ["Ukraine"]),
        ("Russia (former USSR)", ["Russia"]),
        ("Congo (Democratic Republic)", ["cd"]),
        ("(a) Jordanian (b) American", ["Jordanian", "American"]),
        ("Atlantis", ["Atlantis"]),
    ],
)
def test_countries_in(raw: str, expected: list[str]) -> None:
    assert countries_in(raw) == expected


def test_partial_dates() -> None:
    assert partial_date("00/00/1963") == "1963"
    assert partial_date("00/05/1970") == "05/1970"
    assert partial_date("dd/mm/1945") == "1945"
    assert partial_date("12/05/1958") == "12/05/1958"


def test_business_registration_numbers() -> None:
    found = business_identifiers("(1) Russia INN - 7805060301 (2) OKTMO – 08845300 "
                                 "(3) Russia OGRN - 1027802714444")
    assert [(i.prop, i.value) for i in found] == [
        ("innCode", "7805060301"), ("notes", "OKTMO: 08845300"), ("ogrnCode", "1027802714444")]
    pair = business_identifiers("(1) (УНН/ИНН): 190950894 (Belarus) (2) 7704734000/770301001")
    assert [(i.prop, i.value) for i in pair] == [
        ("taxNumber", "190950894"), ("innCode", "7704734000"), ("kppCode", "770301001")]


def test_other_information_labels() -> None:
    sections, free = other_information(
        "(UK Sanctions List Ref):RUS2102. Trust services. (Gender):Male (2022): not a label")
    assert sections == [("uk sanctions list ref", "RUS2102. Trust services."),
                        ("gender", "Male (2022): not a label")]
    assert free == []


# -- the full files -----------------------------------------------------------------------
SHARED = SHARED_DATA / "sanctions" / "uk_ofsi"


@needs_shared
@pytest.mark.parametrize(
    ("folder", "name", "by_schema", "russia"),
    [
        ("2018-04-13", "ConList.csv.gz", {"Person": 1426, "Organization": 680}, 0),
        ("2023-06-05", "ConList.xlsx.gz", {"Person": 3231, "Organization": 747, "Vessel": 15},
         1829),
        ("2025-04-10", "ConList.xlsx.gz", {"Person": 3662, "Organization": 1009, "Vessel": 15},
         2181),
        ("2025-04-14", "ConList.xlsx.gz", {"Person": 3663, "Organization": 1010, "Vessel": 15},
         2181),
    ],
)
def test_full_files_match_the_manifest(tmp_path: Path, folder: str, name: str,
                                       by_schema: dict[str, int], russia: int) -> None:
    path = SHARED / folder / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    ctx, entities = parse(path, "ofsi_csv" if ".csv" in name else "ofsi_xlsx")
    counts: dict[str, int] = defaultdict(int)
    for entity in entities.values():
        counts[entity.schema] += 1
    assert {k: v for k, v in counts.items() if k != "Sanction"} == by_schema
    programs = [e.first("program") for e in entities.values() if e.schema == "Sanction"]
    assert programs.count("Russia") == russia
    assert ctx.published_at == f"{folder}T00:00:00"
    assert not [i for i in ctx.issues if i.code == "invalid_date"]


@needs_shared
def test_full_xlsx_loads_into_the_store(tmp_path: Path, store: Store,
                                        store_settings: Settings) -> None:
    source = SHARED / "2025-04-14" / "ConList.xlsx.gz"
    path = tmp_path / "ConList.xlsx"
    with gzip.open(source) as raw, path.open("wb") as out:
        shutil.copyfileobj(raw, out)
    result = load(store, store_settings, LoadRequest("uk_ofsi", path, strict=True))
    assert result.info is not None
    assert result.info.records == 4688
    assert props_of(store, "uk-ofsi-15805")["birthDate"] == {"1975-12-26"}
