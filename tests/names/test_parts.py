"""Person name parts, organisation legal forms and vessel names."""

from __future__ import annotations

import pytest

from pressurepoint.names import analyse_name, reorder_name, split_legal_forms, strip_legal_forms
from pressurepoint.names.forms import INITIAL, LEGAL, PATRONYMIC
from pressurepoint.names.persons import (
    given_name_group,
    patronymic_gender,
    patronymic_group,
    remove_titles,
    surname_stem,
)
from pressurepoint.names.vessels import normalize_imo, remove_vessel_prefix, split_imo


def roles(name: str, kind: str) -> dict[str, str]:
    form = analyse_name(name, kind).form
    assert form is not None
    return {t: form.info[t].role for t in form.tokens}


def test_list_order_and_titles() -> None:
    assert reorder_name("ABRAMOVICH, Roman Arkadyevich") == "Roman Arkadyevich ABRAMOVICH"
    assert reorder_name("AL ZAWAHIRI, Dr. Ayman") == "Dr. Ayman AL ZAWAHIRI"
    assert reorder_name("11,420.2-1 CORP.") == "11,420.2-1 CORP."
    assert reorder_name("Jane Doe") == "Jane Doe"
    assert remove_titles("Mr. John Doe") == "John Doe"
    assert analyse_name("Gen. KARIMOV Rustam Jr.", "person").form.key == "karimov rustam"


@pytest.mark.parametrize("name", ["Роман Аркадьевич Абрамович", "Абрамович Роман Аркадьевич",
                                  "ABRAMOVICH, Roman Arkadyevich", "Roman Arkadievich ABRAMOVICH"])
def test_patronymic_found_in_any_order(name: str) -> None:
    found = roles(name, "person")
    assert [t for t, r in found.items() if r == PATRONYMIC] == ["arkadeviq"]


def test_surname_ending_like_a_patronymic_is_not_one() -> None:
    assert PATRONYMIC not in roles("Abramovitch Roman", "person").values()


def test_patronymic_gender_and_equivalence() -> None:
    assert patronymic_gender("ivanoviq") == "male"
    assert patronymic_gender("ivanovna") == "female"
    assert patronymic_gender("ivanov") is None
    # Ukrainian and Russian patronymics of one father's name
    ua = analyse_name("Зеленський Володимир Олександрович", "person").form
    ru = analyse_name("Зеленский Владимир Александрович", "person").form
    assert ua and ru and ua.gender == ru.gender == "male"
    assert patronymic_group(ua.tokens[-1]) == patronymic_group(ru.tokens[-1]) == "aleksandr/m"


def test_given_name_equivalents_across_languages() -> None:
    groups = {given_name_group(analyse_name(n, "person").form.tokens[0])
              for n in ("Volodymyr", "Vladimir", "Uladzimir", "Wladimir", "Владимир")}
    assert groups == {"vladimir"}
    assert given_name_group("ivan") != given_name_group("igor")


def test_gendered_surnames() -> None:
    assert surname_stem("ivanov") == ("ivanov", "m")
    assert surname_stem("ivanova") == ("ivanov", "f")
    assert surname_stem("zelenskaia")[0] == surname_stem("zelenski")[0]
    assert analyse_name("Ivanova Anna", "person").form.gender == "female"


def test_initials_are_kept() -> None:
    assert roles("K. Muhammad Yusuf", "person")["k"] == INITIAL


@pytest.mark.parametrize("name", [
    "ООО Ромашка", "OOO Romashka", "Romashka LLC", "Romashka Limited Liability Company",
    "Obshchestvo s Ogranichennoi Otvetstvennostyu Romashka",
    "Общество с ограниченной ответственностью «Ромашка»", "ТОВ Ромашка", "\"Romashka\", OOO"])
def test_limited_liability_forms_meet(name: str) -> None:
    form = analyse_name(name, "org").form
    assert form is not None and form.key == "llc romawka", name
    assert form.info["llc"].role == LEGAL


@pytest.mark.parametrize("name", ["АО Ромашка", "PJSC Romashka", "ПАО «Ромашка»",
                                  "Romashka JSC", "Public Joint Stock Company Romashka",
                                  "ZAO Romashka", "Romashka OAO"])
def test_joint_stock_forms_meet(name: str) -> None:
    assert analyse_name(name, "org").form.key == "jsc romawka", name


def test_legal_forms_split_and_stripped() -> None:
    assert split_legal_forms("ООО Газпром") == ("газпром", ("llc",))
    assert split_legal_forms("LLC") == ("llc", ())  # nothing but a legal form: kept
    assert strip_legal_forms("SAI ADVISORS INC.") == "SAI ADVISORS"


def test_org_stop_words_and_generic_words() -> None:
    form = analyse_name("The Bank of Moscow and Trading Company", "org").form
    assert form is not None and "of" not in form.tokens and "the" not in form.tokens
    assert form.info["trading"].role == "generic"


def test_vessel_names_and_imo_numbers() -> None:
    assert normalize_imo("IMO 9126819") == "IMO9126819"
    assert normalize_imo("9126819") == "IMO9126819"
    assert normalize_imo("9126818") is None  # wrong check digit
    assert split_imo("NS LEADER (IMO 9339301)") == ("NS LEADER", ["IMO9339301"])
    assert split_imo("SEA 9126818") == ("SEA 9126818", [])
    assert remove_vessel_prefix("M/V Oceanic") == "Oceanic"
    analysis = analyse_name("MT NS LEADER (IMO 9339301)", "object")
    assert analysis.imo_numbers == ("IMO9339301",)
    assert analysis.form and analysis.form.key == "leader ns"
