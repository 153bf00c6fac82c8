"""Evidence from the parts of person names: known given names of different groups are
different names, however few letters apart; a record's patronymics count across all its
names; equivalent national forms of one name stay equal."""

from __future__ import annotations

from pressurepoint.resolve.matcher import default_matcher


def _score(left: str, right: str) -> float:
    matcher = default_matcher()
    return matcher.score(matcher.prepare("Person", {"name": [left]}),
                         matcher.prepare("Person", {"name": [right]}))


def test_different_known_given_names_do_not_match() -> None:
    assert _score("Maria Ivanova", "Daria Ivanova") < 0.5
    assert _score("Morozova Mariia", "Daria Vasilevna MOROZOVA") < 0.5
    assert _score("Oleg Sidorov", "Olga Sidorova") < 0.5


def test_equivalent_national_forms_still_match() -> None:
    assert _score("Volodymyr Zelenskyy", "Vladimir Zelensky") >= 0.9
    assert _score("Mariia Ivanova", "Мария Иванова") >= 0.9


def test_a_record_alias_without_patronymic_does_not_hide_a_different_one() -> None:
    matcher = default_matcher()
    query = matcher.prepare("Person", {"name": ["Fomin Yuri Vladimirovich"]})
    listed = matcher.prepare("Person", {"name": ["Yuri Alexandrovich FOMIN", "Jurij FOMIN"]})
    explanation = matcher.explain(query, listed)
    assert explanation["patronymic"] < 0
    assert matcher.score(query, listed) < 0.7
    same = matcher.prepare("Person", {"name": ["Зеленский Владимир Александрович"]})
    assert _score("Zelensky Volodymyr Oleksandrovych", "Зеленский Владимир Александрович") > 0.9
    assert "patronymic" not in matcher.explain(
        matcher.prepare("Person", {"name": ["Zelensky Volodymyr Oleksandrovych"]}), same)
