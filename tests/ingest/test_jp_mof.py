"""Japan MOF asset-freeze list (shisantouketsu20260305.xlsx), on a fixture of real rows from
13 of the workbook's sheets with their title and header rows as published: Russia
(individuals, entities, specified banks), Crimea, Taliban, Iraq, Somalia (a record spread over
many rows), North Korea, South Sudan, Milosevic, and an abolished regime (【解除】リベリア)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.context import ParseContext
from pressurepoint.ingest.parsers import jp_mof
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.model import Entity
from pressurepoint.sources import get_source
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared

pytestmark = pytest.mark.filterwarnings("ignore:Print area cannot be set")

NAME = "shisantouketsu20260305.xlsx"
FILE = FIXTURES / "jp_mof" / NAME
FULL = SHARED_DATA / "sanctions" / "jp_mof" / "2026-03-05" / NAME


def _parse(path: Path) -> tuple[dict[str, Entity], ParseContext]:
    ctx = ParseContext(source=get_source("jp_mof"), path=path)
    entities: dict[str, Entity] = {}
    for entity in jp_mof.parse(ctx, path):
        assert entity.id not in entities, entity.id
        entities[entity.id] = entity
    return entities, ctx


def _langs(entity: Entity, prop: str) -> dict[str, str | None]:
    return {v.value: v.lang for v in entity.props.get(prop, [])}


def test_fixture_loads_records_by_schema(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("jp_mof", FILE))
    assert result.info is not None
    assert result.info.records_by_schema == {"Company": 3, "LegalEntity": 2, "Organization": 7,
                                             "Person": 14}
    assert result.info.published_at == "2026-03-05T00:00:00"
    assert result.info.published_basis == f"file name ({NAME})"
    assert result.issues == []
    rows = store.statements_for(["jp-mof-29-1"])
    names = {(r["value"], r["lang"]) for r in rows if r["prop"] == "name"}
    assert names == {("ウラジーミル・プーチン", "jpn"), ("Vladimir Putin", None)}
    deleted = {r["prop"]: r["value"] for r in store.statements_for(["jp-mof-29-38-sanction-jp"])}
    assert deleted["endDate"] == "2025-01-10"
    assert deleted["status"] == "lifted"


def test_russia_people_entities_and_banks() -> None:
    entities, _ = _parse(FILE)
    putin = entities["jp-mof-29-1"]
    assert putin.schema == "Person"
    assert putin.get("birthDate") == ["1952-10-07"]
    assert _langs(putin, "position") == {"ロシア連邦大統領": "jpn",
                                         "President of the Russian Federation": None}
    sanction = entities["jp-mof-29-1-sanction-jp"]
    assert sanction.get("program") == ["ロシア連邦(個人)"]
    assert sanction.get("listingDate") == ["2022-03-01"]
    assert sanction.get("recordId") == ["29-1"]
    kadyrova = entities["jp-mof-29-758"]
    assert set(kadyrova.get("alias")) == {"Aimana Kadyrova", "Aimani Kadyrova"}
    assert entities["jp-mof-29-38"].get("name") == []  # deleted: number kept, name blanked
    assert entities["jp-mof-29-38-sanction-jp"].get("endDate") == ["2025-01-10"]
    wagner = entities["jp-mof-28-3"]
    assert wagner.schema == "Organization"
    assert "Private Military Company (PMC) Wagner" in wagner.get("name")
    assert entities["jp-mof-30-1"].schema == "Company"  # 特定銀行: Bank Rossiya
    assert entities["jp-mof-30-1"].get("address") == [
        "2 Rastrelli Square, Liter A, St. Petersburg, 191124, Russian Federation"]
    aksyonov = entities["jp-mof-26-2"]
    assert "Sergey(Sergei) AKSYONOV(AKSENOV)" in aksyonov.get("name")
    assert "Sergey AKSYONOV" in aksyonov.get("alias")
    assert entities["jp-mof-26-1"].get("birthDate") == ["1950-07-09"]  # an Excel serial
    crimea = entities["jp-mof-27-17"]
    assert "Crimea Patriot Centre" in crimea.get("alias")
    assert "クリミア愛国者センター" in crimea.get("alias")


def test_other_regimes_and_layouts() -> None:
    entities, _ = _parse(FILE)
    milosevic = entities["jp-mof-1-1"]
    assert milosevic.get("birthDate") == ["1941-08-20"]
    assert _langs(milosevic, "birthPlace") == {"セルビア共和国ポジャレヴァッツ": "jpn",
                                               "Pozarevac, Republic of Serbia": None}
    bashar = entities["jp-mof-5-88"]
    assert "بشار سبعاوي إبراهيم حسن التكريتي" in bashar.get("name")  # original script
    assert entities["jp-mof-5-88-sanction-jp"].get("unscId") == ["IQi.085"]
    ftb = entities["jp-mof-16-1"]
    assert ftb.get("swiftBic") == ["FTBDKPPY"]
    assert entities["jp-mof-16-1-sanction-jp"].get("authorityId") == ["1(#47)"]
    shabaab = entities["jp-mof-21-1"]
    assert shabaab.schema == "LegalEntity"  # a sheet of persons and entities
    assert len(shabaab.get("notes")) == 13  # its remarks run over 13 rows
    assert entities["jp-mof-21-2"].schema == "Person"
    malong = entities["jp-mof-40-8"]
    assert "DA025963" in malong.get("passportNumber")
    assert {"Paul Malong", "ポール・マロン"} <= set(malong.get("alias"))
    assert set(malong.get("nationality")) == {"ss", "ug"}
    akhund = entities["jp-mof-2-2"]
    assert set(akhund.get("birthDate")) == {"1955", "1958", "1945", "1950"}
    assert not any(e.id.startswith("jp-mof-8-") for e in entities.values())  # 【解除】


def test_japanese_dates() -> None:
    dates = jp_mof.japanese_dates
    assert dates("1963年頃") == ["1963"]
    assert dates("(a)1976年10月5\n日 (b)1976年10月1日") == ["1976-10-05", "1976-10-01"]
    assert dates("1991年7月14日又は6月14日") == ["1991-07-14", "1991-06-14"]
    assert dates("昭和45年1月1日") == ["1970-01-01"]
    assert dates("1966/2/2") == ["1966-02-02"]
    assert dates("1970-1973年頃") == ["1973", "1970"]
    assert dates("(a)1982年4月19日\n(b)1402年6月24日（ヒジュラ暦）") == ["1982-04-19"]
    assert dates(33616) == ["1992-01-13"]
    assert dates("10月10日（year unknown）") is None


def _edited_copy(tmp_path: Path, sheet: str, edit: dict[tuple[int, int], object]) -> Path:
    workbook = load_workbook(FILE)
    worksheet = workbook[sheet]
    for (row, column), value in edit.items():
        worksheet.cell(row, column).value = value
    folder = tmp_path / "edited"
    folder.mkdir()
    path = folder / NAME
    workbook.save(path)
    return path


def test_bad_birth_date_is_an_issue_and_the_run_goes_on(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    path = _edited_copy(tmp_path, "29.ロシア連邦(個人)", {(3, 7): "1952年13月7日"})
    result = load(store, store_settings, LoadRequest("jp_mof", path))
    assert result.info is not None and result.info.records == 26
    found = [(i.code, i.record_id, i.value, i.location) for i in result.issues]
    assert found == [("invalid_date", "jp-mof-29-1", "1952年13月7日",
                      "row 3 of sheet 29.ロシア連邦(個人)")]


def test_renamed_column_is_a_format_error(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, "29.ロシア連邦(個人)", {(2, 3): "和文表記"})
    with pytest.raises(FormatError) as raised:
        _parse(path)
    message = str(raised.value)
    assert "29.ロシア連邦(個人)" in message and "日本語表記" in message
    assert "\n" not in message


def test_sheet_without_header_is_a_format_error(tmp_path: Path) -> None:
    path = _edited_copy(tmp_path, "28.ロシア連邦(団体(特定銀行を除く))",
                        {(2, 1): "日付", (2, 2): "番号"})
    with pytest.raises(FormatError, match="no header row with 告示日付 and 告示番号"):
        _parse(path)


def test_truncated_workbook_is_a_format_error(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    data = FILE.read_bytes()
    path = tmp_path / NAME
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(FormatError) as raised:
        load(store, store_settings, LoadRequest("jp_mof", path))
    assert str(raised.value).startswith(f"jp_mof: {NAME}: not a readable XLSX workbook")
    assert store.runs("jp_mof") == []


def test_publication_date_falls_back_to_workbook_properties(tmp_path: Path) -> None:
    path = tmp_path / "shisantouketsu.xlsx"
    path.write_bytes(FILE.read_bytes())
    _, ctx = _parse(path)
    assert ctx.published_at == "2026-03-02T22:58:24"


@needs_shared
def test_full_file_counts_match_manifest() -> None:
    entities, ctx = _parse(FULL)
    counts: dict[tuple[str, str], int] = {}
    for entity in (e for e in entities.values() if e.is_target):
        key = (entity.id.removeprefix("jp-mof-").split("-")[0], entity.schema)
        counts[key] = counts.get(key, 0) + 1
    # MANIFEST: Russia 369 entities, 759 individuals, 16 specified banks; Crimea and the
    # occupied regions 336 individuals, 18 entities (rows, deleted designations included).
    assert counts[("28", "Organization")] == 369
    assert counts[("29", "Person")] == 759
    assert counts[("30", "Company")] == 16
    assert counts[("26", "Person")] == 336
    assert counts[("27", "Organization")] == 18
    # 3,473 non-empty rows below the 41 header rows: 3,461 designations and 12 rows that
    # continue a Somalia record (MANIFEST: "about 3,479").
    assert sum(counts.values()) == 3461
    assert len({key[0] for key in counts}) == 41  # 44 regime sheets, 3 of them abolished
    assert ctx.published_at == "2026-03-05T00:00:00"
    assert len(ctx.issues) < 40
