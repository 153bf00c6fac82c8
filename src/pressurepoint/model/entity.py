"""A source record shaped as a FollowTheMoney entity, before it becomes statements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

# The schemata of listed targets: what "records" counts in a run.
TARGET_SCHEMATA = frozenset(
    {"Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"}
)


class Value(NamedTuple):
    """One cleaned value of a property, with its language and the text as published.

    A named tuple: a load makes millions of them, and tuples are built and compared in C."""

    value: str
    lang: str | None = None
    original: str | None = None


@dataclass(slots=True)
class Entity:
    """A FtM-shaped record of one source file: a schema name and property values.

    Values are already cleaned to their FtM type (see `ingest.context.ParseContext.add`).
    """

    id: str
    schema: str
    props: dict[str, list[Value]] = field(default_factory=dict)

    def put(self, prop: str, value: Value) -> None:
        """Add a cleaned value once (duplicates within a record are dropped: same fact)."""
        values = self.props.get(prop)
        if values is None:
            self.props[prop] = [value]
        elif value not in values:
            values.append(value)

    def get(self, prop: str) -> list[str]:
        """The plain values of one property."""
        return [v.value for v in self.props.get(prop, [])]

    def first(self, prop: str) -> str | None:
        """The first value of a property, if any."""
        values = self.props.get(prop)
        return values[0].value if values else None

    def values(self) -> Iterator[tuple[str, Value]]:
        """Every (property, value) pair."""
        for prop, values in self.props.items():
            for value in values:
                yield prop, value

    @property
    def is_target(self) -> bool:
        """True for the listed persons, companies, vessels and aircraft."""
        return self.schema in TARGET_SCHEMATA

    def to_ftm(self) -> dict[str, object]:
        """The FollowTheMoney JSON form (`{"id", "schema", "properties"}`)."""
        return {"id": self.id, "schema": self.schema, "properties": {
            prop: [v.value for v in values] for prop, values in self.props.items() if values
        }}
