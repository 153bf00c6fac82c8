"""Australia DFAT regulation8_consolidated.xlsx, on a fixture of 59 real rows (13 records):
Taliban, ISIL and DRC listings, and Russia / Ukraine autonomous listings, with the file's own
spelling variants of Name Type and a stray alias row (2940j) away from its record."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.parsers import au_dfat
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.model import Entity
from pressurepoint.sources import get_source
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared

FILE = FIXTURES / "au_dfat" / "regulation8_consolidated.xlsx"
FULL = SHARED_DATA / "sanctions" / "au_dfat" / "2024-11-11" / "regulation8_consolidated.xlsx"


def _parse(path: Path) -> tuple[dict[str, Entity], ParseContext]:
    ctx = ParseContext(source=get_source("au_dfat"), path=path)
    entities: dict[str, Entity] = {}
    for entity in au_dfat.parse(ctx, path):
        known = entities.setdefault(entity.id, entity)
        if known is not entity:
            for prop, value in entity.values():
                known.put(prop, value)
    return entities, ctx


def _sanction_of(entities: dict[str, Entity], target: str) -> Entity:
    return next(e for e in entities.values()
                if e.schema == "Sanction" and e.first("entity") == target)


def test_fixture_loads_records_by_schema(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("au_dfat", FILE))
    assert result.info is not None
    assert result.info.records == 13
    assert result.info.records_by_schema == {"Organization": 6, "Person": 7}
    assert result.info.published_at == "2024-11-11T01:01:21"
    assert "dcterms:modified" in result.info.published_basis
    assert result.issues == []
    rows = store.statements_for(["au-dfat-1241"])  # Doku Umarov, with his Cyrillic name
    names = {r["value"] for r in rows if r["prop"] == "name"}
    assert names == {"DOKU KHAMATOVICH UMAROV", "Умаров Доку Хаматович"}


def test_person_names_dates_and_designation() -> None:
    entities, _ = _parse(FILE)
    umarov = entities["au-dfat-1241"]
    assert umarov.schema == "Person"
    assert set(umarov.get("alias")) == {"Lom-ali Butayev (Butaev)", "Dokka Umarov"}
    assert set(umarov.get("birthDate")) == {"1964-04-13", "1965-04-13", "1964-05-12", "1955"}
    assert umarov.get("passportNumber") == ["96 03 464086"]
    assert "ru" in umarov.get("citizenship")
    abramovich = entities["au-dfat-6754"]
    assert abramovich.get("name") == ["Roman Arkadyevich ABRAMOVICH"]
    assert abramovich.get("birthDate") == ["1966-10-24"]
    assert abramovich.get("birthPlace") == ["Saratov, Russia"]
    sanction = _sanction_of(entities, "au-dfat-6754")
    assert sanction.get("program") == ["Autonomous (Russia)"]
    assert sanction.get("recordId") == ["6754"]
    assert sanction.get("modifiedAt") == ["2022-03-14"]
    assert entities["au-dfat-6743"].get("birthDate") == ["1985"]  # a year number, not a serial
    akhund = entities["au-dfat-2"]
    assert set(akhund.get("birthDate")) == {"1955", "1958", "1945", "1950"}
    assert "محمد حسن أخوند" in akhund.get("name")
    taliban = _sanction_of(entities, "au-dfat-2")
    assert taliban.get("program") == ["1988 (Taliban)"]
    assert taliban.get("listingDate") == ["2001-01-25"]
    assert entities["au-dfat-6264"].get("name") == ["Mohammad Ali Al Habbo"]  # "primary name"
    assert set(entities["au-dfat-6264"].get("birthDate")) == {"1983-10-01", "1983-10-15",
                                                                "1980-01-01"}


def test_entity_identifiers_aliases_and_stray_row() -> None:
    entities, _ = _parse(FILE)
    smp = entities["au-dfat-2882"]
    assert smp.schema == "Organization"
    assert smp.get("ogrnCode") == ["1097711000078"]
    assert smp.get("innCode") == ["7750005482"]
    assert set(smp.get("swiftBic")) == {"SMBKRUMM", "SMBKRUMMXXX"}
    assert _sanction_of(entities, "au-dfat-2882").get("listingDate") == ["2017-06-16"]
    chernomor = entities["au-dfat-2940"]
    assert "Chernomorneftegaz CJSC" in chernomor.get("alias")  # row 2940j, far below
    assert len(chernomor.get("address")) == 2
    assert chernomor.get("ogrnCode") == ["1149102099717"]
    assert "АО ММЗ" in entities["au-dfat-7596"].get("alias")
    assert entities["au-dfat-7596"].get("ogrnCode") == ["1021200757808"]
    assert entities["au-dfat-7453"].get("name") == ["Makeyev Rocket Design Bureau"]
    assert "NALU" in entities["au-dfat-2943"].get("previousName")
    assert _sanction_of(entities, "au-dfat-2966").get("program") == ["Autonomous (Ukraine)"]


def _edited_copy(tmp_path: Path, edit: dict[tuple[int, int], object]) -> Path:
    workbook = load_workbook(FILE)
    sheet = workbook.active
    assert sheet is not None
    for (row, column), value in edit.items():
        sheet.cell(row, column).value = value
    folder = tmp_path / "edited"
    folder.mkdir()
    path = folder / FILE.name
    workbook.save(path)
    return path


def test_bad_birth_date_is_an_issue_and_the_run_goes_on(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    # Row 45 is 6743 CHEMEZOV; column 5 is Date of Birth.
    path = _edited_copy(tmp_path, {(45, 5): "31/02/1985"})
    result = load(store, store_settings, LoadRequest("au_dfat", path))
    assert result.info is not None and result.info.records == 13
    found = [(i.code, i.record_id, i.value, i.location) for i in result.issues]
    assert found == [("invalid_date", "au-dfat-6743", "31/02/1985", "row 45 of sheet Sheet1")]


def test_renamed_and_missing_columns_are_a_format_error(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, {(1, 4): "Alias Type", (1, 11): None})
    with pytest.raises(FormatError) as raised:
        _parse(path)
    message = str(raised.value)
    assert "'Name Type'" in message and "'Committees'" in message and "\n" not in message


def test_sheet_without_header_is_a_format_error(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, {(1, c): f"Column {c}" for c in range(1, 13)})
    with pytest.raises(FormatError, match="no header row with 'Reference'"):
        _parse(path)


def test_truncated_workbook_is_a_format_error(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    data = FILE.read_bytes()
    path = tmp_path / FILE.name
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(FormatError) as raised:
        load(store, store_settings, LoadRequest("au_dfat", path))
    message = str(raised.value)
    assert message.startswith("au_dfat: regulation8_consolidated.xlsx: ")
    assert "not a readable XLSX workbook" in message
    assert store.runs("au_dfat") == []


def test_free_text_birth_dates() -> None:
    dates = au_dfat.free_text_dates
    assert dates("Between 1963 and 1968") == ["1963", "1968"]
    assert dates("a) 1/01/1968 b) 23-Apr-68") == ["1968-01-01", "1968-04-23"]
    assert dates("1965, 29 March ") == ["1965-03-29"]
    assert dates("August, 1961") == ["1961-08"]
    assert dates("a) 19 Apr. 1982 b) 24/06/1402 (Hijri Calendar)") == ["1982-04-19"]
    assert dates("8 Aug. 1980, (appears in false passport number S335026)") == ["1980-08-08"]
    assert dates(datetime.datetime(1970, 2, 1)) == ["1970-02-01"]
    assert dates(1966) == ["1966"]
    assert dates("10/061962") is None
    assert dates("Approximately (30-35 years old)") is None


def test_gzipped_copy_reads_the_same(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / (FILE.name + ".gz")
    with FILE.open("rb") as src, gzip.open(path, "wb") as dst:
        shutil.copyfileobj(src, dst)
    plain, _ = _parse(FILE)
    zipped, ctx = _parse(path)
    assert {e.id for e in zipped.values()} == set(plain)
    assert ctx.published_at == "2024-11-11T01:01:21"


@needs_shared
def test_full_file_counts_match_manifest() -> None:
    workbook = load_workbook(FULL, read_only=True)
    rows = [r for r in workbook.worksheets[0].iter_rows(min_row=2, max_col=12,
                                                         values_only=True) if r[0] is not None]
    workbook.close()
    assert len(rows) == 9553  # MANIFEST: name rows
    assert sum(1 for r in rows if r[3] == "Primary Name") == 2925  # MANIFEST, exact spelling
    entities, ctx = _parse(FULL)
    targets = [e for e in entities.values() if e.is_target]
    # With its variants ("Primary Name ", "Primary name", "primary Name", "primary name")
    # there are 3062 primary-name rows, one per Reference number, hence 3062 records.
    assert len(targets) == 3062
    assert {e.schema for e in targets} == {"Person", "Organization"}
    programs: dict[str, int] = {}
    for sanction in (e for e in entities.values() if e.schema == "Sanction"):
        for program in sanction.get("program"):
            programs[program] = programs.get(program, 0) + 1
    # 576 / 825 exact-spelling primary rows; with spelling variants 647 and 841.
    assert programs["Autonomous (Russia)"] == 647
    assert programs["Autonomous (Ukraine)"] == 841
    assert ctx.published_at == "2024-11-11T01:01:21"
    assert len(ctx.issues) < 20
