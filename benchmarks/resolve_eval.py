"""How well pressurepoint finds the same entity across official lists, with labels taken from
the data itself.

    python benchmarks/resolve_eval.py [--store FILE] [--random 10000] [--near 5000]
                                      [--seed 20240503] [--no-peer] [--no-e2e] [--json]

The newest file of every source folder in the shared sanctions data (env
PRESSUREPOINT_SHARED_DATA, else ../shared/data next to the repository; files under
sanctions/<source>/<date>/) is loaded with pressurepoint itself (`pressurepoint update
--source ID --file PATH`) into a temporary store, or into --store (a SQLite file, reused
when it exists).

Labels
------
Two records of *different* sources are the same entity when they share a strong
identifier: a valid INN, OGRN, IMO number or LEI (checksums by python-stdnum / rigour; a
tax, registration or id number that passes the INN or OGRN check counts as one, as the
scorer counts it), or the same passport number (6+ characters) together with a shared
country (nationality, citizenship or country). Identifier links are joined transitively
into groups; records of one group are never used as negatives.

- positives: every cross-source pair of schema-compatible records (Person/Person,
  Company/Organization/LegalEntity..., Vessel/Vessel) that share a strong identifier;
- random negatives (--random, default 10000): a record drawn uniformly, paired with a
  record of the same schema drawn uniformly from the other sources;
- near misses (--near per class, default 5000), drawn uniformly from the cross-source
  pairs of compatible schema that share a name key of the matcher (a distinctive name
  word in any spelling, or the whole name's key: same surname, same given name, the same
  full name) and yet are different entities by their data:
  `id_conflict` — both have a valid identifier of a kind a thing has only one of (INN,
  OGRN, IMO, LEI) and the values differ; `date_conflict` — both have birth (or
  incorporation) dates and every date of one is two or more years from every date of the
  other (one year apart is left out: publishers' typos).
Sampling is deterministic (--seed); pairs are drawn from sorted lists. The labels carry
the publishers' own errors (an identifier copied onto the wrong record); `strict_labels`
repeats the figures without the positives that rest only on an identifier one list gives
to two or more of its own records.

Scoring hides the identifiers from the matcher: every identifier property the scorer
reads (`pressurepoint.resolve.features.ID_PROPS`: innCode, ogrnCode, imoNumber,
passportNumber, leiCode, taxNumber, registrationNumber, idNumber, swiftBic, mmsi,
callSign...) is dropped from both sides before `prepare`. Names, dates, countries and
gender stay.

Prints precision, recall and F1 at the default threshold and at the best threshold, the
best recall at precision >= 0.99, recall per link kind / schema / source pair, false
positives per negative class, the worst misses on both sides; and end to end: for the
positives, whether the full `resolve` pipeline (blocking + scoring + clustering, run
with the same identifiers hidden) puts both records in one canonical entity. With the
peer environment present (benchmarks/.peer-venv, see peer_logicv2.py) the same pairs are
also scored by nomenklatura's LogicV2 (identifiers hidden alike).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressurepoint.resolve import DEFAULT_THRESHOLD, SCORER_VERSION, Prepared, prepare, score
from pressurepoint.resolve.features import ID_PROPS, normalize_identifier, schema_compatible
from pressurepoint.resolve.matcher import default_matcher
from pressurepoint.resolve.pipeline import MAX_BLOCK, Record, load_records, resolve
from pressurepoint.store import Store
from pressurepoint.store import resolution as rs

ROOT = Path(__file__).resolve().parents[1]
PEER_PYTHON = ROOT / "benchmarks" / ".peer-venv" / "bin" / "python"
PEER_SCRIPT = ROOT / "benchmarks" / "peer_logicv2.py"
#: LogicV2's usual match threshold (yente's default score threshold).
PEER_THRESHOLD = 0.7
Props = dict[str, list[str]]
UNIQUE_KINDS = ("inn", "ogrn", "imo", "lei")
_STRONG_PROPS = {"innCode": "inn", "ogrnCode": "ogrn", "imoNumber": "imo", "leiCode": "lei",
                 "taxNumber": "id", "registrationNumber": "id", "idNumber": "id"}
_COUNTRY_PROPS = ("nationality", "citizenship", "country")
#: The `pressurepoint` command, run by this interpreter.
CLI = "import sys; from pressurepoint.outputs.cli.main import main; sys.argv[0] = " \
      "'pressurepoint'; sys.exit(main())"


# -- shared data, stores, machine --------------------------------------------------------
def shared_data() -> Path:
    return Path(os.environ.get("PRESSUREPOINT_SHARED_DATA") or ROOT.parent / "shared" / "data")


def newest_files() -> list[tuple[str, str, Path]]:
    """(source id, folder date, file) of the newest folder of every source. A folder with
    several files (a main table and its companions) gives its largest file: pressurepoint
    finds the companions beside it."""
    found = []
    for folder in sorted(p for p in (shared_data() / "sanctions").iterdir() if p.is_dir()):
        dates = sorted(p for p in folder.iterdir() if p.is_dir())
        if not dates:
            continue
        files = sorted((f for f in dates[-1].iterdir() if f.is_file()),
                       key=lambda f: (-f.stat().st_size, f.name))
        if files:
            found.append((folder.name, dates[-1].name, files[0]))
    return found


def build_store(db: Path, data_dir: Path) -> dict[str, Any]:
    """Load the newest file of every source into a new SQLite store at `db`."""
    loaded = []
    started = time.perf_counter()
    for source, day, path in newest_files():
        command = [sys.executable, "-c", CLI, "--db", str(db), "--data-dir",
                   str(data_dir), "update", "--source", source, "--file", str(path),
                   "--published", day]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            raise SystemExit(f"loading {path} failed: {done.stderr.strip()[-500:]}")
        loaded.append(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else source)
    return {"files": [f"{s}/{d}/{p.name}" for s, d, p in newest_files()], "runs": loaded,
            "load_seconds": round(time.perf_counter() - started, 1)}


def loaded_store(path: str | None, workdir: Path) -> tuple[Path, dict[str, Any]]:
    """A store holding the newest files: `path` if it exists, else built (at `path` or in
    `workdir`)."""
    db = Path(path) if path else workdir / "loaded.db"
    if db.exists():
        return db, {"reused_store": str(db)}
    partial = db.with_name(db.name + ".loading")
    partial.unlink(missing_ok=True)
    info = build_store(partial, workdir / "archive")
    partial.rename(db)  # only a complete load is ever reused
    return db, info


def scratch_copy(db: Path, workdir: Path, name: str) -> Path:
    """A copy of a loaded store, so that a resolve starts from the loaded state."""
    copy = workdir / name
    shutil.copyfile(db, copy)
    return copy


def sqlite_url(db: Path) -> str:
    return f"sqlite:///{db}"


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": commit + (" (+uncommitted changes in src/)" if dirty else ""),
            "nproc": os.cpu_count(), "ram_gb": round(mem_kb / 1024 / 1024, 1), "cpu": cpu,
            "python": platform.python_version(), "loadavg": [round(x, 2) for x in
                                                             os.getloadavg()]}


# -- the peer ---------------------------------------------------------------------------
def peer_available() -> bool:
    return PEER_PYTHON.exists()


def run_peer(pairs: Sequence[tuple[dict[str, Any], dict[str, Any]]], runs: int = 1
             ) -> tuple[list[float], dict[str, Any]]:
    """Score the pairs with LogicV2 in the peer environment; (scores, summary)."""
    body = "".join(json.dumps({"left": a, "right": b}, ensure_ascii=False) + "\n"
                   for a, b in pairs)
    done = subprocess.run([str(PEER_PYTHON), str(PEER_SCRIPT), "--runs", str(runs)],
                          input=body, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"peer failed: {done.stderr.strip()[-800:]}")
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return [float(line["score"]) for line in lines[:-1]], lines[-1]["summary"]


def peer_record(entity_id: str, schema: str, props: Mapping[str, Sequence[str]]
                ) -> dict[str, Any]:
    return {"id": entity_id, "schema": schema, "properties": {k: list(v) for k, v in
                                                              props.items()}}


# -- metrics ----------------------------------------------------------------------------
def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4)}


def at_threshold(scored: Sequence[tuple[float, bool]], threshold: float) -> dict[str, Any]:
    tp = sum(1 for s, label in scored if label and s >= threshold)
    fp = sum(1 for s, label in scored if not label and s >= threshold)
    fn = sum(1 for s, label in scored if label and s < threshold)
    return {"threshold": round(threshold, 4), **prf(tp, fp, fn)}


def sweep(scored: Sequence[tuple[float, bool]], min_precision: float = 0.99
          ) -> dict[str, Any]:
    """The best-F1 threshold, and the best recall with precision >= min_precision, among
    the scores above 0 (a score of 0 says "nothing alike": never a match)."""
    positives = sum(1 for _, label in scored if label)
    ordered = sorted(scored, key=lambda item: -item[0])
    tp = fp = 0
    best: tuple[float, float] = (-1.0, 1.0)
    best_recall: tuple[float, float] | None = None
    i = 0
    while i < len(ordered) and ordered[i][0] > 0:
        threshold = ordered[i][0]
        while i < len(ordered) and ordered[i][0] == threshold:
            tp += ordered[i][1]
            fp += not ordered[i][1]
            i += 1
        precision, recall = tp / (tp + fp), tp / positives if positives else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[0]:
            best = (f1, threshold)
        if precision >= min_precision and (best_recall is None or recall > best_recall[0]):
            best_recall = (recall, threshold)
    out: dict[str, Any] = {"best_f1": at_threshold(scored, best[1])}
    out[f"best_recall_at_precision_{min_precision}"] = (
        at_threshold(scored, best_recall[1]) if best_recall else None)
    return out


# -- labels -----------------------------------------------------------------------------
def strong_keys(record: Record) -> set[str]:
    """The record's strong identifiers as keys (see the module docstring)."""
    keys: set[str] = set()
    for prop, kind in _STRONG_PROPS.items():
        for value in record.props.get(prop, ()):
            found = normalize_identifier(kind, value)
            if found and found[2] and found[0] in UNIQUE_KINDS:
                keys.add(f"{found[0]}:{found[1]}")
    countries = {c.lower() for p in _COUNTRY_PROPS for c in record.props.get(p, ())}
    for value in record.props.get("passportNumber", ()):
        found = normalize_identifier("passport", value)
        if found and len(found[1]) >= 6 and any(ch.isdigit() for ch in found[1]):
            keys.update(f"passport:{found[1]}:{country}" for country in countries)
    return keys


def unique_ids(keys: Iterable[str]) -> dict[str, set[str]]:
    by_kind: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        kind, value = key.split(":", 1)
        if kind in UNIQUE_KINDS:
            by_kind[kind].add(value)
    return by_kind


def groups_of(keys: Mapping[str, set[str]]) -> dict[str, str]:
    """Union-find over records sharing a strong key: record id -> group id."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.get(node, node) != node:
            parent[node] = parent.get(parent[node], parent[node])
            node = parent[node]
        return node

    first: dict[str, str] = {}
    for entity_id in sorted(keys):
        for key in keys[entity_id]:
            other = first.setdefault(key, entity_id)
            a, b = find(entity_id), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {e: find(e) for e in keys}


@dataclass
class Labelled:
    left: str
    right: str
    label: bool
    kind: str  # link kinds for positives, negative class otherwise
    score: float = 0.0
    peer: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def positives(records: Mapping[str, Record], keys: Mapping[str, set[str]]
              ) -> tuple[list[Labelled], Counter[str]]:
    holders: dict[str, list[str]] = defaultdict(list)
    for entity_id in sorted(keys):
        for key in keys[entity_id]:
            holders[key].append(entity_id)
    links: dict[tuple[str, str], set[str]] = defaultdict(set)
    skipped: Counter[str] = Counter()
    for key, ids in holders.items():
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                ra, rb = records[a], records[b]
                if ra.source == rb.source:
                    skipped["same source"] += 1
                elif not schema_compatible(ra.schema, rb.schema):
                    skipped[f"{ra.schema}/{rb.schema} share {key.split(':')[0]}"] += 1
                else:
                    links[(a, b) if a < b else (b, a)].add(key.split(":", 1)[0])
    return [Labelled(a, b, True, "+".join(sorted(kinds)))
            for (a, b), kinds in sorted(links.items())], skipped


def random_negatives(records: Mapping[str, Record], group: Mapping[str, str], count: int,
                     rng: random.Random) -> list[Labelled]:
    ids = sorted(records)
    by_schema: dict[str, list[str]] = defaultdict(list)
    for entity_id in ids:
        by_schema[records[entity_id].schema].append(entity_id)
    chosen: set[tuple[str, str]] = set()
    tries = 0
    while len(chosen) < count and tries < count * 50:
        tries += 1
        a = rng.choice(ids)
        b = rng.choice(by_schema[records[a].schema])
        if records[a].source == records[b].source:
            continue
        if a in group and group.get(b) == group[a]:
            continue
        chosen.add((a, b) if a < b else (b, a))
    return [Labelled(a, b, False, "random") for a, b in sorted(chosen)]


def near_misses(records: Mapping[str, Record], prepared: Mapping[str, Prepared],
                keys: Mapping[str, set[str]], count: int, rng: random.Random
                ) -> tuple[list[Labelled], dict[str, int]]:
    """Pairs sharing a name key that differ in a unique identifier or in birth years."""
    matcher = default_matcher()
    ids_of = {e: unique_ids(keys.get(e, ())) for e in records}
    years = {e: {d[0] for d in p.dates} for e, p in prepared.items()}
    index: dict[str, list[str]] = defaultdict(list)
    for entity_id in sorted(prepared):
        if not ids_of[entity_id] and not years[entity_id]:
            continue
        for key in matcher.block_keys(prepared[entity_id]):
            if key.startswith(("w:", "k:")):
                index[key].append(entity_id)
    found: dict[str, set[tuple[str, str]]] = {"id_conflict": set(), "date_conflict": set()}
    for members in index.values():
        if len(members) > MAX_BLOCK:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                kind = _conflict(records[a], records[b], ids_of, years)
                if kind:
                    found[kind].add((a, b) if a < b else (b, a))
    out: list[Labelled] = []
    for kind, pairs in found.items():
        sample = rng.sample(sorted(pairs), min(count, len(pairs)))
        out += [Labelled(a, b, False, kind) for a, b in sorted(sample)]
    return out, {k: len(v) for k, v in found.items()}


def _conflict(a: Record, b: Record, ids_of: Mapping[str, dict[str, set[str]]],
              years: Mapping[str, set[int]]) -> str | None:
    if a.source == b.source or not schema_compatible(a.schema, b.schema):
        return None
    ia, ib = ids_of[a.id], ids_of[b.id]
    if any(values & ib.get(kind, set()) for kind, values in ia.items()):
        return None  # a shared identifier: same entity (a positive, not a negative)
    if any(ib.get(kind) for kind in ia):
        return "id_conflict"
    ya, yb = years[a.id], years[b.id]
    if ya and yb and min(abs(x - y) for x in ya for y in yb) >= 2:
        return "date_conflict"
    return None


def hidden(props: Mapping[str, Sequence[str]]) -> Props:
    """The properties without any identifier the scorer reads."""
    return {k: list(v) for k, v in props.items() if k not in ID_PROPS}


class HiddenIdMatcher:
    """The default matcher, shown the records without their identifiers."""

    def __init__(self) -> None:
        self.inner = default_matcher()
        self.version = f"{self.inner.version}+hidden-ids"
        self.threshold = self.inner.threshold

    def prepare(self, schema: str, props: Mapping[str, Sequence[str]]) -> Any:
        return self.inner.prepare(schema, hidden(props))

    def block_keys(self, prepared: Any) -> Iterable[str]:
        return self.inner.block_keys(prepared)

    def score(self, left: Any, right: Any) -> float:
        return self.inner.score(left, right)

    def explain(self, left: Any, right: Any) -> dict[str, Any]:
        return self.inner.explain(left, right)


# -- evaluation -------------------------------------------------------------------------
def breakdown(pairs: Sequence[Labelled], records: Mapping[str, Record], threshold: float,
              key: str) -> dict[str, str]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pair in pairs:
        a, b = records[pair.left], records[pair.right]
        name = {"kind": pair.kind,
                "schema": "/".join(sorted((a.schema, b.schema))),
                "sources": "/".join(sorted((a.source, b.source)))}[key]
        counts[name][0] += pair.score >= threshold
        counts[name][1] += 1
    return {k: f"{v[0]}/{v[1]}" for k, v in sorted(counts.items(), key=lambda i: -i[1][1])}


def describe(pair: Labelled, records: Mapping[str, Record], prepared: Mapping[str, Prepared]
             ) -> str:
    """One line: score, class, sources and schemata, the name pair the scorer compared and
    every feature's contribution (LogicV2's score too, once known)."""
    a, b = records[pair.left], records[pair.right]
    parts = score(prepared[pair.left], prepared[pair.right]).explanation
    why = ", ".join(f"{k}={v}" for k, v in parts.items() if isinstance(v, float)
                    and k != "threshold")
    peer = f" | logicv2 {pair.peer:.2f}" if pair.peer is not None else ""
    return (f"{pair.score:.2f} [{pair.kind}] {a.source} {a.id} ({a.schema}) ~ {b.source} "
            f"{b.id} ({b.schema}): {parts.get('name_detail', '')} | {why}{peer}")


def end_to_end(db: Path, workdir: Path, pairs: Sequence[Labelled],
               records: Mapping[str, Record], group: Mapping[str, str]) -> dict[str, Any]:
    """Run the whole pipeline with identifiers hidden; are positives in one entity?"""
    copy = scratch_copy(db, workdir, "e2e.db")
    store = Store(sqlite_url(copy))
    started = time.perf_counter()
    report = resolve(store, HiddenIdMatcher())
    seconds = time.perf_counter() - started
    canonical = rs.canonical_map(store)
    kept = {(a, b) for a, b, _ in rs.scored_pairs(store, 0.0)}
    store.engine.dispose()
    copy.unlink()
    members: dict[str, list[str]] = defaultdict(list)
    for entity_id, canonical_id in canonical.items():
        members[canonical_id].append(entity_id)
    positive = [p for p in pairs if p.label]
    lost: list[tuple[str, list[str], Labelled]] = []
    for p in positive:
        ca, cb = canonical.get(p.left, p.left), canonical.get(p.right, p.right)
        if ca != cb:
            lost.append((*_why_apart(p, (ca, cb), members, records, group, kept), p))
    joined = len(positive) - len(lost)
    return {"resolve_seconds": round(seconds, 1), "records": report.records,
            "candidate_pairs": report.candidate_pairs, "kept_pairs": report.kept_pairs,
            "entities": report.clusters,
            "positives_kept_by_pipeline_(score>=0.5)": sum((p.left, p.right) in kept
                                                           for p in positive),
            "positives_in_one_entity": f"{joined}/{len(positive)}",
            "end_to_end_recall": round(joined / len(positive), 4) if positive else None,
            "positives_not_joined": dict(Counter(why for why, _, _ in lost)),
            "_lost": lost}


def _why_apart(pair: Labelled, roots: tuple[str, str], members: Mapping[str, list[str]],
               records: Mapping[str, Record], group: Mapping[str, str],
               kept: set[tuple[str, str]]) -> tuple[str, list[str]]:
    """Why a positive pair ended in two entities, and the records of the same lists its
    entities hold instead."""
    if pair.score < DEFAULT_THRESHOLD:
        return "scores below the threshold", []
    if (pair.left, pair.right) not in kept:
        return "scores a match, but blocking did not propose the pair", []
    clash = [m for m in members.get(roots[0], ()) if records[m].source ==
             records[pair.right].source and m != pair.right]
    clash += [m for m in members.get(roots[1], ()) if records[m].source ==
              records[pair.left].source and m != pair.left]
    if any(m in group and group[m] == group.get(pair.left) for m in clash):
        return ("scores a match; one side's entity already holds a duplicate record of the "
                "other's list (same identifier), and a list's records are never merged"), clash
    if clash:
        return ("scores a match; one side's entity already holds another record of the "
                "other's list (a different, better-scoring merge won)"), clash
    return "scores a match, not joined for another reason", []


def peer_scores(pairs: Sequence[Labelled], records: Mapping[str, Record]
                ) -> dict[str, Any]:
    body = [(peer_record(p.left, records[p.left].schema, hidden(records[p.left].props)),
             peer_record(p.right, records[p.right].schema, hidden(records[p.right].props)))
            for p in pairs]
    found, summary = run_peer(body, runs=1)
    for pair, value in zip(pairs, found, strict=True):
        pair.peer = value
    scored = [(value, p.label) for p, value in zip(pairs, found, strict=True)]
    return {"summary": summary, "at_logicv2_threshold": at_threshold(scored, PEER_THRESHOLD),
            **sweep(scored)}


def label_pairs(records: Mapping[str, Record], prepared: Mapping[str, Prepared],
                args: argparse.Namespace
                ) -> tuple[list[Labelled], dict[str, set[str]], dict[str, Any]]:
    keys = {e: k for e, r in records.items() if (k := strong_keys(r))}
    group = groups_of(keys)
    rng = random.Random(args.seed)
    pos, skipped = positives(records, keys)
    near, near_pool = near_misses(records, prepared, keys, args.near, rng)
    pairs = pos + random_negatives(records, group, args.random, rng) + near
    info = {"records_with_strong_identifiers": len(keys),
            "pairs": dict(Counter(p.kind if not p.label else "positive" for p in pairs)),
            "near_miss_pool": near_pool, "positives_left_out": dict(skipped)}
    return pairs, keys, info


def strict(pairs: Sequence[Labelled], records: Mapping[str, Record],
           keys: Mapping[str, set[str]]) -> dict[str, Any]:
    """The figures again without the positives that rest only on an identifier some list
    gives to two or more of its own records (a passport on two people, a parent
    company's number copied onto a subsidiary: such a value does not identify one
    entity). Negatives are unchanged."""
    holders: dict[str, list[str]] = defaultdict(list)
    for entity_id, found in keys.items():
        for key in found:
            holders[key].append(entity_id)
    shared = {k for k, ids in holders.items() if len({records[i].source for i in ids}) < len(ids)}
    kept = [p for p in pairs if not p.label or
            (keys[p.left] - shared) & (keys[p.right] - shared)]
    out: dict[str, Any] = {"identifiers_given_to_several_records_of_one_list": len(shared),
                           "positives": sum(p.label for p in kept)}
    scored = [(p.score, p.label) for p in kept]
    out["pressurepoint"] = {"at_default_threshold": at_threshold(scored, DEFAULT_THRESHOLD),
                            **sweep(scored)}
    if all(p.peer is not None for p in kept):
        scored = [(p.peer or 0.0, p.label) for p in kept]
        out["logicv2"] = {"at_logicv2_threshold": at_threshold(scored, PEER_THRESHOLD),
                          **sweep(scored)}
    return out


def metrics(pairs: Sequence[Labelled], records: Mapping[str, Record]) -> dict[str, Any]:
    scored = [(p.score, p.label) for p in pairs]
    out: dict[str, Any] = {"at_default_threshold": at_threshold(scored, DEFAULT_THRESHOLD)}
    out.update(sweep(scored))
    positive = [p for p in pairs if p.label]
    for key in ("kind", "schema", "sources"):
        out[f"recall_by_{key}"] = breakdown(positive, records, DEFAULT_THRESHOLD, key)
    negative = [p for p in pairs if not p.label]
    out["false_positives_by_class"] = breakdown(negative, records, DEFAULT_THRESHOLD, "kind")
    out["false_positives_by_schema"] = breakdown(negative, records, DEFAULT_THRESHOLD,
                                                 "schema")
    return out


def evaluate(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"machine": machine(), "scorer": SCORER_VERSION,
                           "threshold": DEFAULT_THRESHOLD, "seed": args.seed}
    db, out["store"] = loaded_store(args.store, workdir)
    store = Store(sqlite_url(db))
    records = load_records(store)
    store.engine.dispose()
    started = time.process_time()
    prepared = {e: prepare(r.schema, hidden(r.props)) for e, r in sorted(records.items())}
    out["records"] = len(records)
    out["prepare_us_per_record"] = round((time.process_time() - started) / len(records) * 1e6)
    pairs, keys, out["labels"] = label_pairs(records, prepared, args)
    group = groups_of(keys)
    for pair in pairs:
        pair.score = score(prepared[pair.left], prepared[pair.right]).score
    out.update(metrics(pairs, records))
    positive = [p for p in pairs if p.label]
    with_ids = [score(prepare(records[p.left].schema, records[p.left].props),
                      prepare(records[p.right].schema, records[p.right].props)).score
                for p in positive]
    out["positives_recall_with_identifiers_visible"] = round(
        sum(s >= DEFAULT_THRESHOLD for s in with_ids) / len(with_ids), 4) if with_ids else None
    if not args.no_peer and peer_available():
        out["logicv2_same_pairs"] = peer_scores(pairs, records)
    out["strict_labels"] = strict(pairs, records, keys)
    missed = sorted((p for p in positive if p.score < DEFAULT_THRESHOLD), key=lambda p: p.score)
    out["missed_positives"] = [describe(p, records, prepared) for p in missed[:args.show]]
    wrong = sorted((p for p in pairs if not p.label and p.score >= DEFAULT_THRESHOLD),
                   key=lambda p: -p.score)
    out["false_positives"] = [describe(p, records, prepared) for p in wrong[:args.show]]
    if not args.no_e2e:
        e2e = end_to_end(db, workdir, pairs, records, group)
        lost = e2e.pop("_lost")
        e2e["scored_a_match_but_not_joined"] = [
            f"{describe(p, records, prepared)} || {why} {' '.join(clash)}"
            for why, clash, p in lost if p.score >= DEFAULT_THRESHOLD][:args.show]
        out["end_to_end_identifiers_hidden"] = e2e
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="SQLite file with the newest files loaded "
                        "(reused if it exists, else built there)")
    parser.add_argument("--random", type=int, default=10_000, help="random negatives")
    parser.add_argument("--near", type=int, default=5_000, help="near misses per class")
    parser.add_argument("--seed", type=int, default=20240503)
    parser.add_argument("--show", type=int, default=100, help="misses to list per side")
    parser.add_argument("--no-peer", action="store_true", help="skip LogicV2")
    parser.add_argument("--no-e2e", action="store_true", help="skip the pipeline run")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pp-resolve-eval-") as tmp:
        report = evaluate(args, Path(tmp))
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
