"""Known given names of different groups are different names, however few letters apart;
equivalent national forms of one name stay equal."""

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
