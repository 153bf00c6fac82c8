"""The command line, end to end, on fixture files and a throw-away store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from pressurepoint.outputs.cli.main import cli
from tests.conftest import FIXTURES

UN = FIXTURES / "un_sc" / "consolidated.xml"


def _run(tmp: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", str(tmp / "pp.sqlite"), "--data-dir", str(tmp / "d"),
                                 *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_update_one_file_then_sources_json(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "update", "--source", "un_sc", "--file", str(UN))
    assert code == 0, err
    assert "loaded un_sc" in err and "4 records" in err
    code, out, _ = _run(tmp_path, "sources", "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows["un_sc"]["records"] == 4
    assert rows["un_sc"]["records_by_schema"] == {"Organization": 1, "Person": 3}
    assert rows["un_sc"]["published_at"] == "2026-02-27T00:00:09"
    assert rows["un_sc"]["issues"] == 0


def test_show_finds_cyrillic_name_with_designation(tmp_path: Path) -> None:
    _run(tmp_path, "update", "--source", "un_sc", "--file", str(UN))
    code, out, _ = _run(tmp_path, "show", "умаров", "--json")
    assert code == 0
    [record] = json.loads(out)
    names = [v["value"] for v in record["properties"]["name"]]
    assert "Умаров Доку Хаматович" in names
    assert record["properties"]["birthDate"][0]["first_seen"] == "2026-02-27T00:00:09"
    [designation] = record["designations"]
    assert designation["properties"]["listingDate"][0]["value"] == "2011-03-10"
    assert designation["properties"]["program"][0]["value"] == "Al-Qaida"


def test_mirror_with_a_bad_file_loads_the_rest_and_exits_1(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    good = mirror / "un_sc" / "2026-02-27"
    bad = mirror / "un_sc" / "2026-03-01"
    good.mkdir(parents=True)
    bad.mkdir(parents=True)
    shutil.copy(UN, good / "consolidated.xml")
    (bad / "consolidated.xml").write_text("<html><body>404</body></html>")
    code, _, err = _run(tmp_path, "update", "--from", str(mirror))
    assert code == 1
    assert "loaded un_sc 2026-02-27/consolidated.xml" in err
    assert "FAILED un_sc: consolidated.xml: is an HTML page" in err
    code, out, _ = _run(tmp_path, "sources", "--json")
    assert {r["id"]: r for r in json.loads(out)}["un_sc"]["records"] == 4


def test_export_ftm_and_csv(tmp_path: Path) -> None:
    _run(tmp_path, "update", "--source", "un_sc", "--file", str(UN))
    code, out, _ = _run(tmp_path, "export", "--format", "ftm")
    assert code == 0
    entities = [json.loads(line) for line in out.splitlines()]
    schemata = sorted(e["schema"] for e in entities)
    assert schemata.count("Sanction") == 4 and schemata.count("Person") == 3
    assert all("pp:statusRule" not in e["properties"] for e in entities)
    code, out, _ = _run(tmp_path, "export", "--format", "csv")
    lines = out.splitlines()
    assert lines[0].startswith("id,schema,source,name")
    assert len(lines) == 5


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, "update", "--file", str(UN))
    assert code == 2
    assert "needs exactly one --source" in err
    code, _, err = _run(tmp_path, "update", "--source", "nope", "--file", str(UN))
    assert code == 2 and "unknown source 'nope'" in err


def test_show_unknown_exits_1(tmp_path: Path) -> None:
    _run(tmp_path, "update", "--source", "un_sc", "--file", str(UN))
    code, _, err = _run(tmp_path, "show", "nobody-at-all")
    assert code == 1 and "no record matches" in err


def test_show_after_resolve_groups_one_person_across_publishers(tmp_path: Path) -> None:
    for source, path in [("ca_sema", FIXTURES / "ca_sema" / "sema-lmes.xml"),
                         ("ch_seco", FIXTURES / "ch_seco" / "swiss-sanctions-list.xml")]:
        code, _, err = _run(tmp_path, "update", "--source", source, "--file", str(path),
                            "--published", "2025-09-01")
        assert code == 0, err
    code, _, err = _run(tmp_path, "resolve")
    assert code == 0 and "resolved" in err
    code, out, _ = _run(tmp_path, "show", "Лавров", "--json")
    records = json.loads(out)
    by_source = {r["source"]: r for r in records}
    assert {"ca_sema", "ch_seco"} <= set(by_source)
    assert by_source["ca_sema"]["canonical_id"] == by_source["ch_seco"]["canonical_id"]
    listed = [d["properties"]["listingDate"][0]["value"]
              for r in records for d in r["designations"] if "listingDate" in d["properties"]]
    assert "2022-02-28" in listed  # Switzerland's listing of Lavrov
