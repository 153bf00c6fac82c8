"""Clustering scored pairs into canonical entities, under human judgements.

Pure functions. Rules, in order:
1. A human "same" judgement joins two records (unless it contradicts a "different").
2. Automatic merges take the candidate pairs at or above the threshold, best score first
   (greedy agglomeration, as in nomenklatura's resolver).
3. A merge never happens when a "different" judgement links any member of one side to any
   member of the other (cannot-link), and an automatic merge never puts two records of
   the same source into one cluster: a publisher lists one target once, so two of its
   records in one cluster means a chain of weak links went wrong. A human "same" may
   still join them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Pair = tuple[str, str]


def pair_key(a: str, b: str) -> Pair:
    """The canonical order of an unordered pair."""
    return (a, b) if a <= b else (b, a)


@dataclass
class Clusters:
    """Union-find with cluster-level constraints (member sources, cannot-links)."""

    source_of: Mapping[str, str]
    parent: dict[str, str] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    cannot: dict[str, set[str]] = field(default_factory=dict)  # root -> member ids it excludes
    conflicts: list[tuple[Pair, str]] = field(default_factory=list)

    def find(self, node: str) -> str:
        root = node
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(node, node) != root:  # path compression
            self.parent[node], node = root, self.parent[node]
        return root

    def _members(self, root: str) -> set[str]:
        return self.members.setdefault(root, {root})

    def forbid(self, a: str, b: str) -> None:
        self.cannot.setdefault(self.find(a), set()).add(b)
        self.cannot.setdefault(self.find(b), set()).add(a)

    def blocked(self, a: str, b: str, *, by_source: bool) -> str | None:
        """Why the clusters of a and b may not merge, or None."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        ma, mb = self._members(ra), self._members(rb)
        if self.cannot.get(ra, set()) & mb or self.cannot.get(rb, set()) & ma:
            return "a 'different' judgement separates them"
        if by_source:
            sources_a = {self.source_of.get(m) for m in ma}
            if any(self.source_of.get(m) in sources_a for m in mb):
                return "both clusters hold a record of the same source"
        return None

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if len(self._members(ra)) < len(self._members(rb)):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] = self._members(ra) | self.members.pop(rb, {rb})
        self.cannot.setdefault(ra, set()).update(self.cannot.pop(rb, set()))
        return True

    def groups(self, nodes: Iterable[str]) -> list[list[str]]:
        by_root: dict[str, list[str]] = {}
        for node in nodes:
            by_root.setdefault(self.find(node), []).append(node)
        return [sorted(group) for group in by_root.values()]


def cluster(
    source_of: Mapping[str, str],
    scored: Iterable[tuple[str, str, float]],
    judgements: Mapping[Pair, str],
    threshold: float,
) -> Clusters:
    """Cluster the records of `source_of` (id -> source) from scored pairs and judgements."""
    clusters = Clusters(source_of)
    for (a, b), verdict in judgements.items():
        if verdict == "different":
            clusters.forbid(a, b)
    for (a, b), verdict in sorted(judgements.items()):
        if verdict != "same":
            continue
        why = clusters.blocked(a, b, by_source=False)
        if why:
            clusters.conflicts.append(((a, b), why))
        else:
            clusters.union(a, b)
    ranked = sorted((s, a, b) for a, b, s in scored if s >= threshold)
    for _score, a, b in reversed(ranked):
        if judgements.get(pair_key(a, b)) in ("different", "unsure"):
            continue
        if clusters.blocked(a, b, by_source=True) is None:
            clusters.union(a, b)
    return clusters


def canonical_ids(groups: Iterable[list[str]], previous: Mapping[str, str]
                  ) -> tuple[dict[str, str], dict[str, str]]:
    """Stable ids: a cluster keeps the canonical id its members had before (the one most
    members share, ties to the smallest); a new cluster of one record uses the record's
    own id; a new multi-record cluster gets "pp-" + a hash of its smallest member.

    Returns (entity id -> canonical id, old canonical id -> new one for merged clusters).
    """
    assignment: dict[str, str] = {}
    redirects: dict[str, str] = {}
    taken: set[str] = set()
    for group in sorted(groups, key=lambda g: (-len(g), g[0])):
        counts: dict[str, int] = {}
        for member in group:
            if member in previous:
                counts[previous[member]] = counts.get(previous[member], 0) + 1
        candidates = sorted((c for c in counts if c not in taken),
                            key=lambda c: (-counts[c], c))
        if candidates:
            chosen = candidates[0]
        elif len(group) == 1:
            chosen = group[0]
        else:
            chosen = "pp-" + hashlib.sha1(group[0].encode()).hexdigest()[:20]
        taken.add(chosen)
        for old in counts:
            if old != chosen:
                redirects[old] = chosen
        for member in group:
            assignment[member] = chosen
    # an id that is still someone's canonical id is not a redirect
    live = set(assignment.values())
    return assignment, {old: new for old, new in redirects.items() if old not in live}
