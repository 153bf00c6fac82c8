"""The screening engine: a name (and birth date, country, identifiers) against every
record of the sanctions sources, answered from memory, without a search server.

`ScreeningIndex.build(store)` reads the target records of the sanctions sources (every
spelling any file ever gave them), prepares them for the pp-v2 scorer, and keeps:

- an inverted index of the matcher's blocking keys (identifiers, name keys, name words
  in their spelling variants) with an inverse document frequency per key;
- per record its source, schema, canonical entity (from `resolve`) and display name;
- per canonical entity which jurisdictions list it today or lifted its listing.

A query is prepared the same way; its keys pick the CANDIDATES records sharing the rarest
keys (plus every record sharing an identifier), those are scored with the matcher (a
score floor lets the name comparison stop early), and the hits are grouped by canonical
entity (best record score). Explanations are built only for the hits returned.

Everything is plain Python objects, so a worker forked after the build shares it (the
server loads the index once and forks its workers; `screen` forks its own).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model

from pressurepoint.errors import InvalidInput
from pressurepoint.names.forms import ORG
from pressurepoint.resolve.features import SCHEMA_KINDS, Prepared
from pressurepoint.resolve.matcher import DefaultMatcher
from pressurepoint.resolve.scorer import DEFAULT_THRESHOLD, SCORER_VERSION
from pressurepoint.screening import lineage
from pressurepoint.store import Store

#: Records scored per query: those sharing the rarest keys with it (identifier matches
#: come on top), at most PER_ENTITY of one canonical entity. Enough to find a listed person
#: under any of its spellings; few enough to answer hundreds of queries a second.
CANDIDATES = 12
PER_ENTITY = 2
#: A key held by more records than this proposes no candidates alone (a common surname).
MAX_POSTING = 600
#: Hits scoring below this are not returned at all (they are not worth a look).
DEFAULT_CUTOFF = 0.5
#: Limits of one query, so that no request can make the engine work for long.
MAX_VALUES = 50
MAX_VALUE_LENGTH = 500
MAX_LIMIT = 100
#: Statuses a jurisdiction can have of an entity in `MatchHit.jurisdictions`.
LISTED, LIFTED = "listed", "lifted"

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MatchQuery:
    """What to screen: a FtM schema and FtM properties (name, birthDate, nationality,
    country, innCode, imoNumber, passportNumber...)."""

    schema: str
    properties: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class MatchHit:
    """One canonical entity found for a query."""

    id: str  # canonical entity id (resolver's), or the record id when unresolved
    caption: str  # best display name
    schema: str
    score: float  # 0..1, pp-v2
    match: bool  # score >= threshold
    explanation: dict[str, Any]  # per-feature contributions (the matcher's explain())
    sources: tuple[str, ...]  # source ids holding a record of it
    jurisdictions: dict[str, str]  # code -> "listed" | "lifted" (no listing: absent)
    records: tuple[str, ...] = ()  # the source records of it in the index
    record: str = ""  # the record that scored best


@dataclass(frozen=True)
class SearchHit:
    """One canonical entity whose names hold the searched words."""

    id: str
    caption: str
    schema: str
    score: float  # how well its best name matches the text (pp-v2 name score)
    sources: tuple[str, ...]
    jurisdictions: dict[str, str]
    countries: tuple[str, ...]


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    #: facet -> value -> number of matching entities ("schema", "country", "jurisdiction")
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Entry:
    """What the index keeps of one record besides its prepared form."""

    id: str
    schema: str
    source: str
    canonical: str
    caption: str
    countries: tuple[str, ...]
    fingerprint: str


@dataclass
class Canonical:
    """What the index keeps of one canonical entity."""

    id: str
    caption: str
    schema: str
    records: list[int]
    jurisdictions: dict[str, str]

    def sources(self, entries: Sequence[Entry]) -> tuple[str, ...]:
        return tuple(sorted({entries[n].source for n in self.records}))


class ScreeningIndex:
    """See the module docstring. Build with `build`; `match` and `search` are safe to
    call from many threads at once."""

    def __init__(self, entries: list[Entry], records: list[Prepared],
                 postings: dict[str, tuple[int, ...]], canonicals: dict[str, Canonical],
                 source_jurisdiction: dict[str, str], version: str,
                 numbers_below: int) -> None:
        self.entries = entries
        self.records = records
        self.postings = postings
        self.canonicals = canonicals
        self.source_jurisdiction = source_jurisdiction
        self.version = version
        #: every name number in `records` is below this (`pressurepoint.screening.lineage`)
        self.numbers_below = numbers_below
        self.matcher = DefaultMatcher()
        self._weights = {k: math.log((len(entries) + 1) / len(v)) for k, v in postings.items()}
        self._allowed: dict[frozenset[str], frozenset[str]] = {}

    # -- building ------------------------------------------------------------------------
    @classmethod
    def build(cls, store: Store, progress: Progress | None = None, *,
              previous: ScreeningIndex | None = None, version: str | None = None
              ) -> ScreeningIndex:
        """Index the store's sanctions records. Records whose matching values did not
        change since `previous` (an index of the same process) keep their prepared form."""
        from pressurepoint.screening.building import build_index

        return build_index(cls, store, progress, previous=previous, version=version)

    def __getstate__(self) -> dict[str, Any]:
        return {"entries": self.entries, "records": self.records, "postings": self.postings,
                "canonicals": self.canonicals, "source_jurisdiction": self.source_jurisdiction,
                "version": self.version, "numbers_below": self.numbers_below}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]

    # -- what it holds -------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.entries)

    @property
    def jurisdictions(self) -> list[str]:
        return sorted(set(self.source_jurisdiction.values()))

    @property
    def sources(self) -> list[str]:
        return sorted(self.source_jurisdiction)

    def canonical(self, entity_id: str) -> Canonical | None:
        """The canonical entity of this id, or of the record with this id."""
        found = self.canonicals.get(entity_id)
        if found is None:
            number = self._record_number(entity_id)
            if number is not None:
                found = self.canonicals.get(self.entries[number].canonical)
        return found

    def properties(self, canonical_id: str) -> dict[str, list[str]]:
        """The matching values (names, dates, countries, identifiers) of an entity's
        records, merged. Read from the prepared records: only what the scorer reads."""
        found = self.canonicals.get(canonical_id)
        props: dict[str, list[str]] = {}
        for n in found.records if found else ():
            for prop, values in self._values(n).items():
                merged = props.setdefault(prop, [])
                merged.extend(v for v in values if v not in merged)
        return props

    def _values(self, n: int) -> dict[str, list[str]]:
        prepared = self.records[n]
        out: dict[str, list[str]] = {"name": [f.text for f in prepared.names]}
        dates = ["-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(d) if p)
                 for d in prepared.dates]
        if dates:
            out["incorporationDate" if prepared.kind == ORG else "birthDate"] = dates
        if prepared.countries:
            out["country"] = sorted(prepared.countries)
        return out

    def _record_number(self, record_id: str) -> int | None:
        if not hasattr(self, "_numbers"):
            self._numbers = {e.id: n for n, e in enumerate(self.entries)}
        return self._numbers.get(record_id)

    # -- matching ------------------------------------------------------------------------
    def match(self, query: MatchQuery, *, limit: int = 5, threshold: float = DEFAULT_THRESHOLD,
              cutoff: float = DEFAULT_CUTOFF, datasets: Collection[str] | None = None,
              exclude: Collection[str] = ()) -> list[MatchHit]:
        """The entities most like `query`, best first, at most `limit`, none below
        `cutoff`. `datasets`: source ids and/or jurisdiction codes to include (None: all);
        `exclude`: source ids and/or jurisdiction codes to leave out. Raises InvalidInput
        for an unknown schema or property, an invalid date, a value too long, or a query
        with neither a usable name nor an identifier."""
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
        prepared = prepare_query(self.matcher, query)
        allowed = self._allowed_sources(datasets, exclude)
        best: dict[str, tuple[float, int, tuple[int, int]]] = {}
        floor = min(cutoff, threshold)
        for n in self._candidates(prepared, allowed):
            # below the limit-th best score so far, a record cannot make the results: its
            # name comparison may stop early
            score, li, ri = self.matcher.score_floor_names(prepared, self.records[n], floor)
            if score < floor:
                continue
            canonical = self.entries[n].canonical
            found = best.get(canonical)
            if found is None or score > found[0] or (score == found[0] and n < found[1]):
                best[canonical] = (score, n, (li, ri))
                if len(best) >= limit:
                    floor = max(floor, sorted(v[0] for v in best.values())[-limit])
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [self._hit(prepared, canonical, found, threshold) for canonical, found in ranked]

    def _hit(self, prepared: Prepared, canonical_id: str,
             found: tuple[float, int, tuple[int, int]], threshold: float) -> MatchHit:
        score, n, names = found
        entity = self.canonicals[canonical_id]
        # the names that gave the score are known: the explanation does not look again
        explanation = self.matcher.explain(prepared, self.records[n], names)
        explanation["threshold"] = threshold
        return MatchHit(
            id=canonical_id, caption=entity.caption, schema=entity.schema,
            score=round(score, 4), match=score >= threshold, explanation=explanation,
            sources=entity.sources(self.entries), jurisdictions=dict(entity.jurisdictions),
            records=tuple(self.entries[m].id for m in entity.records),
            record=self.entries[n].id,
        )

    def _candidates(self, prepared: Prepared, allowed: frozenset[str] | None) -> list[int]:
        """The records worth scoring, most promising first: the CANDIDATES sharing the
        rarest keys (summed inverse document frequency; ties to the lower number; at most
        PER_ENTITY of one entity), then every one sharing an identifier; of a schema the
        query can be, from the allowed sources."""
        compatible, entries = prepared.compatible, self.entries
        summed, found = self._summed_weights(prepared)
        chosen: list[int] = []
        taken: dict[str, int] = {}
        # the best-weighted records first; most are usable, so a few more than needed
        # are ranked, and all of them only when too many are of another schema or source
        for wanted in (CANDIDATES * PER_ENTITY * 2, len(summed)):
            chosen.clear()
            taken.clear()
            ranked = _best(summed, wanted)
            for n in ranked:
                entry = entries[n]
                if entry.schema not in compatible or (allowed is not None
                                                      and entry.source not in allowed):
                    continue
                if taken.get(entry.canonical, 0) < PER_ENTITY:
                    taken[entry.canonical] = taken.get(entry.canonical, 0) + 1
                    chosen.append(n)
                    if len(chosen) == CANDIDATES:
                        break
            if len(chosen) == CANDIDATES or len(ranked) == len(summed):
                break
        picked = set(chosen)
        chosen.extend(sorted(n for n in found if n not in picked
                             and entries[n].schema in compatible
                             and (allowed is None or entries[n].source in allowed)))
        return chosen

    def _summed_weights(self, prepared: Prepared) -> tuple[dict[int, float], set[int]]:
        """Per record sharing a usable key with the query, the summed weight of those
        keys; and the records sharing an identifier."""
        postings: list[tuple[tuple[int, ...], float]] = []
        found: set[int] = set()
        for key in self.matcher.block_keys(prepared):
            members = self.postings.get(key)
            if members is None:
                continue
            is_id = key.startswith("id:")
            if len(members) > MAX_POSTING and not is_id:
                continue
            postings.append((members, self._weights[key]))
            if is_id:
                found.update(members[:MAX_POSTING])
        if not postings:
            return {}, found
        # The longest posting first, as a dict built in C: most members come from it.
        # Every record's weights are added in one order (this list's), so records
        # sharing the same keys tie exactly.
        postings.sort(key=_posting_length, reverse=True)
        members, weight = postings[0]
        summed = dict.fromkeys(members, weight)
        get = summed.get
        for members, weight in postings[1:]:
            for n in members:
                summed[n] = get(n, 0.0) + weight
        return summed, found

    def _allowed_sources(self, datasets: Collection[str] | None, exclude: Collection[str]
                         ) -> frozenset[str] | None:
        """The sources a query may find records of; None for all of them."""
        if not datasets and not exclude:
            return None
        key = frozenset(datasets or ()) | frozenset(f"-{x}" for x in exclude)
        found = self._allowed.get(key)
        if found is None:
            included = self._sources_of(datasets) if datasets else set(self.sources)
            found = frozenset(included - self._sources_of(exclude))
            self._allowed[key] = found
        return found

    def _sources_of(self, names: Iterable[str]) -> set[str]:
        """Sources named by id or by jurisdiction code; InvalidInput names unknown ones."""
        out: set[str] = set()
        for name in names:
            matched = {s for s, j in self.source_jurisdiction.items()
                       if name == s or name.upper() == j}
            if not matched:
                raise InvalidInput(
                    f"unknown dataset {name[:60]!r}: use a source id "
                    f"({', '.join(self.sources)}) or a jurisdiction "
                    f"({', '.join(self.jurisdictions)})")
            out |= matched
        return out

    def is_dataset(self, name: str) -> bool:
        """Whether `name` is "default", a loaded source id or a jurisdiction code."""
        return name == "default" or name in self.source_jurisdiction or \
            name.upper() in self.jurisdictions

    # -- full-text search ----------------------------------------------------------------
    def search(self, text: str, *, limit: int = 20, offset: int = 0,
               schema: str | None = None, countries: Collection[str] = (),
               datasets: Collection[str] | None = None,
               keep: Callable[[str], bool] | None = None) -> SearchResult:
        """Entities whose names hold every word of `text` (in any spelling variant the
        names engine knows; words under three letters are ignored), best name match
        first, with counts by schema, country and jurisdiction of all of them. `keep`:
        a test of canonical ids (e.g. changed since a date); the others are left out of
        the hits, the total and the counts."""
        if not text.strip():
            raise InvalidInput("the search text is empty")
        if len(text) > MAX_VALUE_LENGTH:
            raise InvalidInput(f"the search text is longer than {MAX_VALUE_LENGTH} characters")
        if schema is not None and schema not in SCHEMA_KINDS:
            raise InvalidInput(f"unknown schema {schema!r}; use one of "
                               f"{', '.join(sorted(SCHEMA_KINDS))}")
        prepared = self.matcher.prepare(schema or "Thing", {"name": [text]})
        allowed = self._allowed_sources(datasets, ())
        records = self._records_with_all_words(prepared)
        best: dict[str, tuple[float, int]] = {}
        wanted = {c.lower() for c in countries}
        for n in records:
            entry = self.entries[n]
            if allowed is not None and entry.source not in allowed:
                continue
            if schema and entry.schema not in prepared.compatible:
                continue
            if wanted and wanted.isdisjoint(entry.countries):
                continue
            found = best.get(entry.canonical)
            if found is None:
                best[entry.canonical] = (0.0, n)
        if keep is not None:
            best = {canonical: found for canonical, found in best.items() if keep(canonical)}
        for canonical, (_, n) in best.items():
            best[canonical] = (self.matcher.score(prepared, self.records[n]), n)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        hits = [self._search_hit(c, s) for c, (s, _) in ranked[offset:offset + limit]]
        return SearchResult(total=len(ranked), hits=hits, facets=self._facets(best))

    def _records_with_all_words(self, prepared: Prepared) -> set[int]:
        """Records holding, for each word of the text, one of its spellings' keys (or the
        whole text's name key, or an identifier in it)."""
        exact: set[int] = set()
        per_word: list[set[int]] = []
        for form in prepared.names:
            exact.update(self.postings.get(f"k:{form.key}", ()))
            for token in form.toks:
                keys = [f"w:{token.skel}", *(f"w:{v}" for v in token.variants)]
                holders = {n for key in keys for n in self.postings.get(key, ())}
                if len(token.skel) >= 3 or holders:
                    per_word.append(holders)
        for key in prepared.id_keys:
            exact.update(self.postings.get(f"id:{key}", ()))
        matched = set.intersection(*per_word) if per_word else set()
        return matched | exact

    def _search_hit(self, canonical_id: str, score: float) -> SearchHit:
        entity = self.canonicals[canonical_id]
        countries = sorted({c for n in entity.records for c in self.entries[n].countries})
        return SearchHit(id=canonical_id, caption=entity.caption, schema=entity.schema,
                         score=round(score, 4), sources=entity.sources(self.entries),
                         jurisdictions=dict(entity.jurisdictions), countries=tuple(countries))

    def _facets(self, found: Mapping[str, tuple[float, int]]) -> dict[str, dict[str, int]]:
        schemata: Counter[str] = Counter()
        countries: Counter[str] = Counter()
        jurisdictions: Counter[str] = Counter()
        for canonical_id in found:
            entity = self.canonicals[canonical_id]
            schemata[entity.schema] += 1
            countries.update({c for n in entity.records for c in self.entries[n].countries})
            jurisdictions.update(j for j, s in entity.jurisdictions.items() if s == LISTED)
        return {"schema": dict(schemata.most_common()),
                "country": dict(countries.most_common()),
                "jurisdiction": dict(jurisdictions.most_common())}


def _posting_length(posting: tuple[tuple[int, ...], float]) -> int:
    return len(posting[0])


def _best(summed: dict[int, float], wanted: int) -> list[int]:
    """The `wanted` best-weighted records, best first; of equal weights, the lower record
    number first (the numbers are sorted before a stable sort by weight). A query meets
    about a hundred records: sorting them all costs less than a heap; a heap for the rare
    many. The key is the dict's own lookup, so no Python code runs per record."""
    numbers = sorted(summed)
    if len(numbers) <= 8 * wanted:
        return sorted(numbers, key=summed.__getitem__, reverse=True)[:wanted]
    return heapq.nlargest(wanted, numbers, key=summed.__getitem__)


# -- queries -------------------------------------------------------------------------------
def prepare_query(matcher: DefaultMatcher, query: MatchQuery) -> Prepared:
    """Check a query and prepare it (see `ScreeningIndex.match` for what is refused)."""
    if query.schema not in SCHEMA_KINDS:
        raise InvalidInput(f"unknown schema {query.schema[:60]!r}; use one of "
                           f"{', '.join(sorted(SCHEMA_KINDS))}")
    schema = model.get(query.schema)
    props: dict[str, list[str]] = {}
    for prop, values in query.properties.items():
        if schema is None or schema.get(prop) is None:
            raise InvalidInput(f"unknown property {prop[:60]!r} of {query.schema}")
        if isinstance(values, str):
            values = [values]
        if len(values) > MAX_VALUES:
            raise InvalidInput(f"{prop}: more than {MAX_VALUES} values")
        for value in values:
            if not isinstance(value, str):
                raise InvalidInput(f"{prop}: values must be strings")
            if len(value) > MAX_VALUE_LENGTH:
                raise InvalidInput(f"{prop}: a value longer than {MAX_VALUE_LENGTH} "
                                   "characters")
        props[prop] = [v for v in values if v.strip()]
    prepared = matcher.prepare(query.schema, props)
    for code, message in prepared.problems:
        if code in ("invalid_date", "name_too_long"):
            raise InvalidInput(message)
    if not prepared.names and not prepared.id_keys:
        raise InvalidInput("the query has no usable name and no identifier")
    return prepared


def scorer_version() -> str:
    return SCORER_VERSION


def adopt_numbering(index: ScreeningIndex) -> None:
    """Make this process able to score against an index prepared by another one (call
    before anything else was matched; see `pressurepoint.screening.lineage`)."""
    lineage.adopt(index.numbers_below)
