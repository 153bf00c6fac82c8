"""One company, one entity: tracker records grouped across trackers and snapshots.

Computed on the fly from the store (no table of its own). Records are joined, strongest
evidence first, unless the join would break a rule:

1. human judgements "same" (the `judgement` table shared with `pressurepoint review`);
2. the same name: equal ``full`` key of any name or alias (`matching.company_keys`);
3. the same company name without legal forms and words of organisation ("Group",
   "Holding"...): equal ``core`` key of any name, alias or abbreviation ("Merck KGaA" /
   "MERCK", "British Petroleum (BP)" / "BP", "ADEO | Leroy Merlin" / "Leroy Merlin"),
   then without generic words too ("PPG Industries" / "PPG");
4. a rename inside one tracker: a record last listed in one snapshot and a record first
   listed in the next one, with the same home country, related names (a word of one
   begins a word of the other: "Exxon" → "Exxonmobil", "Pepsi" → "PepsiCo", "MOLGroup"
   → "MOL Group | MOL Plc."), and either the same words of the tracker (Yale's "action")
   or the same industry.

Rules that refuse a join:

* a human judgement "different" between any two members;
* two records of one tracker listed at the same time (a tracker lists a company once:
  Merck of the US and Merck KGaA of Germany stay apart);
* home countries that share nothing (where both sides state one).

Close calls of the pp-v2 scorer never join automatically: `review.close_pairs` lists
them for human review, and a "same" judgement joins them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import combinations

from pressurepoint.names import ascii_fold
from pressurepoint.sources import SOURCE_MODULES
from pressurepoint.trackers.history import TrackerData, TrackerRecord
from pressurepoint.trackers.matching import NameKeys, company_keys, related_words

#: Records sharing one key beyond this many are not joined on it alone (a key that common
#: is no evidence).
MAX_KEY_GROUP = 12
_ORDER = {source: n for n, source in enumerate(SOURCE_MODULES)}
_TIERS = (("name", "same name"), ("alias", "same name or alias"),
          ("core", "same name without legal form"),
          ("any", "same name, alias or abbreviation without legal form"),
          ("loose", "same name without legal form and generic words"))

Pair = tuple[str, str]
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass
class _Cluster:
    members: list[str]
    countries: set[str] = field(default_factory=set)
    # source -> presence intervals (first_seen, last_seen) of its records
    spans: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class Grouping:
    """Record id → group id, and each group's members (primary record first)."""

    group_of: dict[str, str]
    groups: dict[str, list[str]]
    reasons: dict[Pair, str]  # joined pairs → the rule that joined them


def record_keys(record: TrackerRecord) -> dict[str, set[str]]:
    """The keys of a record by tier: ``name`` (full keys of its names), ``alias`` (full
    keys of names and aliases), ``core`` (core keys of its names), ``any`` (core keys of
    names, aliases and abbreviations), ``loose`` (loose keys of all of them)."""
    tiers: dict[str, set[str]] = {"name": set(), "alias": set(), "core": set(), "any": set(),
                                  "loose": set()}
    for prop in ("name", "alias"):
        for text in record.values.get(prop, {}):
            keys = company_keys(text)
            if keys is None:
                continue
            tiers["alias"].add(keys.full)
            if prop == "name":
                tiers["name"].add(keys.full)
                tiers["core"].add(keys.core)
                tiers["any"].add(_literal(text))
            tiers["any"].add(keys.core)
            tiers["loose"].add(keys.loose)
    # abbreviations are compared letter for letter: as skeletons "NIOC" would meet "NEC"
    tiers["any"].update(_literal(text) for text in record.values.get("abbreviation", {}))
    tiers["any"].discard("=")
    return tiers


def _literal(text: str) -> str:
    return "=" + _NON_ALNUM.sub("", ascii_fold(text))


def group_records(data: TrackerData, judgements: Mapping[Pair, str]) -> Grouping:
    """Group the records (see the module docstring)."""
    records = data.records
    clusters = {rid: _new_cluster(r) for rid, r in records.items()}
    owner = {rid: rid for rid in records}
    different = {pair for pair, verdict in judgements.items() if verdict == "different"}
    reasons: dict[Pair, str] = {}
    for (left, right), why in _edges(data, judgements):
        a, b = owner[left], owner[right]
        if a == b:
            continue
        forced = why == "judged the same"
        if not forced and not _compatible(clusters[a], clusters[b], different):
            continue
        _merge(clusters, owner, a, b)
        reasons[(left, right)] = why
    groups: dict[str, list[str]] = {}
    group_of: dict[str, str] = {}
    for cluster in {id(c): c for c in clusters.values()}.values():
        members = sorted(cluster.members, key=lambda rid: _priority(records[rid]))
        groups[members[0]] = members
        for member in members:
            group_of[member] = members[0]
    return Grouping(group_of, groups, reasons)


def _priority(record: TrackerRecord) -> tuple[int, int, str]:
    return (not record.listed, _ORDER.get(record.source, len(_ORDER)), record.id)


def _new_cluster(record: TrackerRecord) -> _Cluster:
    countries = set(record.values.get("country", {}))
    return _Cluster([record.id], countries,
                    {record.source: [(record.first_seen, record.last_seen)]})


def _compatible(a: _Cluster, b: _Cluster, different: set[Pair]) -> bool:
    if a.countries and b.countries and a.countries.isdisjoint(b.countries):
        return False
    for source, spans in a.spans.items():
        for first, last in b.spans.get(source, ()):
            if any(start <= last and first <= end for start, end in spans):
                return False
    return not any((x, y) in different or (y, x) in different
                   for x in a.members for y in b.members)


def _merge(clusters: dict[str, _Cluster], owner: dict[str, str], a: str, b: str) -> None:
    keep, gone = clusters[a], clusters[b]
    keep.members.extend(gone.members)
    keep.countries |= gone.countries
    for source, spans in gone.spans.items():
        keep.spans.setdefault(source, []).extend(spans)
    for member in gone.members:
        owner[member] = a
        clusters[member] = keep


def _edges(data: TrackerData, judgements: Mapping[Pair, str]) -> Iterator[tuple[Pair, str]]:
    records = data.records
    for pair, verdict in sorted(judgements.items()):
        if verdict == "same" and pair[0] in records and pair[1] in records:
            yield pair, "judged the same"
    keys = {rid: record_keys(record) for rid, record in records.items()}
    for tier, why in _TIERS:
        yield from _shared_key_edges({rid: k[tier] for rid, k in keys.items()}, why)
    yield from _rename_edges(data)


def _shared_key_edges(keys: Mapping[str, set[str]], why: str) -> Iterator[tuple[Pair, str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for rid, found in keys.items():
        for key in found:
            index[key].append(rid)
    for key in sorted(index):
        holders = sorted(set(index[key]))
        if 1 < len(holders) <= MAX_KEY_GROUP:
            for pair in combinations(holders, 2):
                yield pair, why


def _rename_edges(data: TrackerData) -> Iterator[tuple[Pair, str]]:
    """Records that end in one snapshot and records that start in the next, same tracker."""
    ending: dict[tuple[str, str], list[TrackerRecord]] = defaultdict(list)
    starting: dict[tuple[str, str], list[TrackerRecord]] = defaultdict(list)
    for record in data.records.values():
        days = data.snapshots.get(record.source, [])
        last, first = record.last_seen[:10], record.first_seen[:10]
        if last in days and days.index(last) + 1 < len(days):
            ending[(record.source, days[days.index(last) + 1])].append(record)
        if first in days and days.index(first) > 0:
            starting[(record.source, first)].append(record)
    for slot in sorted(ending):
        for old in ending[slot]:
            for new in starting.get(slot, ()):
                if _looks_renamed(old, new):
                    left, right = sorted((old.id, new.id))
                    yield (left, right), "renamed by the tracker"


def _looks_renamed(old: TrackerRecord, new: TrackerRecord) -> bool:
    """Same home country, related names, and the same words of the tracker or the same
    industry."""
    if set(old.values.get("country", {})) != set(new.values.get("country", {})):
        return False
    old_words = {a.words for a in old.assessments[-1:]} - {None}
    new_words = {a.words for a in new.assessments[:1]}
    if old_words & new_words:
        return related_words(_tokens(old.all_names()), _tokens(new.all_names()))
    sectors = set(old.values.get("sector", {}))
    if sectors and sectors == set(new.values.get("sector", {})):
        return related_words(_tokens(old.all_names()), _tokens(new.all_names()), least=3)
    return False


def _tokens(names: Iterable[str]) -> frozenset[str]:
    found: set[str] = set()
    for name in names:
        keys: NameKeys | None = company_keys(name)
        if keys is not None:
            found |= keys.tokens
    return frozenset(found)
