"""The parse context: what a parser uses to build entities, clean values and record issues.

A parser never writes to the store and never swallows a bad value: every value goes
through `add`, which cleans it to its FtM type or records an Issue saying why not.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import model
from followthemoney.types import registry
from followthemoney.types.common import PropertyType

from pressurepoint.ingest.cleaning import parse_dates
from pressurepoint.model import Entity, Issue, Value
from pressurepoint.sources.spec import SourceSpec

STATUS_PROP = "status"
STATUS_RULE_PROP = "pp:statusRule"
_UNSAFE_ID = re.compile(r"[^a-z0-9.]+")


# Types with a small vocabulary whose cleaning is worth remembering (country names are
# looked up through a large alias table; a list repeats "Russia" thousands of times).
_MEMO_TYPES = frozenset({"country", "gender", "language", "topic"})
_MEMO: dict[tuple[str, str], str | None] = {}


def _clean(prop_type: PropertyType, text: str) -> str | None:
    if prop_type.name not in _MEMO_TYPES:
        return prop_type.clean(text)
    key = (prop_type.name, text)
    if key not in _MEMO:
        _MEMO[key] = prop_type.clean(text)
    return _MEMO[key]


# FtM's cleaning of these types changes nothing in a single-spaced value of printable
# ASCII (no NFC change, no unsafe characters, nothing to strip; names lose surrounding
# quotes, so a quoted name still goes through FtM). Most values of a list are like that,
# and FtM's full cleaning of every value is a large part of a load's time.
_PLAIN_KINDS = frozenset({"string", "identifier", "name"})
_QUOTES = "\"'"
# ASCII characters FtM deletes from free text (controls other than tab, line feed, return).
_TEXT_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_KNOWN_SCHEMATA: set[str] = set()
# (schema, property) -> (how `add` treats it: "date", "text" or the type name; FtM type)
_PROPS: dict[tuple[str, str], tuple[str, PropertyType]] = {}


def _prop_kind(schema_name: str, prop: str) -> tuple[str, PropertyType]:
    found = _PROPS.get((schema_name, prop))
    if found is None:
        schema = model.get(schema_name)
        assert schema is not None
        prop_obj = schema.get(prop)
        if prop_obj is None:
            raise ValueError(f"{schema_name} has no property {prop!r}")
        prop_type = prop_obj.type
        kind = ("date" if prop_type is registry.date else
                "text" if prop_type is registry.text else prop_type.name)
        found = _PROPS[(schema_name, prop)] = (kind, prop_type)
    return found


def _clean_plain(kind: str, prop_type: PropertyType, text: str) -> str | None:
    """FtM's cleaning of a whitespace-collapsed value, without its cost where it is a no-op."""
    if (kind in _PLAIN_KINDS and text.isascii() and text.isprintable()
            and not (text[0] in _QUOTES and text[-1] in _QUOTES)):
        return text
    return _clean(prop_type, text)


def _clean_text(prop_type: PropertyType, text: str) -> str | None:
    """FtM's cleaning of a stripped free-text value (line breaks kept)."""
    if text.isascii() and _TEXT_UNSAFE.search(text) is None:
        return text
    return _clean(prop_type, text)


_DATE_MEMO: dict[str, list[str] | None] = {}


def _parse_dates_memo(text: str) -> list[str] | None:
    """Listing and birth dates repeat thousands of times in one list."""
    if text not in _DATE_MEMO:
        if len(_DATE_MEMO) > 200_000:
            _DATE_MEMO.clear()
        _DATE_MEMO[text] = parse_dates(text)
    return _DATE_MEMO[text]


@dataclass
class ParseContext:
    """State of one parse: the source, the files, the issues found, the stated date."""

    source: SourceSpec
    path: Path
    companions: dict[str, Path] = field(default_factory=dict)
    published_at: str | None = None
    published_basis: str | None = None
    issues: list[Issue] = field(default_factory=list)

    # -- ids and entities -------------------------------------------------------------
    @property
    def id_prefix(self) -> str:
        """Source id as an id prefix: FtM entity ids allow letters, digits, "." and "-"
        only, so "ofac_sdn" becomes "ofac-sdn"."""
        return self.source.id.replace("_", "-")

    def make_id(self, *parts: object) -> str:
        """A stable entity id from publisher ids: "<source>-<parts>" (hashed if long)."""
        texts = []
        for part in parts:
            if part is not None:
                text = part if isinstance(part, str) else str(part)
                if text:
                    texts.append(text)
        text = "-".join(texts)
        slug = _UNSAFE_ID.sub("-", text.lower()).strip("-")
        if not slug or len(slug) > 64:
            slug = hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]
        return f"{self.id_prefix}-{slug}"

    def entity(self, schema: str, *id_parts: object) -> Entity:
        """A new entity of a FtM schema with an id made from the publisher's ids."""
        if schema not in _KNOWN_SCHEMATA:
            if model.get(schema) is None:
                raise ValueError(f"unknown FtM schema {schema!r}")
            _KNOWN_SCHEMATA.add(schema)
        return Entity(id=self.make_id(*id_parts), schema=schema)

    # -- values -----------------------------------------------------------------------
    def add(
        self,
        entity: Entity,
        prop: str,
        raw: object,
        *,
        lang: str | None = None,
        location: str | None = None,
    ) -> bool:
        """Clean `raw` to the type of `prop` and add it; an unusable value becomes an Issue.

        Empty values are ignored (an empty cell is not a problem). Returns True if a value
        was added.
        """
        kind, prop_type = _prop_kind(entity.schema, prop)
        if raw is None:
            return False
        if kind == "date":
            return self._add_dates(entity, prop, raw, location)
        if kind == "text":
            text = str(raw).strip()
            if not text:
                return False
            cleaned = _clean_text(prop_type, text)
        else:
            text = " ".join(str(raw).split())
            if not text:
                return False
            cleaned = _clean_plain(kind, prop_type, text)
        if cleaned is None:
            self.issue(
                f"invalid_{prop_type.name}",
                f"{prop}: cannot read {text[:80]!r} as a {prop_type.name}",
                record_id=entity.id, prop=prop, value=text, location=location,
            )
            return False
        original = text if cleaned != text else None
        entity.put(prop, Value(str(cleaned), lang, original))
        return True

    def add_many(self, entity: Entity, prop: str, raws: Iterable[object], **kw: str | None) -> None:
        """`add` for each value."""
        for raw in raws:
            self.add(entity, prop, raw, lang=kw.get("lang"), location=kw.get("location"))

    def _add_dates(self, entity: Entity, prop: str, raw: object, location: str | None) -> bool:
        text = str(raw).strip()
        if not text:
            return False
        dates = _parse_dates_memo(text) if isinstance(raw, str) else parse_dates(raw)
        if dates is None:
            self.issue("invalid_date", f"{prop}: cannot read {text[:80]!r} as a date",
                       record_id=entity.id, prop=prop, value=text, location=location)
            return False
        original = text if not isinstance(raw, str) or [text] != dates else None
        for value in dates:
            entity.put(prop, Value(value, None, original))
        return True

    # -- issues and dates -------------------------------------------------------------
    def issue(
        self,
        code: str,
        message: str,
        *,
        record_id: str | None = None,
        prop: str | None = None,
        value: str | None = None,
        location: str | None = None,
        level: str = "warning",
    ) -> None:
        """Record a row-level problem. The run goes on."""
        self.issues.append(Issue(code, message, record_id, prop, value, location, level))

    def set_published(self, raw: object, basis: str) -> None:
        """The publication date or time the file itself states (e.g. "Last Updated")."""
        stated = parse_published(raw)
        if stated is None:
            self.issue("invalid_published_date", f"cannot read publication date {raw!r}",
                       value=str(raw), location=basis)
            return
        self.published_at = stated
        self.published_basis = basis

    def companion(self, pattern: str) -> Path | None:
        """A companion file of this run by its lower-case name without .gz (e.g. "alt.csv")."""
        return self.companions.get(pattern)

    # -- designations -----------------------------------------------------------------
    def sanction(self, target: Entity, key: object, *, location: str | None = None,
                 **props: object) -> Entity:
        """A Sanction (designation) of `target` by this source's authority.

        `key` distinguishes several listings of one target (e.g. the regime); `location`
        says where issues with its values are in the file. `props` are
        FtM Sanction properties (program, listingDate, endDate, reason, recordId,
        sourceUrl, authorityId, provisions, status...); list values add each element.
        The status and its rule are decided by the runner when the parser gives none.
        """
        sanction = self.entity("Sanction", target.id.removeprefix(self.id_prefix + "-"),
                               "sanction", key)
        sanction.put("entity", Value(target.id))
        sanction.put("authority", Value(self.source.publisher))
        sanction.put("country", Value(self.source.authority_country))
        for prop, raw in props.items():
            values = raw if isinstance(raw, list | tuple) else [raw]
            for value in values:
                self.add(sanction, prop, value, location=location)
        return sanction

    def set_status(self, sanction: Entity, status: str, rule: str) -> None:
        """State a designation's status (active / lifted / unknown) and the rule behind it."""
        assert status in {"active", "lifted", "unknown"}
        sanction.props[STATUS_PROP] = [Value(status)]
        sanction.props[STATUS_RULE_PROP] = [Value(rule)]


def parse_published(raw: object) -> str | None:
    """A publication stamp as "YYYY-MM-DDTHH:MM:SS" (UTC where the file says so)."""
    from datetime import UTC, date, datetime

    if isinstance(raw, datetime):
        moment = raw.astimezone(UTC).replace(tzinfo=None) if raw.tzinfo else raw
        return moment.replace(microsecond=0).isoformat()
    if isinstance(raw, date):
        return f"{raw.isoformat()}T00:00:00"
    text = str(raw).strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        from pressurepoint.ingest.cleaning import parse_date

        day = parse_date(text)
        if day is None or len(day) != 10:
            return None
        return f"{day}T00:00:00"
    return parse_published(moment)
