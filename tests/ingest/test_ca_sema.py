"""Canada's Consolidated Autonomous Sanctions List XML, on 18 records cut from the
2025-09-22 file (sema-lmes.xml): Russian and Belarusian persons with Cyrillic aliases,
Bank Rossiya, a listed ship, a Syrian officer with a rank, a JVCFOR and a Venezuela
listing (no Schedule), and the real record whose birth date reads "Sep-99"."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.parsers.ca_sema import split_aliases
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared

FILE = FIXTURES / "ca_sema" / "sema-lmes.xml"


def props_of(store: Store, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.statements_for([entity_id]):
        found[row["prop"]].add(row["value"])
    return found


def test_fixture_loads_people_organisations_ships_and_designations(
    store: Store, store_settings: Settings
) -> None:
    result = load(store, store_settings,
                  LoadRequest("ca_sema", FILE, published="2025-09-22"))
    assert result.info is not None
    assert result.info.records_by_schema == {"Organization": 2, "Person": 15, "Vessel": 1}
    assert result.info.published_at == "2025-09-22T00:00:00"
    assert result.info.published_basis == "given by the caller"

    karazei = props_of(store, "ca-sema-belarus-1-part-1-98")
    assert karazei["name"] == {"Aleh Heorhievich Karazei"}
    assert karazei["alias"] == {"Олег Георгиевич Каразей"}
    assert karazei["birthDate"] == {"1979-01-01"}
    assert "nationality" not in karazei  # Country is the regime, not a nationality
    sanction = props_of(store, "ca-sema-belarus-1-part-1-98-sanction-ca")
    assert sanction["program"] == {"Belarus / Bélarus"}
    assert sanction["listingDate"] == {"2023-08-04"}
    assert sanction["recordId"] == {"Belarus / Bélarus; Schedule 1, Part 1; Item 98"}
    assert sanction["country"] == {"ca"}
    assert sanction["status"] == {"active"}

    lavrov = props_of(store, "ca-sema-russia-1-part-1-505")
    assert lavrov["name"] == {"Sergei Viktorovich LAVROV"}
    assert lavrov["alias"] == {"Сергей Викторович Лавров", "Sergey Lavrov"}
    assert lavrov["birthDate"] == {"1950"}
    assert props_of(store, "ca-sema-russia-1-part-1-505-sanction-ca")["listingDate"] == {
        "2022-02-28"}


def test_ship_organisation_rank_and_odd_dates(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("ca_sema", FILE, published="2025-09-22"))
    ship = props_of(store, "ca-sema-russia-1.1-1")
    assert ship["name"] == {"Balitiyskiy III"}
    assert ship["imoNumber"] == {"IMO7612448"}
    assert ship["type"] == {"General Cargo / Multi Purpose"}
    assert ship["buildDate"] == {"1980"}
    bank = props_of(store, "ca-sema-russia-1-part-2-1")
    assert bank["name"] == {"Aktsionerny Bank Russian Federation"}
    assert bank["alias"] == {"Bank Rossiya"}
    assert props_of(store, "ca-sema-russia-1-part-2-665")["alias"] == {"Море Река Сервис, ООО"}
    officer = props_of(store, "ca-sema-syria-part-2-60")
    assert officer["title"] == {"Major General/major-général"}
    assert officer["name"] == {"Jumah Al-Ahmad"}
    venezuela = props_of(store, "ca-sema-venezuela-117")  # no Schedule in the record
    assert venezuela["birthDate"] == {"1965-07-15", "1969-09-28"}  # "... OR ..."
    assert props_of(store, "ca-sema-iran-1-part-2.1-70")["birthDate"] == {"1963", "1964"}
    baranov = props_of(store, "ca-sema-russia-1-part-1.1-37")
    assert baranov["alias"] == {"Баранов, Олег Анатольевич"}


def test_unreadable_birth_date_is_an_issue_and_the_run_goes_on(
    store: Store, store_settings: Settings
) -> None:
    result = load(store, store_settings, LoadRequest("ca_sema", FILE))
    assert [(i.code, i.record_id, i.value) for i in result.issues] == [
        ("invalid_date", "ca-sema-russia-1-part-1-1114", "Sep-99")]
    assert result.issues[0].location is not None
    assert result.issues[0].location.startswith("line ")
    kirill = props_of(store, "ca-sema-russia-1-part-1-1114")
    assert kirill["name"] == {"Kirill Alekseevich MORDASHOV"}
    assert "birthDate" not in kirill


def test_labelled_aliases_keep_their_language() -> None:
    found = split_aliases("Aleh Ryhoravich MISHCHANKA, Belarusian: Алег Рыгоравiч МIШЧАНКА, "
                          "Russian: Олег Григорьевич Мищенко")
    assert found == [("Aleh Ryhoravich MISHCHANKA", None), ("Алег Рыгоравiч МIШЧАНКА", "bel"),
                     ("Олег Григорьевич Мищенко", "rus")]
    assert split_aliases("НПО Лавочкина, АО") == [("НПО Лавочкина, АО", None)]
    assert split_aliases("Сергей Кужугетович Шойгу; Sergey Shoigu, Sergey Shoygu") == [
        ("Сергей Кужугетович Шойгу", None), ("Sergey Shoigu", None), ("Sergey Shoygu", None)]


def test_mashadziyeu_aliases_by_language(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("ca_sema", FILE))
    rows = [r for r in store.statements_for(["ca-sema-belarus-1-part-1-99"])
            if r["prop"] == "alias"]
    by_lang = {(r["lang"], r["value"]) for r in rows}
    assert ("bel", "Руслан Хiкметовiч МАШАДЗЕЎ") in by_lang
    assert ("rus", "Руслан Хикметович МАШАДИЕВ") in by_lang


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sema-lmes.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_truncated_file_is_a_format_error_naming_the_line(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    text = FILE.read_text(encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken XML at line \d+"):
        load(store, store_settings, LoadRequest("ca_sema", _write(tmp_path, text[:3000])))
    assert store.runs("ca_sema") == []


def test_wrong_root_is_a_format_error(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    text = FILE.read_text(encoding="utf-8").replace("data-set", "dataset")
    with pytest.raises(FormatError, match="root element is <dataset>, not <data-set>"):
        load(store, store_settings, LoadRequest("ca_sema", _write(tmp_path, text)))


def test_renamed_record_elements_find_no_records(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    text = FILE.read_text(encoding="utf-8").replace("record>", "entry>")
    with pytest.raises(FormatError, match="no records found"):
        load(store, store_settings, LoadRequest("ca_sema", _write(tmp_path, text)))


def test_record_without_item_is_an_issue(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    text = FILE.read_text(encoding="utf-8").replace("<Item>505</Item>", "", 1)
    result = load(store, store_settings, LoadRequest("ca_sema", _write(tmp_path, text)))
    assert result.info is not None and result.info.records == 17
    assert "missing_id" in {i.code for i in result.issues}


@needs_shared
@pytest.mark.parametrize(("folder", "total", "russia"), [
    ("2025-05-25", 4759, 2426),
    ("2025-09-22", 5090, 2737),
])
def test_full_files_match_the_manifest(
    folder: str, total: int, russia: int, store: Store, store_settings: Settings
) -> None:
    path = SHARED_DATA / "sanctions" / "ca_sema" / folder / "sema-lmes.xml.gz"
    result = load(store, store_settings, LoadRequest("ca_sema", path, published=folder,
                                                     strict=True))
    assert result.info is not None
    assert result.info.records == total
    programs = [r for r in store.current_statements("ca_sema")
                if r["prop"] == "program" and r["value"] == "Russia / Russie"]
    assert len(programs) == russia
