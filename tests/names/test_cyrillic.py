"""Romanisation standards: the tables reproduce the standards' own examples."""

from __future__ import annotations

import pytest

from pressurepoint.names import romanise
from pressurepoint.names.cyrillic import SYSTEMS, cyrillic_language, to_latin_cyrillic

# Examples printed in the Ukrainian Cabinet of Ministers resolution 55 of 27 January 2010.
UKRAINIAN_2010 = {
    "Алушта": "Alushta", "Андрій": "Andrii", "Борщагівка": "Borshchahivka",
    "Вінниця": "Vinnytsia", "Гадяч": "Hadiach", "Згорани": "Zghorany", "Ґалаґан": "Galagan",
    "Рівне": "Rivne", "Єнакієве": "Yenakiieve", "Наєнко": "Naienko", "Житомир": "Zhytomyr",
    "Закарпаття": "Zakarpattia", "Іршава": "Irshava", "Їжакевич": "Yizhakevych",
    "Кадиївка": "Kadyivka", "Йосипівка": "Yosypivka", "Стрий": "Stryi", "Олексій": "Oleksii",
    "Київ": "Kyiv", "Миколаїв": "Mykolaiv", "Ужгород": "Uzhhorod", "Харків": "Kharkiv",
    "Біла Церква": "Bila Tserkva", "Гоща": "Hoshcha", "Юрій": "Yurii",
    "Корюківка": "Koriukivka", "Яготин": "Yahotyn", "Костянтин": "Kostiantyn",
    "Знам'янка": "Znamianka", "Феодосія": "Feodosiia", "Розгон": "Rozghon",
}


@pytest.mark.parametrize(("cyrillic", "latin"), sorted(UKRAINIAN_2010.items()))
def test_ukrainian_national_system(cyrillic: str, latin: str) -> None:
    assert romanise(cyrillic, "ua_2010") == latin


def test_icao_passport_spellings() -> None:
    assert romanise("Юлия Наталья Дмитрий", "icao") == "Iuliia Natalia Dmitrii"
    assert romanise("Фёдор Щербаков Объедков", "icao") == "Fedor Shcherbakov Obieedkov"
    assert romanise("ЗЕЛЕНСЬКИЙ", "icao") == "ZELENSKII"


def test_bgn_pcgn_agrees_with_icu() -> None:
    icu = pytest.importorskip("icu")
    transform = icu.Transliterator.createInstance("Russian-Latin/BGN")
    for name in ("Абрамович Роман Аркадьевич", "Щукин Юрий", "Ёлкин", "Хрущёв",
                 "Объедков", "Подъячев", "Ельцин Борис Николаевич", "Соловьёв"):
        assert romanise(name, "bgn_pcgn") == transform.transliterate(name)


def test_iso9_is_one_letter_per_letter() -> None:
    assert romanise("Щукин Юрий Хрущёв", "iso9") == "Ŝukin Ûrij Hruŝëv"


def test_press_conventions() -> None:
    assert romanise("Абрамович", "fr") == "Abramovitch"
    assert romanise("Путин", "fr") == "Poutine"
    assert romanise("Сергей Хрущёв", "fr") == "Sergueï Khrouchtchov"
    assert romanise("Ходорковский", "de") == "Chodorkowski"
    assert romanise("Ельцин Юрий", "de") == "Jelzin Juri"
    assert romanise("Горбачёв", "de") == "Gorbatschow"


def test_belarusian_systems() -> None:
    assert romanise("Аляксандр Лукашэнка", "by_passport") == "Aliaksandr Lukashenka"
    assert romanise("Сяргей", "by_passport") == "Siarhei"
    assert romanise("Аляксандр Рыгоравіч", "by_bgn") == "Alyaksandr Ryhoravich"


def test_other_text_is_kept_and_case_follows_the_word() -> None:
    assert romanise("ООО «Ромашка» (Moscow)", "icao") == "OOO «Romashka» (Moscow)"
    assert romanise("", "icao") == ""
    with pytest.raises(KeyError):
        romanise("Иван", "klingon")


def test_language_from_letters() -> None:
    assert cyrillic_language("Зеленський Володимир") == "uk"
    assert cyrillic_language("Лукашэнка Аляксандр Рыгоравіч") == "be"
    assert cyrillic_language("Ўладзімір") == "be"
    assert cyrillic_language("Путин") == "ru"
    assert to_latin_cyrillic("Гаврилюк") == "Gavrilyuk"  # no Ukrainian-only letter: Russian
    assert to_latin_cyrillic("Гаврилюк Євген") == "Havryliuk Yevhen"


def test_every_system_is_complete_for_the_three_alphabets() -> None:
    letters = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяєіїґў"
    for system in SYSTEMS:
        out = romanise(letters, system)
        assert not any("\u0400" <= ch <= "\u04ff" for ch in out), system
