"""The pairwise scorer pp-v2: features, their contributions, and the threshold."""

from __future__ import annotations

import pytest

from pressurepoint.errors import InvalidInput
from pressurepoint.resolve import DEFAULT_THRESHOLD, SCORER_VERSION, prepare, score
from pressurepoint.resolve.features import parse_iso_date, schema_compatible

ABRAMOVICH = {"name": ["ABRAMOVICH, Roman Arkadyevich"], "birthDate": ["1966-10-24"],
              "nationality": ["ru", "il", "pt"], "gender": ["male"]}


def pair(schema: str, left: dict[str, list[str]], right: dict[str, list[str]],
         right_schema: str | None = None) -> tuple[float, dict[str, float | str]]:
    result = score(prepare(schema, left), prepare(right_schema or schema, right))
    assert result.match == (result.score >= DEFAULT_THRESHOLD)
    return result.score, result.explanation


def test_version_and_threshold() -> None:
    assert SCORER_VERSION == "pp-v2"
    assert 0 < DEFAULT_THRESHOLD < 1
    result = score(prepare("Person", ABRAMOVICH), prepare("Person", {"name": ["Abramovich R"]}),
                   threshold=0.99)
    assert result.threshold == 0.99 and result.match is False


def test_cross_script_person_with_birth_date() -> None:
    found, why = pair("Person", ABRAMOVICH,
                      {"name": ["Абрамович Роман"], "birthDate": ["1966-10-24"]})
    assert found == 1.0
    assert why["scorer"] == "pp-v2" and why["birth_date"] == 0.08
    assert str(why["name_detail"]).endswith("as persons: abramoviq roman -arkadeviq")


@pytest.mark.parametrize(("dates", "effect"), [
    (["1966"], 0.03), (["1966-10"], 0.03), (["1966-24-10"], None), (["1966-11-24"], -0.3),
    (["1967-10-24"], -0.3), (["1975-01-01"], -0.45), (["1975", "1966-10-24"], 0.08)])
def test_birth_dates(dates: list[str], effect: float | None) -> None:
    right = {"name": ["Roman Abramovich"], "birthDate": dates}
    if effect is None:  # "1966-24-10" is no date: prepared with a problem, not compared
        record = prepare("Person", right)
        assert record.dates == () and record.problems[0][0] == "invalid_date"
        return
    _, why = pair("Person", ABRAMOVICH, right)
    assert why["birth_date"] == effect


def test_day_and_month_read_the_other_way_count_as_partial() -> None:
    _, why = pair("Person", {"name": ["Ivan Ivanov"], "birthDate": ["1970-03-04"]},
                  {"name": ["Ivan Ivanov"], "birthDate": ["1970-04-03"]})
    assert why["birth_date"] == 0.03


def test_gender() -> None:
    _, stated = pair("Person", ABRAMOVICH, {"name": ["Roman Abramovich"], "gender": ["female"]})
    assert stated["gender"] == -0.3
    found, inferred = pair("Person", {"name": ["Ivanov Ivan Ivanovich"]},
                           {"name": ["Ivanova Ivanna Ivanovna"]})
    assert inferred["gender"] == -0.25 and found < DEFAULT_THRESHOLD
    _, surname = pair("Person", {"name": ["Alexander Ivanov"]}, {"name": ["Alexandra Ivanova"]})
    assert surname["gender"] == -0.15


def test_countries() -> None:
    _, shared = pair("Person", ABRAMOVICH, {"name": ["Roman Abramovich"], "nationality": ["il"]})
    _, apart = pair("Person", ABRAMOVICH, {"name": ["Roman Abramovich"], "citizenship": ["us"]})
    assert shared["country"] == 0.02 and apart["country"] == -0.08


def test_equal_inn_joins_a_renamed_company() -> None:
    found, why = pair("Company", {"name": ["ООО Ромашка"], "innCode": ["7707083893"]},
                      {"name": ["Vasilek LLC"], "taxNumber": ["7707 083 893"]})
    assert found >= DEFAULT_THRESHOLD
    assert why["identifiers_detail"] == "same inn 7707083893"


def test_different_valid_ogrn_separates_namesakes() -> None:
    found, why = pair("Company", {"name": ["Romashka LLC"], "ogrnCode": ["1027700132195"]},
                      {"name": ["ООО Ромашка"], "registrationNumber": ["1037739010891"]})
    assert found < DEFAULT_THRESHOLD and why["identifiers"] == -0.5


def test_invalid_identifier_counts_little() -> None:
    record = prepare("Company", {"name": ["Romashka"], "innCode": ["7707083890"]})
    assert record.valid_ids == {} and "inn:7707083890" in record.id_keys
    _, why = pair("Company", {"name": ["Romashka"], "innCode": ["7707083890"]},
                  {"name": ["Lutik"], "innCode": ["7707083890"]})
    assert why["identifiers"] == 0.15


def test_vessels_imo_rename_and_name_cap() -> None:
    found, why = pair("Vessel", {"name": ["Sea Transporter"], "imoNumber": ["9339301"]},
                      {"name": ["NS LEADER (IMO 9339301)"]})
    assert found == 0.75 and why["identifiers_detail"] == "same imo IMO9339301"
    found, why = pair("Vessel", {"name": ["NS LEADER"]}, {"name": ["NS LEADER"]})
    assert found == 0.85 and "capped" in str(why["name_detail"])
    found, _ = pair("Vessel", {"name": ["NS LEADER"], "imoNumber": ["9339301"]},
                    {"name": ["NS LEADER"], "imoNumber": ["9126819"]})
    assert found < DEFAULT_THRESHOLD


def test_person_and_company_never_match() -> None:
    found, why = pair("Person", {"name": ["Gazprom"]}, {"name": ["Gazprom"]}, "Company")
    assert found == 0.0 and why["schema_detail"] == "Person and Company cannot be the same thing"
    assert schema_compatible("Company", "Organization")
    assert schema_compatible("LegalEntity", "Person")
    assert schema_compatible("Thing", "Vessel")
    assert not schema_compatible("Vessel", "Company")


def test_unknown_schema() -> None:
    with pytest.raises(InvalidInput, match="unknown schema"):
        prepare("Starship", {"name": ["Enterprise"]})


def test_problems_are_kept_not_raised() -> None:
    record = prepare("Person", {"name": ["", "!!!", "Ivan Ivanov"], "birthDate": ["circa 1960"],
                                "nationality": ["Atlantis"], "gender": ["x"]})
    codes = sorted(code for code, _ in record.problems)
    assert codes == ["empty_name", "invalid_country", "invalid_date", "invalid_gender",
                     "not_a_name"]
    assert len(record.names) == 1


def test_iso_dates() -> None:
    assert parse_iso_date("1966-10-24") == (1966, 10, 24)
    assert parse_iso_date("1966-10") == (1966, 10, None)
    assert parse_iso_date("1966") == (1966, None, None)
    assert parse_iso_date("1966-10-24T00:00:00") == (1966, 10, 24)
    for bad in ("1966-13-45", "1966-02-30", "circa 1960", "24.10.1966", "", "0966"):
        assert parse_iso_date(bad) is None, bad


def test_name_parts_make_a_name() -> None:
    record = prepare("Person", {"firstName": ["Roman"], "fatherName": ["Arkadyevich"],
                                "lastName": ["Abramovich"]})
    assert record.names[0].key == "abramoviq arkadeviq roman"


def test_cyrillic_and_latin_in_parentheses_are_two_names() -> None:
    record = prepare("Person", {"name": ["Roman ABRAMOVICH (Роман Аркадьевич АБРАМОВИЧ)"]})
    assert {n.key for n in record.names} == {"abramoviq roman", "abramoviq arkadeviq roman"}


def test_a_date_one_digit_apart_is_a_typo_only_beside_agreeing_names() -> None:
    # records sharing a passport: one list's typo in the day, the month or the year
    for left, right in (("1969-11-08", "1969-11-07"), ("1975-06-14", "1975-07-14"),
                        ("1984-05-06", "1986-05-06")):
        found, why = pair("Person", {"name": ["HAN JANG SU"], "birthDate": [left]},
                          {"name": ["Han Jang Su"], "birthDate": [right]})
        assert why["birth_date"] == -0.1 and found >= 0.85
        assert str(why["birth_date_detail"]).startswith("one_digit:")
    # a near name and a near date are two differences: another person
    found, why = pair("Person", {"name": ["Dmitri Yuryvich"], "birthDate": ["1993-05-17"]},
                      {"name": ["KHOROSHEV, Dmitry Yuryevich"], "alias": ["YURIEVICH, Dmitry"],
                       "birthDate": ["1993-04-17"]})
    assert why["birth_date"] == -0.3 and found < DEFAULT_THRESHOLD
    assert "names differ too" in str(why["birth_date_detail"])
