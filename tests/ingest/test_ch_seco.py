"""Swiss SECO sanctions list XML, on a fixture built in the publisher's format (see
tests/fixtures/ch_seco/README.md for where each fact comes from): Sergei Lavrov (listed),
Alexei Pushkov (de-listed in September 2022), Bank Rossiya and a listed ship."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES

FILE = FIXTURES / "ch_seco" / "swiss-sanctions-list.xml"
PROGRAM = "Ordinance of 4 March 2022 on measures in connection with the situation in Ukraine"


def props_of(store: Store, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.statements_for([entity_id]):
        found[row["prop"]].add(row["value"])
    return found


def test_fixture_loads_targets_and_designations(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("ch_seco", FILE))
    assert result.info is not None
    # the copy of Pushkov's target inside his de-listing <modification> is not a record
    assert result.info.records_by_schema == {"Organization": 1, "Person": 2, "Vessel": 1}
    assert result.info.published_at == "2025-09-22T00:00:00"
    assert result.issues == []

    lavrov = props_of(store, "ch-seco-72081")
    assert lavrov["name"] == {"Lavrov Sergei Viktorovich"}
    assert lavrov["alias"] == {"Лавров Сергей Викторович", "Sergey Viktorovich Lavrov"}
    assert lavrov["firstName"] == {"Sergei"}
    assert lavrov["lastName"] == {"Lavrov"}
    assert lavrov["fatherName"] == {"Viktorovich"}
    assert lavrov["birthDate"] == {"1950-03-21"}
    assert lavrov["birthPlace"] == {"Moscow, Russia"}
    assert lavrov["nationality"] == {"ru"}
    assert lavrov["gender"] == {"male"}
    cyrillic = [r for r in store.statements_for(["ch-seco-72081"]) if r["prop"] == "alias"
                and r["value"] == "Лавров Сергей Викторович"]
    assert [r["lang"] for r in cyrillic] == ["rus"]

    sanction = props_of(store, "ch-seco-72081-sanction-ch")
    assert sanction["program"] == {PROGRAM}
    assert sanction["programId"] == {"Ukraine"}
    assert sanction["provisions"] == {
        "annex 8 (art. 15 para. 1) - Freezing of assets and economic resources"}
    assert sanction["listingDate"] == {"2022-02-28"}
    assert sanction["recordId"] == {"72081"}
    assert sanction["country"] == {"ch"}
    assert sanction["authority"] == {"State Secretariat for Economic Affairs (SECO)"}
    assert sanction["status"] == {"active"}
    assert "endDate" not in sanction


def test_delisted_target_is_kept_with_a_lifted_designation(
    store: Store, store_settings: Settings
) -> None:
    load(store, store_settings, LoadRequest("ch_seco", FILE))
    pushkov = props_of(store, "ch-seco-72101")
    assert pushkov["name"] == {"Pushkov Alexei Konstantinovich"}
    assert pushkov["birthDate"] == {"1954-08-10"}
    assert pushkov["birthPlace"] == {"Beijing, China"}
    assert pushkov["birthCountry"] == {"cn"}
    sanction = props_of(store, "ch-seco-72101-sanction-ch")
    assert sanction["listingDate"] == {"2022-03-16"}
    assert sanction["endDate"] == {"2022-09-27"}
    assert sanction["status"] == {"lifted"}
    assert sanction["pp:statusRule"] == {"latest modification is de-listed, effective 2022-09-27"}


def test_entity_and_vessel(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("ch_seco", FILE))
    bank = props_of(store, "ch-seco-72121")
    assert bank["name"] == {"Bank Rossiya"}
    assert "Акционерное общество \"Акционерный Банк 'РОССИЯ'\"" in bank["alias"]
    assert bank["innCode"] == {"7831000122"}
    assert bank["ogrnCode"] == {"1027800000084"}
    assert bank["legalForm"] == {"Public Joint Stock Company"}
    assert bank["address"] == {"Rastrelli Square 2A, 191124, Saint Petersburg, Russia"}
    assert bank["country"] == {"ru"}
    ship = props_of(store, "ch-seco-72141")
    assert ship["name"] == {"Balitiyskiy III"}
    assert ship["imoNumber"] == {"IMO7612448"}
    assert ship["buildDate"] == {"1980"}


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "swiss-sanctions-list.xml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_truncated_file_is_a_format_error_naming_the_line(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    text = FILE.read_text(encoding="utf-8")
    path = tmp_path / "swiss-sanctions-list.xml"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken XML at line \d+"):
        load(store, store_settings, LoadRequest("ch_seco", path))
    assert store.runs("ch_seco") == []


def test_wrong_root_is_a_format_error(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "swiss-sanctions-list.xml"
    path.write_bytes((FIXTURES / "ca_sema" / "sema-lmes.xml").read_bytes())
    with pytest.raises(FormatError, match="root element is <data-set>, not "
                                          "<swiss-sanctions-list>"):
        load(store, store_settings, LoadRequest("ch_seco", path))


def test_unreadable_birth_date_is_an_issue_and_the_run_goes_on(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    path = _variant(tmp_path, 'day="21" month="3" year="1950"', 'day="21" month="13" year="1950"')
    result = load(store, store_settings, LoadRequest("ch_seco", path))
    assert result.info is not None and result.info.records == 4
    assert [(i.code, i.record_id, i.value) for i in result.issues] == [
        ("invalid_date", "ch-seco-72081", "1950-13-21")]
    assert "birthDate" not in props_of(store, "ch-seco-72081")


def test_undeclared_place_and_sanctions_set_are_issues(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    text = FILE.read_text(encoding="utf-8")
    text = text.replace('place-id="90002"', 'place-id="99999"')
    text = text.replace("<sanctions-set-id>7208</sanctions-set-id>\n    <entity>",
                        "<sanctions-set-id>4711</sanctions-set-id>\n    <entity>")
    path = tmp_path / "swiss-sanctions-list.xml"
    path.write_text(text, encoding="utf-8")
    result = load(store, store_settings, LoadRequest("ch_seco", path))
    assert {(i.code, i.record_id) for i in result.issues} == {
        ("unknown_place", "ch-seco-72101"), ("unknown_sanctions_set", "ch-seco-72121")}


def test_relation_becomes_a_link_between_targets(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    # A structural variant (not a published fact): the relation element as SECO writes it.
    path = _variant(tmp_path, "      <justification ssid=\"72106\">",
                    '      <relation ssid="72107" target-id="72081" relation-type="related-to"/>'
                    "\n      <justification ssid=\"72106\">")
    load(store, store_settings, LoadRequest("ch_seco", path))
    link = props_of(store, "ch-seco-72101-relation-72107")
    assert link["subject"] == {"ch-seco-72101"}
    assert link["object"] == {"ch-seco-72081"}
    assert link["role"] == {"related-to"}


def test_unknown_object_type_is_an_issue(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    path = _variant(tmp_path, '<object object-type="vessel">', '<object object-type="train">')
    result = load(store, store_settings, LoadRequest("ch_seco", path))
    assert result.info is not None and result.info.records == 3
    assert [(i.code, i.value) for i in result.issues] == [("unknown_target_type", "train")]
