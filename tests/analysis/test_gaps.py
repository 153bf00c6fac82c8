"""The gap matrix and the timeline on real fixture records of nine publishers: who lists
Lavrov, a de-listed target shown as lifted, two regimes of one authority counted once, a
record gone from a newer file shown as lifted, and the regime families."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pressurepoint.analysis.designations import Designations, load_designations
from pressurepoint.analysis.gaps import Query, Row, matrix
from pressurepoint.analysis.regimes import BELARUS, RUSSIA, families, matches
from pressurepoint.analysis.timeline import timeline
from pressurepoint.config import Settings
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.outputs.cli.main import cli
from pressurepoint.resolve.matcher import default_matcher
from pressurepoint.resolve.pipeline import resolve
from pressurepoint.store import Store
from tests.conftest import FIXTURES
from tests.fixture_store import fixture_settings, load_fixtures

OFAC = FIXTURES / "ofac_sdn"
AS_OF = date(2026, 9, 30)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Store]]:
    folder = tmp_path_factory.mktemp("gaps")
    settings = fixture_settings(folder)
    store = Store(settings.db_url)
    load_fixtures(store, settings)
    yield settings, store
    store.close()


@pytest.fixture(scope="module")
def data(loaded: tuple[Settings, Store]) -> Designations:
    return load_designations(loaded[1])


def _row(rows: list[Row], needle: str) -> Row:
    found = [r for r in rows if any(needle in n.lower() for n in r.target.names)]
    assert len(found) == 1, [r.target.names for r in found]
    return found[0]


def test_lavrov_listed_by_canada_switzerland_japan_not_by_us(data: Designations) -> None:
    rows = matrix(data, Query(include_all=True))
    lavrov = _row(rows, "lavrov")
    assert set(lavrov.target.members) >= {"ca-sema-russia-1-part-1-505", "ch-seco-72081"}
    assert lavrov.listed_by == ["CA", "CH", "JP"]
    assert "US" in lavrov.gaps and "UK" in lavrov.gaps
    assert lavrov.cells["US"].status == "not_listed"
    assert lavrov.cells["CA"].since == "2022-02-28"
    assert lavrov.cells["CA"].regimes == ["Russia / Russie"]
    assert lavrov.target.schema == "Person" and lavrov.target.birth_dates == ["1950-03-21", "1950"]
    assert "Сергей Викторович Лавров" in lavrov.target.names
    assert lavrov.gap_age(AS_OF) == (AS_OF - date(2022, 2, 28)).days
    source = lavrov.to_json(AS_OF)["jurisdictions"]["CH"]["sources"][0]
    assert source["source"] == "ch_seco" and source["record_id"] == "72081"
    # filters: listed by CA and CH, not by the US; --regime russia drops the UN column
    only = matrix(data, Query(regimes=["russia"], listed_by=["CA", "CH"],
                              not_listed_by=["US"]))
    assert any(r.target.id == lavrov.target.id for r in only)
    assert "UN" not in only[0].cells
    assert not matrix(data, Query(listed_by=["US"], not_listed_by=["US"]))


def test_delisted_target_is_lifted_with_its_end_date(data: Designations) -> None:
    pushkov = _row(matrix(data, Query(include_all=True)), "pushkov")
    cell = pushkov.cells["CH"]
    assert cell.status == "lifted" and cell.until == "2022-09-27"
    assert "de-listed" in cell.designations[0].rule
    assert pushkov.listed_by == [] and pushkov.gaps == []  # nobody lists him: no gap
    assert all(r.target.id != pushkov.target.id for r in matrix(data))


def test_two_regimes_of_one_authority_count_once(data: Designations) -> None:
    karayev = _row(matrix(data, Query(include_all=True)), "karayev")
    cell = karayev.cells["UK"]
    assert cell.status == "listed" and len(cell.designations) == 2
    assert len(cell.regimes) == 2 and karayev.listed_by == ["UK"]
    assert any("Belarus" in r for r in cell.regimes)
    belarus = _row(matrix(data, Query(regimes=[BELARUS], include_all=True)), "karayev")
    assert len(belarus.cells["UK"].designations) == 1
    line = timeline(data)
    assert sum(n for combo, n in line.overlap.items() if combo == ("UK",)) >= 1
    total_uk = sum(n for combo, n in line.overlap.items() if "UK" in combo)
    uk_entities = {d.canonical for d in data.items
                   if d.jurisdiction == "UK" and d.status == "listed"}
    assert total_uk == len(uk_entities)


def test_record_gone_from_newer_file_is_lifted(tmp_path: Path, store: Store,
                                               store_settings: Settings) -> None:
    original = FIXTURES / "ca_sema" / "sema-lmes.xml"
    text = original.read_text(encoding="utf-8")
    start = text.index("<LastName>LAVROV</LastName>")
    begin, end = text.rindex("<record>", 0, start), text.index("</record>", start)
    newer = tmp_path / "sema-lmes.xml"
    newer.write_text(text[:begin] + text[end + len("</record>"):], encoding="utf-8")
    load(store, store_settings, LoadRequest("ca_sema", original, published="2025-09-01"))
    load(store, store_settings, LoadRequest("ca_sema", newer, published="2025-10-01"))
    resolve(store, default_matcher())
    rows = matrix(load_designations(store), Query(include_all=True))
    cell = _row(rows, "lavrov").cells["CA"]
    assert cell.status == "lifted" and cell.until == "2025-09-01"
    assert "absent from the newest file" in cell.designations[0].rule
    assert _row(rows, "karazei").cells["CA"].status == "listed"


def test_regime_families() -> None:
    assert families("RUSSIA-EO14024") == {RUSSIA}
    assert families("UKRAINE-EO13662") == {RUSSIA}
    assert families("CAATSA - RUSSIA") == {RUSSIA}
    assert families("Autonomous (Ukraine)") == {RUSSIA}
    assert families("ロシア連邦(個人)") == {RUSSIA}
    assert families("クリミア等（個人）") == {RUSSIA}
    assert families("ベラルーシ(個人)") == {BELARUS}
    assert families("ロシア及びベラルーシ以外（特定銀行)") == set()
    assert families("Ukraine (Misappropriation)") == set()
    assert families("UKR") == {RUSSIA} and families("BLR") == {BELARUS}
    assert families("Belarus / Bélarus") == {BELARUS}
    assert families("SDGT") == set() and families("CAATSA - IRAN") == set()
    assert matches(["Syria / Syrie"], ["syria"]) and not matches(["SDGT"], ["russia"])


def test_timeline_counts(data: Designations) -> None:
    line = timeline(data, [RUSSIA])
    assert line.listed[("CA", "2022-02")] >= 1
    assert line.lifted[("CH", "2022-09")] == 1
    in_file = {(j, s): n for j, s, _day, n in line.in_file}
    assert in_file[("CA", "ca_sema")] > 0
    assert all(j != "UN" for j, _src, _d, _n in line.in_file if in_file.get((j, _src)))


def test_cli_json_and_csv(loaded: tuple[Settings, Store]) -> None:
    settings, _ = loaded
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", settings.db_url, "gaps", "--regime", "russia",
                                 "--listed-by", "CA,CH", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    lavrov = next(r for r in rows if "Lavrov" in " ".join(r["names"]))
    assert lavrov["jurisdictions"]["US"]["status"] == "not_listed"
    assert "US" in lavrov["gaps"] and lavrov["schema"] == "Person"
    assert lavrov["birth_date"] == "1950-03-21"
    assert {"status", "since", "until", "regimes", "sources"} <= set(
        lavrov["jurisdictions"]["CA"])
    result = runner.invoke(cli, ["--db", settings.db_url, "gaps", "--format", "csv",
                                 "--schema", "Vessel"])
    assert result.exit_code == 0 and result.output.startswith("id,name,schema")
    assert all(",Vessel," in line for line in result.output.splitlines()[1:])
    result = runner.invoke(cli, ["--db", settings.db_url, "timeline", "--format", "csv"])
    assert result.exit_code == 0 and "overlap" in result.output
    result = runner.invoke(cli, ["--db", settings.db_url, "gaps", "--since", "yesterday"])
    assert result.exit_code == 2 and "not a date" in result.output
    result = runner.invoke(cli, ["--db", settings.db_url, "gaps", "--listed-by", "XX"])
    assert result.exit_code == 2 and "XX" in result.output
