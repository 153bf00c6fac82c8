"""Unicode clean-up, scripts, look-alike letters, OCR digits and folding."""

from __future__ import annotations

from pressurepoint.names import (
    ascii_fold,
    clean_name,
    fold_confusables,
    is_latin,
    lower_and_remove_punctuation,
    scripts_of,
)
from pressurepoint.names.text import fold_digits, has_letters


def test_clean_name_removes_invisible_and_control_characters() -> None:
    assert clean_name("K\u200bARIMOV,\u00a0 Muhammad\u2060 \tYusuf ") == "KARIMOV, Muhammad Yusuf"
    assert clean_name("Gm\u00adbH") == "GmbH"
    assert clean_name("ＡＢＲＡＭＯＶＩＣＨ") == "ABRAMOVICH"  # full-width letters (NFKC)


def test_scripts() -> None:
    assert scripts_of("Roman АБРАМОВИЧ 1966") == {"Latin", "Cyrillic"}
    assert scripts_of("12345 !!!") == set()
    assert is_latin("Müller-Sánchez")
    assert not is_latin("Müller Мюллер")
    assert has_letters("A") and not has_letters("123-45 !")


def test_confusables_fold_to_the_script_of_the_word() -> None:
    assert fold_confusables("КАRIМОV, Мuhammad") == ("KARIMOV, Muhammad", True)
    assert fold_confusables("Nаѕrаllаh Тrаdіng Соmраnу")[0] == "Nasrallah Trading Company"
    assert fold_confusables("Aбрамович Роман")[0] == "Абрамович Роман"  # Latin A in Cyrillic
    # whole words in either script are names in that script, not disguises
    text = "Roman ABRAMOVICH (Роман АБРАМОВИЧ)"
    assert fold_confusables(text) == (text, False)


def test_digits_read_as_letters_only_inside_words() -> None:
    assert fold_digits("0sama") == "osama"
    assert fold_digits("a1") == "al"
    assert fold_digits("2hang") == "zhang"
    assert fold_digits("9339301") == "9339301"
    assert fold_digits("a8lu7") == "ablut"


def test_ascii_fold_spells_out_slavic_letters() -> None:
    assert ascii_fold("Abramovič") == "abramovich"
    assert ascii_fold("Ŝukin") == "shchukin"
    assert ascii_fold("Müller") == "muller"
    assert ascii_fold("Łukasz Straße") == "lukasz strasse"
    assert ascii_fold("Arkadʹevič") == "arkadevich"


def test_lower_and_remove_punctuation() -> None:
    assert lower_and_remove_punctuation("ANGLO-CARIBBEAN CO., LTD.") == "anglo caribbean co ltd"
    assert lower_and_remove_punctuation("Banco.Nacional_de@Cuba") == "banco nacional de cuba"
    assert lower_and_remove_punctuation(".,!@#$%^&*()") == ""
    assert lower_and_remove_punctuation("") == ""
