"""`pressurepoint score`: score pairs given as JSON lines, one answer line per input line.

Input line::

    {"id": "p1", "schema": "Person",
     "left": {"name": ["Абрамович Роман"], "birthDate": ["1966-10-24"]},
     "right": {"name": ["ABRAMOVICH, Roman Arkadyevich"]}}

Each side is a map of FollowTheMoney properties (lists of strings; a single string is taken
as a one-item list) or a whole FtM entity ``{"schema": ..., "properties": {...}}``, whose
own schema then overrides the line's. Without any schema a side is a "Thing", which can
match a record of any type.

Output line: ``{"id", "score", "match", "explanation"}``, or, when the line cannot be
scored, ``{"id", "error": {"code", "message"}}``. A line is refused — never scored — when
it is not JSON, lacks a side, names an unknown schema, holds a property value that is not
text, or when a side has an invalid date or no usable name and no identifier: a pair that
cannot be judged must not come out as a confident "no match" (or match). Problems that do
not prevent a judgement (an alias of only punctuation, mixed scripts read as look-alikes,
an unknown country) are listed under ``explanation.warnings``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, TextIO

import orjson
from followthemoney import model

from pressurepoint.errors import InvalidInput
from pressurepoint.resolve.features import SCHEMA_KINDS, Prepared, prepare
from pressurepoint.resolve.scorer import score

#: Problems of one side that make a pair unfit to score.
FATAL_PROBLEMS = frozenset({"invalid_date", "no_name"})


class LineError(Exception):
    """One input line that cannot be scored: a code and a one-line message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def score_json_line(line: str, threshold: float | None = None) -> str:
    """Score one input line; returns the output line (without newline)."""
    return orjson.dumps(score_line(line, threshold)).decode()


def score_line(line: str, threshold: float | None = None) -> dict[str, Any]:
    """Score one input line; returns the output object (with "error" if refused)."""
    ident: Any = None
    try:
        try:
            data = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise LineError("invalid_json", f"not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise LineError("invalid_line", "a line must be a JSON object")
        ident = data.get("id")
        left = _side(data, "left")
        right = _side(data, "right")
        result = score(left, right, threshold)
        out: dict[str, Any] = {"id": ident, "score": round(result.score, 4),
                               "match": result.match, "explanation": result.explanation}
    except LineError as exc:
        out = {"id": ident if isinstance(ident, str | int) else None,
               "error": {"code": exc.code, "message": exc.message}}
    return out


def _side(data: dict[str, Any], side: str) -> Prepared:
    raw = data.get(side)
    if not isinstance(raw, dict):
        raise LineError("invalid_line", f"{side!r} must be an object of properties")
    schema = data.get("schema") or "Thing"
    props: Any = raw
    if isinstance(raw.get("properties"), dict):
        schema = raw.get("schema") or schema
        props = raw["properties"]
    if not isinstance(schema, str) or schema not in SCHEMA_KINDS:
        raise LineError("unknown_schema", f"{side}: schema {schema!r} is not one of "
                        f"{', '.join(sorted(SCHEMA_KINDS))}")
    record = prepare(schema, _properties(props, schema, side))
    fatal = [m for code, m in record.problems if code in FATAL_PROBLEMS]
    if fatal and not (record.id_keys and all(
            code == "no_name" for code, _ in record.problems if code in FATAL_PROBLEMS)):
        code = next(c for c, _ in record.problems if c in FATAL_PROBLEMS)
        raise LineError(code, f"{side}: " + "; ".join(fatal))
    return record


@lru_cache(maxsize=32)
def _known_properties(schema: str) -> frozenset[str]:
    """Property names of a schema; for "Thing", those of every schema the scorer knows."""
    names = SCHEMA_KINDS if schema == "Thing" else (schema,)
    return frozenset(p for n in names if (s := model.get(n)) for p in s.properties)


def _properties(raw: dict[str, Any], schema: str, side: str) -> dict[str, list[str]]:
    known = _known_properties(schema)
    props: dict[str, list[str]] = {}
    for prop, values in raw.items():
        if isinstance(values, str):
            values = [values]
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise LineError("invalid_property",
                            f"{side}.{prop}: values must be a list of strings")
        if prop not in known:
            raise LineError("unknown_property",
                            f"{side}.{prop}: not a property of {schema}")
        props[prop] = values
    return props


def run_score(stdin: TextIO, stdout: TextIO, threshold: float | None) -> int:
    """Score every line of `stdin` to `stdout`. Returns 0 if every line was scored, 1 if
    some lines were refused (each has its error line; the run goes on). Raises
    InvalidInput for a threshold outside [0, 1]."""
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise InvalidInput(f"threshold {threshold} is outside 0..1")
    refused = False
    for line in stdin:
        if not line.strip():
            continue
        out = score_line(line, threshold)
        refused = refused or "error" in out
        stdout.write(orjson.dumps(out).decode() + "\n")
    stdout.flush()
    return 1 if refused else 0
