"""Statements: one value of one property of one source record, with its history.

The id is FollowTheMoney's statement key (sha1 of source + entity + prop + value + lang),
so an identical file reloaded yields identical ids and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from hashlib import sha1
from typing import NamedTuple

from pressurepoint.model.entity import Entity

# FtM's pseudo-property that records that an entity exists in a source at all.
ID_PROP = "id"
# Statements about our own bookkeeping that are not FtM properties start with this; they
# are kept out of FtM exports (e.g. the rule that decided a designation's status).
META_PREFIX = "pp:"


class StatementRow(NamedTuple):
    """A statement as it is written to the store for one run."""

    id: str
    entity_id: str
    schema: str
    prop: str
    value: str
    lang: str | None
    original_value: str | None
    source: str


# A StatementRow as a plain tuple (how statements travel between processes).
StatementTuple = tuple[str, str, str, str, str, str | None, str | None, str]


def statement_id(source: str, entity_id: str, prop: str, value: str, lang: str | None) -> str:
    """FollowTheMoney's `Statement.make_key(source, entity_id, prop, value, False, lang)`:
    sha1 of "source.entity.prop.value" (+ "@lang"), UTF-8. Written out here because a
    full load hashes millions of statements; tests pin it to FtM's function."""
    key = f"{source}.{entity_id}.{prop}.{value}"
    if lang is not None:
        key = f"{key}@{lang}"
    return sha1(key.encode("utf-8")).hexdigest()


def statements_of(source: str, entities: Iterable[Entity]) -> Iterator[StatementRow]:
    """Every statement of the given entities, including the `id` existence statement.

    A value written two ways (same value and language, different original text) is one
    statement, with the first original."""
    row = tuple.__new__  # StatementRow without the cost of its keyword-aware constructor
    for entity in entities:
        entity_id, schema = entity.id, entity.schema
        head = f"{source}.{entity_id}."
        key = f"{head}{ID_PROP}.{entity_id}"
        yield row(StatementRow, (sha1(key.encode("utf-8")).hexdigest(), entity_id, schema,
                                 ID_PROP, entity_id, None, None, source))
        for prop, values in entity.props.items():
            prop_head = f"{head}{prop}."
            seen: set[str] | None = set() if len(values) > 1 else None
            for value in values:
                text, lang = value.value, value.lang
                key = prop_head + text if lang is None else f"{prop_head}{text}@{lang}"
                statement_key = sha1(key.encode("utf-8")).hexdigest()
                if seen is not None:
                    if statement_key in seen:
                        continue
                    seen.add(statement_key)
                yield row(StatementRow, (statement_key, entity_id, schema, prop, text, lang,
                                         value.original, source))
