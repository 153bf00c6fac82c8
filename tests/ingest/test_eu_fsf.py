"""EU Financial Sanctions Files: FSF XML 1.1 and the legacy EU XML, on records cut from
real files (FSF export of 2026-08-05: logicalId 191, 3822, 6106, 6177; legacy list of
2016-02-11: Id 1, 13, 191, 230, 521)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from pressurepoint.config import Settings
from pressurepoint.errors import FormatError
from pressurepoint.ingest.runner import LoadRequest, load
from pressurepoint.store import Store
from tests.conftest import FIXTURES, SHARED_DATA, needs_shared

FSF = FIXTURES / "eu_fsf" / "xmlFullSanctionsList_1_1.xml"
LEGACY = FIXTURES / "eu_fsf" / "global.xml"


def props_of(store: Store, entity_id: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for row in store.statements_for([entity_id]):
        found[row["prop"]].add(row["value"])
    return found


def rows_of(store: Store, entity_id: str, prop: str) -> list[dict[str, Any]]:
    return [r for r in store.statements_for([entity_id]) if r["prop"] == prop]


def test_fsf_fixture_loads_people_enterprise_and_designations(
    store: Store, store_settings: Settings
) -> None:
    result = load(store, store_settings, LoadRequest("eu_fsf", FSF))
    assert result.info is not None
    assert result.info.format == "eu_fsf_xml"
    assert result.info.records_by_schema == {"Organization": 1, "Person": 3}
    # generationDate="2026-08-05T16:47:04.449+02:00", stored in UTC
    assert result.info.published_at == "2026-08-05T14:47:04"

    asiri = props_of(store, "eu-fsf-6177")
    assert asiri["name"] == {"Ibrahim Hassan Al Asiri"}
    assert "إبراهيم حسن طالع عسيري" in asiri["alias"]
    assert {"Abu-Salaah", "Abosslah", "Abu Saleh"} <= asiri["weakAlias"]
    # the ISLAMIC entry (year 1402) contributes only its Gregorian equivalent
    assert asiri["birthDate"] == {"1982-04-18", "1982-04-19"}
    assert asiri["birthPlace"] == {"Riyadh, SAUDI ARABIA"}
    assert asiri["nationality"] == {"sa"}
    assert asiri["passportNumber"] == {"F654645"}
    assert asiri["idNumber"] == {"1028745097"}
    arabic = [r for r in rows_of(store, "eu-fsf-6177", "alias") if r["lang"] == "ara"]
    assert len(arabic) == 2

    sanction = props_of(store, "eu-fsf-6177-sanction-eu")
    assert sanction["program"] == {"TAQA"}
    assert sanction["listingDate"] == {"2011-03-24"}
    assert sanction["authorityId"] == {"EU.3092.36"}
    assert sanction["description"] == {"2023/329 (OJ L43I)"}
    assert sanction["recordId"] == {"6177"}
    assert sanction["country"] == {"eu"}
    assert sanction["status"] == {"active"}

    dorda = props_of(store, "eu-fsf-6106-sanction-eu")
    assert dorda["unscId"] == {"LYi.006"}
    parchin = props_of(store, "eu-fsf-3822")
    assert parchin["name"] == {"Parchin Chemical Industries (PCI)"}
    assert "صنایع شیمیایی پارچین" in parchin["alias"]
    assert parchin["registrationNumber"] == {"892"}
    assert parchin["country"] == {"ir"}
    assert parchin["website"] == {"http://icig.ir/"}


def test_fsf_unreadable_phone_numbers_are_issues_not_crashes(
    store: Store, store_settings: Settings
) -> None:
    result = load(store, store_settings, LoadRequest("eu_fsf", FSF))
    codes = {(i.code, i.record_id, i.value) for i in result.issues}
    assert ("invalid_phone", "eu-fsf-3822", "+98 21 2258929") in codes
    assert result.info is not None and result.info.outcome == "ok_with_issues"


def test_legacy_fixture_loads(store: Store, store_settings: Settings) -> None:
    result = load(store, store_settings, LoadRequest("eu_fsf", LEGACY))
    assert result.info is not None
    assert result.info.format == "eu_legacy_xml"
    assert result.info.records_by_schema == {"Organization": 1, "Person": 4}
    assert result.info.published_at == "2016-02-11T00:00:00"
    assert result.issues == []
    mugabe = props_of(store, "eu-fsf-1")
    assert mugabe["name"] == {"Robert Gabriel Mugabe"}
    assert mugabe["birthDate"] == {"1924-02-21"}
    assert mugabe["passportNumber"] == {"AD001095"}
    assert mugabe["gender"] == {"male"}
    akhund = props_of(store, "eu-fsf-521")
    assert {"1953", "1958"} <= akhund["birthDate"]  # "1953 - 1958 (approximative)"
    bank = props_of(store, "eu-fsf-230")
    assert bank["name"] == {"Central Bank of Iraq"}
    assert bank["country"] == {"iq"}
    sanction = props_of(store, "eu-fsf-191-sanction-eu")
    assert sanction["program"] == {"TERR"}
    assert sanction["description"] == {"2015/1325 (OJ L206)"}


def test_both_formats_give_the_same_ids(store: Store, store_settings: Settings) -> None:
    load(store, store_settings, LoadRequest("eu_fsf", LEGACY))
    load(store, store_settings, LoadRequest("eu_fsf", FSF))
    names = props_of(store, "eu-fsf-191")["name"]
    assert names == {"Khalid Shaikh Mohammed", "Khalid Sheikh MOHAMMED"}
    assert {r["format"] for r in store.runs("eu_fsf")} == {"eu_fsf_xml", "eu_legacy_xml"}


def _variant(tmp_path: Path, source: Path, name: str, old: str, new: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_truncated_fsf_file_is_a_format_error_naming_the_line(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    text = FSF.read_text(encoding="utf-8")
    path = tmp_path / "xmlFullSanctionsList_1_1.xml"
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(FormatError, match=r"broken XML at line \d+"):
        load(store, store_settings, LoadRequest("eu_fsf", path))
    assert store.runs("eu_fsf") == []


@pytest.mark.parametrize(("source", "expect"), [
    (LEGACY, "root element is <WHOLE>"),
    (FSF, "root element is <{http://eu.europa.ec/fpi/fsd/export}export>, not <WHOLE>"),
])
def test_a_file_of_the_other_format_is_a_format_error(
    source: Path, expect: str, store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    name = "xmlFullSanctionsList_1_1.xml" if source == LEGACY else "global.xml"
    path = tmp_path / name
    path.write_bytes(source.read_bytes())
    with pytest.raises(FormatError, match=expect.replace("{", r"\{").replace("}", r"\}")):
        load(store, store_settings, LoadRequest("eu_fsf", path))


def test_changed_namespace_is_a_format_error(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    path = _variant(tmp_path, FSF, "xmlFullSanctionsList_1_1.xml",
                    'xmlns="http://eu.europa.ec/fpi/fsd/export"',
                    'xmlns="http://eu.europa.ec/fpi/fsd/export/v2"')
    with pytest.raises(FormatError, match="not <export> in namespace"):
        load(store, store_settings, LoadRequest("eu_fsf", path))


def test_unreadable_designation_date_is_an_issue_and_the_run_goes_on(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    path = _variant(tmp_path, FSF, "xmlFullSanctionsList_1_1.xml",
                    'designationDate="2011-03-24"', 'designationDate="24th of March"')
    result = load(store, store_settings, LoadRequest("eu_fsf", path))
    assert result.info is not None and result.info.records == 4
    bad = [i for i in result.issues if i.code == "invalid_date"]
    assert len(bad) == 1
    assert bad[0].record_id == "eu-fsf-6177-sanction-eu"
    assert bad[0].value == "24th of March"
    assert bad[0].location is not None and bad[0].location.startswith("line ")


def test_legacy_record_without_id_is_an_issue(
    store: Store, store_settings: Settings, tmp_path: Path
) -> None:
    path = _variant(tmp_path, LEGACY, "global.xml", '<ENTITY Id="13" ', "<ENTITY ")
    result = load(store, store_settings, LoadRequest("eu_fsf", path))
    assert result.info is not None and result.info.records == 4
    assert [i.code for i in result.issues] == ["missing_id"]


@needs_shared
def test_full_samples_match_the_manifest() -> None:
    from pressurepoint.ingest.context import ParseContext
    from pressurepoint.sources import get_source

    spec = get_source("eu_fsf")
    counts: dict[str, dict[str, int]] = {}
    for path in (SHARED_DATA / "samples" / "eu_fsf" / "2016-02-11" / "data.xml.gz",
                 SHARED_DATA / "samples" / "eu_fsf" / "2026-08-05" / "sample_eu_fsf.xml"):
        fmt = spec.format_for(path.name)
        assert fmt is not None
        ctx = ParseContext(source=spec, path=path)
        by_schema: dict[str, int] = defaultdict(int)
        for entity in fmt.parser(ctx, path):
            by_schema[entity.schema] += 1
        counts[path.name] = dict(by_schema)
    # MANIFEST S2: 595 ENTITY (319 persons, 276 entities); S1: 5 sanctionEntity
    assert counts["data.xml.gz"] == {"Person": 319, "Organization": 276, "Sanction": 595}
    assert counts["sample_eu_fsf.xml"] == {"Person": 4, "Organization": 1, "Sanction": 5}
