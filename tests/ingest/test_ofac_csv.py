"""OFAC legacy CSV set on a fixture of real SDN records (sdn.csv + add.csv + alt.csv +
sdn_comments.csv of 2021-07-07): Deripaska and companies linked to him, Rotenberg, a vessel,
an aircraft, cyber-actors with wallets whose remarks continue in sdn_comments.csv, Russian
companies with INN / OKPO / OGRN."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.parsers import ofac_csv
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.model import Entity
from pressurepoint.sources import get_source
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared

FOLDER = FIXTURES / "ofac_sdn"
MAIN = FOLDER / "sdn.csv"
COMPANIONS = [FOLDER / "add.csv", FOLDER / "alt.csv", FOLDER / "sdn_comments.csv"]


def _values(store: Store, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for row in store.statements_for([entity_id]):
        found.setdefault(row["prop"], set()).add(row["value"])
    return found


def parse_set(source: str, main: Path, companions: list[Path]) -> tuple[list[Entity],
                                                                       ParseContext]:
    """Parse a CSV set without the store (for counts over the full files)."""
    spec = get_source(source)
    ctx = ParseContext(source=spec, path=main,
                       companions={p.name.removesuffix(".gz").lower(): p for p in companions})
    return list(ofac_csv.parse(ctx, main)), ctx


def test_sdn_csv_set_loads_records_links_and_designations(
    store: Store, store_settings: Settings
) -> None:
    result = load(store, store_settings, LoadRequest(
        "ofac_sdn", MAIN, companions=COMPANIONS, published="2021-07-07"))
    info = result.info
    assert info is not None
    assert info.records_by_schema == {"Airplane": 1, "Organization": 4, "Person": 5,
                                      "Vessel": 1}
    assert info.published_at == "2021-07-07T00:00:00"
    assert info.published_basis == "given by the caller"
    assert result.issues == []

    deripaska = _values(store, "ofac-sdn-24283")
    assert deripaska["name"] == {"DERIPASKA, Oleg Vladimirovich"}
    assert deripaska["lastName"] == {"DERIPASKA"}
    assert deripaska["firstName"] == {"Oleg Vladimirovich"}
    assert deripaska["birthDate"] == {"1968-01-02"}
    assert deripaska["birthPlace"] == {"Dzerzhinsk, Nizhny Novgorod Region, Russia"}
    assert deripaska["citizenship"] == {"ru", "cy"}
    assert deripaska["gender"] == {"male"}
    assert "5, Belgrave Square, Belgravia, London SW1X 8PH, United Kingdom" in \
        deripaska["address"]
    sanction = _values(store, "ofac-sdn-24283-sanction-ofac")
    assert sanction["program"] == {"UKRAINE-EO13661", "UKRAINE-EO13662"}
    assert sanction["recordId"] == {"24283"}
    assert sanction["status"] == {"active"}
    assert sanction["sourceUrl"] == {"https://sanctionssearch.ofac.treas.gov/Details.aspx?id=24283"}

    link = _values(store, "ofac-sdn-24223-unknownlink-24283")  # B-FINANCE LTD -> Deripaska
    assert link["subject"] == {"ofac-sdn-24223"} and link["object"] == {"ofac-sdn-24283"}
    assert link["role"] == {"Linked To"}


def test_identifiers_vessels_aircraft_and_aliases(store: Store,
                                                  store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("ofac_sdn", MAIN, companions=COMPANIONS,
                                            published="2021-07-07"))
    company = _values(store, "ofac-sdn-20290")  # LLC KOKSOKHIMTRANS
    assert company["innCode"] == {"7707294809"}
    assert company["okpoCode"] == {"57067113"}
    assert company["ogrnCode"] == {"1037739709138"}
    assert company["alias"] == {"KOKSOKHIMTRANS LTD.", "KOKSOKHIMTRANS OOO"}
    assert company["country"] == {"ru"}
    vessel = _values(store, "ofac-sdn-30823")  # FORTUNA
    assert vessel["imoNumber"] == {"IMO8674156"}
    assert vessel["callSign"] == {"UBDP8"} and vessel["flag"] == {"ru"}
    plane = _values(store, "ofac-sdn-27197")  # RA-02791
    assert plane["buildDate"] == {"2000-12-01"}
    assert plane["model"] == {"Hawker 800XP"}
    assert plane["serialNumber"] == {"258512"}
    assert plane["previousName"] == {"M-VITO"}
    assert "Aircraft Operator Beratex Group Limited" in plane["notes"]


def test_remarks_continue_in_the_comments_file(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("ofac_sdn", MAIN, companions=COMPANIONS,
                                            published="2021-07-07"))
    andreyev = _values(store, "ofac-sdn-29703")
    assert andreyev["passportNumber"] == {"4005504207"}  # only in sdn_comments.csv
    assert andreyev["phone"] == {"+79315403678"}
    tian = _values(store, "ofac-sdn-28263")
    assert "snowsjohn" in tian["weakAlias"]  # "a.k.a. 'snowsjo" + "hn'"
    wallets = [e for e in parse_set("ofac_sdn", MAIN, COMPANIONS)[0]
               if e.schema == "CryptoWallet" and e.first("holder") == "ofac-sdn-29703"]
    assert {w.first("currencySymbol") for w in wallets} == {"XBT", "ETH", "LTC", "ZEC", "BSV"}


def test_without_companions_cut_remarks_lose_only_their_last_item(tmp_path: Path) -> None:
    main = tmp_path / "sdn.csv"
    shutil.copy(MAIN, main)
    entities, ctx = parse_set("ofac_sdn", main, [])
    codes = Counter(i.code for i in ctx.issues)
    assert codes == {"missing_companion": 3, "remarks_cut": 2}
    cut = {i.record_id: i.value for i in ctx.issues if i.code == "remarks_cut"}
    assert cut["ofac-sdn-28263"] == "a.k.a. 'snowsjo"
    tian = next(e for e in entities if e.id == "ofac-sdn-28263")
    assert "snowsjo" not in tian.get("weakAlias")


def _write_variant(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "variant"
    folder.mkdir()
    for companion in COMPANIONS:
        shutil.copy(companion, folder / companion.name)
    path = folder / "sdn.csv"
    path.write_bytes(text.encode("ascii"))
    return path


def test_bad_rows_are_issues_and_the_run_goes_on(store: Store, store_settings: Settings,
                                                 tmp_path: Path) -> None:
    text = MAIN.read_bytes().decode("ascii")
    text = text.replace("DOB 02 Jan 1968", "DOB 31 Feb 1968")
    text = text.replace('16669,"ROTENBERG, Arkady","individual",', '16669,"ROTENBERG, Arkady",')
    path = _write_variant(tmp_path, text)
    result = load(store, store_settings, LoadRequest(
        "ofac_sdn", path, companions=[path.parent / c.name for c in COMPANIONS],
        published="2021-07-07"))
    assert result.info is not None and result.info.records == 10
    issues = {(i.code, i.record_id) for i in result.issues}
    assert ("invalid_date", "ofac-sdn-24283") in issues
    assert ("bad_row", "ofac-sdn-16669") in issues
    assert ("orphan_row", "ofac-sdn-16669") in issues  # its address row has no record now
    bad_row = next(i for i in result.issues if i.code == "bad_row")
    assert bad_row.location == "line 1"


@pytest.mark.parametrize(
    ("case", "expect"),
    [
        ("truncated", "truncated"),
        ("companion_file", "expected 12"),
        ("columns_changed", "expected 12"),
    ],
)
def test_unreadable_csv_is_a_format_error(case: str, expect: str, store: Store,
                                          store_settings: Settings, tmp_path: Path) -> None:
    text = MAIN.read_bytes().decode("ascii")
    if case == "truncated":
        text = text[: len(text) // 2]
    elif case == "companion_file":
        text = (FOLDER / "add.csv").read_text(encoding="ascii")
    else:  # a column added to every row
        text = text.replace("\r\n", ",-0- \r\n")
    path = _write_variant(tmp_path, text)
    with pytest.raises(FormatError) as raised:
        load(store, store_settings, LoadRequest("ofac_sdn", path, published="2021-07-07"))
    message = str(raised.value)
    assert message.startswith("ofac_sdn: sdn.csv: ") and expect in message
    assert "\n" not in message
    assert store.runs("ofac_sdn") == []


def test_truncated_companion_is_a_format_error_naming_it(store: Store,
                                                         store_settings: Settings,
                                                         tmp_path: Path) -> None:
    path = _write_variant(tmp_path, MAIN.read_bytes().decode("ascii"))
    alt = path.parent / "alt.csv"
    alt.write_bytes(alt.read_bytes()[:-20])
    with pytest.raises(FormatError, match=r"alt\.csv: truncated"):
        load(store, store_settings, LoadRequest("ofac_sdn", path, companions=[alt],
                                                published="2021-07-07"))


@needs_shared
@pytest.mark.parametrize(
    ("folder", "companions", "expected"),
    [
        ("2024-05-03", False, {"Person": 6854, "entity": 6884, "Vessel": 851, "Airplane": 376}),
        ("2021-07-07", True, {"Person": 4620, "entity": 3673, "Vessel": 406, "Airplane": 277}),
    ],
)
def test_full_sdn_csv_counts_match_the_manifest(folder: str, companions: bool,
                                                expected: dict[str, int]) -> None:
    base = SHARED_DATA / "sanctions" / "ofac_sdn" / folder
    extra = [base / n for n in ("add.csv", "alt.csv", "sdn_comments.csv")] if companions else []
    entities, ctx = parse_set("ofac_sdn", base / "sdn.csv.gz", extra)
    counts = Counter(e.schema for e in entities if e.is_target)
    counts["entity"] = counts.pop("Organization", 0) + counts.pop("Company", 0)
    assert dict(counts) == expected
    sanctions = [e for e in entities if e.schema == "Sanction"]
    assert len(sanctions) == sum(expected.values())
    assert not [i for i in ctx.issues if i.code in ("bad_row", "orphan_row")]
