"""Statements: one value of one property of one source record, with its history.

The id is FollowTheMoney's statement key (sha1 of source + entity + prop + value + lang),
so an identical file reloaded yields identical ids and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from followthemoney.statement import Statement

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


def statement_id(source: str, entity_id: str, prop: str, value: str, lang: str | None) -> str:
    key = Statement.make_key(source, entity_id, prop, value, False, lang)
    assert key is not None  # prop and value are never None here
    return str(key)


def statements_of(source: str, entities: Iterable[Entity]) -> Iterator[StatementRow]:
    """Every statement of the given entities, including the `id` existence statement."""
    for entity in entities:
        yield StatementRow(
            statement_id(source, entity.id, ID_PROP, entity.id, None),
            entity.id, entity.schema, ID_PROP, entity.id, None, None, source,
        )
        seen: set[str] = set()
        for prop, value in entity.values():
            key = statement_id(source, entity.id, prop, value.value, value.lang)
            if key in seen:  # same value written two ways: one statement, first original
                continue
            seen.add(key)
            yield StatementRow(key, entity.id, entity.schema, prop, value.value, value.lang,
                               value.original, source)
