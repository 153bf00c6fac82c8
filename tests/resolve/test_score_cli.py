"""`pressurepoint score`: one answer line per input line; bad lines get an error object."""

from __future__ import annotations

import io
import json

import pytest

from pressurepoint.errors import InvalidInput
from pressurepoint.resolve.score_cli import run_score, score_json_line

GOOD = {"id": "p1", "schema": "Person",
        "left": {"name": ["Абрамович Роман"], "birthDate": ["1966-10-24"]},
        "right": {"name": ["ABRAMOVICH, Roman Arkadyevich"], "birthDate": ["1966-10-24"]}}


def run(lines: list[str], threshold: float | None = None) -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    code = run_score(io.StringIO("\n".join(lines) + "\n"), out, threshold)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_a_good_line() -> None:
    answer = json.loads(score_json_line(json.dumps(GOOD)))
    assert answer["id"] == "p1" and answer["match"] is True and answer["score"] == 1.0
    assert answer["explanation"]["scorer"] == "pp-v2"
    assert answer["explanation"]["birth_date"] == 0.08


def test_bad_lines_get_errors_and_the_run_goes_on() -> None:
    lines = [
        json.dumps(GOOD),
        "{not json",
        json.dumps({**GOOD, "id": "empty", "left": {"name": [""]}}),
        json.dumps({**GOOD, "id": "punct", "left": {"name": ["!!!", "12345"]}}),
        json.dumps({**GOOD, "id": "long", "left": {"name": ["x" * 10_000]}}),
        json.dumps({**GOOD, "id": "date", "left": {"name": ["A B"], "birthDate": ["1966-13-45"]}}),
        json.dumps({**GOOD, "id": "circa", "left": {"name": ["A B"], "birthDate": ["circa 1960"]}}),
        json.dumps({**GOOD, "id": "schema", "schema": "Starship"}),
        json.dumps({**GOOD, "id": "prop", "left": {"name": ["A B"], "birthdate": ["1960"]}}),
        json.dumps({**GOOD, "id": "value", "left": {"name": [1966]}}),
        json.dumps({**GOOD, "id": "side", "right": None}),
        json.dumps([1, 2]),
        "",
        json.dumps({**GOOD, "id": "last"}),
    ]
    code, answers = run(lines)
    assert code == 1
    errors = {a["id"]: a["error"]["code"] for a in answers if "error" in a}
    assert errors == {None: "invalid_line", "empty": "no_name", "punct": "no_name",
                      "long": "no_name", "date": "invalid_date", "circa": "invalid_date",
                      "schema": "unknown_schema", "prop": "unknown_property",
                      "value": "invalid_property", "side": "invalid_line"}
    assert [a["error"]["code"] for a in answers if "error" in a and a["id"] is None] == [
        "invalid_json", "invalid_line"]
    assert [a["id"] for a in answers if "score" in a] == ["p1", "last"]
    assert len(answers) == len(lines) - 1  # the blank line gets no answer


def test_messages_say_what_and_where() -> None:
    answer = json.loads(score_json_line(json.dumps(
        {**GOOD, "left": {"name": ["A B"], "birthDate": ["1966-13-45"]}})))
    assert answer["error"]["message"] == (
        "left: birthDate: '1966-13-45' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")


def test_warnings_do_not_stop_scoring() -> None:
    line = {**GOOD, "left": {"name": ["КАRIМОV Мuhammad", "!!!"]},
            "right": {"name": ["Karimov Muhammad"]}}
    answer = json.loads(score_json_line(json.dumps(line)))
    assert answer["match"] is True
    assert "look-alike letters" in answer["explanation"]["warnings"]
    assert "no letters in name '!!!'" in answer["explanation"]["warnings"]


def test_entities_and_schemaless_sides() -> None:
    line = {"id": 7, "left": {"schema": "Person", "properties": {"name": ["Gazprom"]}},
            "right": {"schema": "Company", "properties": {"name": ["Gazprom"]}}}
    answer = json.loads(score_json_line(json.dumps(line)))
    assert answer["id"] == 7 and answer["score"] == 0.0 and answer["match"] is False
    line = {"id": "q", "left": {"name": ["NS LEADER"]},
            "right": {"schema": "Vessel", "properties": {"name": ["NS LEADER"]}}}
    assert json.loads(score_json_line(json.dumps(line)))["match"] is True


def test_identifier_without_name_is_enough_to_score() -> None:
    line = {"id": "v", "schema": "Vessel", "left": {"imoNumber": ["9339301"]},
            "right": {"name": ["NS LEADER"], "imoNumber": ["IMO 9339301"]}}
    answer = json.loads(score_json_line(json.dumps(line)))
    assert answer["match"] is True and "no usable name" in answer["explanation"]["warnings"]


def test_threshold() -> None:
    line = {**GOOD, "right": {"name": ["Abramovich Roman Arkadyevich"]}}
    code, answers = run([json.dumps(line)], 0.99)
    assert code == 0 and answers[0]["match"] is False
    with pytest.raises(InvalidInput):
        run([json.dumps(GOOD)], 1.5)
