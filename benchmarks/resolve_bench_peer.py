"""pressurepoint and nomenklatura's LogicV2 side by side on the public labelled cases.

    python benchmarks/resolve_bench_peer.py [--json]

Builds the cases exactly as resolve_bench_cases.py does (its functions are imported: the
same rows, schemata and properties), scores every pair with pressurepoint's `score` and
with LogicV2 (benchmarks/peer_logicv2.py in benchmarks/.peer-venv, one subprocess for all
pairs), and prints for both, per case set: precision / recall / F1 at each scorer's usual
threshold (pressurepoint's DEFAULT_THRESHOLD; 0.7 for LogicV2, yente's default) and at each
scorer's best threshold on that set, plus the pooled figures over every labelled pair of
the shared bench folder. Sets:

- watchman_name_scores (rows with is_match) and watchman_cross_script name pairs: labels;
- watchman_cross_script query_vs_index: top-1 and MRR of the expected name;
- ssb_synthetic_fixture: each query against the 12 list records; a positive counts when its
  expected record scores best and reaches the threshold, a negative when nothing does;
- watchman_entity_scores: label = Watchman's expected score >= 0.8, query entity vs the
  OFAC record read into FtM properties;
- nomenklatura_ofac_search_scores and the unlabelled watchman name rows: Spearman rank
  correlation with the other tool's scores (a shape, not truth);
- with the shared data folder: the Ukrainian War & Sanctions cross-script persons
  (Latin name vs the same person's Cyrillic aliases; sampled negatives), same sampling as
  resolve_bench_cases.cross_script_real.

A record with no schema is "Thing" for pressurepoint; peer_logicv2.py gives it the other
side's schema (LegalEntity if both are unknown), as FtM's Thing cannot be matched.
No case is special-cased.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import resolve_bench_cases as bc
from pressurepoint.resolve import DEFAULT_THRESHOLD, SCORER_VERSION, prepare, score
from resolve_eval import (
    PEER_THRESHOLD,
    machine,
    peer_available,
    peer_record,
    run_peer,
    sweep,
)

Props = dict[str, list[str]]


@dataclass
class Job:
    """One pair to score with both scorers."""

    group: str
    left: tuple[str, str, Props]  # id, schema, properties
    right: tuple[str, str, Props]
    label: bool | None = None
    reference: float | None = None  # the other tool's score, for the rank correlations
    ours: float = 0.0
    theirs: float = 0.0


def named(record_id: str, schema: str, text: str) -> tuple[str, str, Props]:
    return record_id, schema, {"name": [text]}


def name_pairs() -> list[Job]:
    jobs = []
    for r in bc.rows("watchman_name_scores.jsonl"):
        schema = bc.bench_schema(r.get("schema"))
        group = "watchman_names" if "is_match" in r else "watchman_curve"
        jobs.append(Job(group, named(f"{r['id']}:q", schema, r["query"]),
                        named(f"{r['id']}:c", schema, r["candidate"]), r.get("is_match"),
                        float(r["expected_score"])))
    for r in bc.rows("nomenklatura_ofac_search_scores.jsonl"):
        if r["expected_score"] is None:
            continue
        schema = bc.bench_schema(r.get("schema"))
        jobs.append(Job("ofac_curve", named(f"{r['id']}:q", schema, r["query"]),
                        named(f"{r['id']}:c", schema, r["candidate"]),
                        reference=float(r["expected_score"])))
    return jobs


def cross_script_jobs() -> list[Job]:
    jobs = []
    for r in bc.rows("watchman_cross_script.jsonl"):
        schema = bc.bench_schema(r.get("schema"))
        if r["kind"] == "name_pair":
            jobs.append(Job("cross_script", named(f"{r['id']}:q", schema, r["query"]),
                            named(f"{r['id']}:c", schema, r["candidate"]), r["is_match"]))
        elif r["kind"] == "query_vs_index":
            for n, item in enumerate(r["index"]):
                jobs.append(Job(f"index:{r['id']}", named(f"{r['id']}:q", schema, r["query"]),
                                named(f"{r['id']}:{n}", schema, item["name"]),
                                item["name"] == r["expected_name"]))
    return jobs


def ssb_jobs() -> list[Job]:
    data = bc.rows("ssb_synthetic_fixture.jsonl")
    records = [(r["entity_id"], r["names"]) for r in data if r["kind"] == "list_record"]
    jobs = []
    for r in (r for r in data if r["kind"] == "screening_query"):
        for entity_id, names in records:
            label = r["expected"] == "match" and entity_id == r["expected_entity_id"]
            jobs.append(Job(f"ssb:{r['id']}:{r['expected']}:{r['expected_entity_id']}",
                            named(f"{r['id']}:q", "Thing", r["query"]),
                            (f"ssb-list:{entity_id}", "Thing", {"name": names}), label))
    return jobs


def entity_jobs() -> list[Job]:
    jobs = []
    for r in bc.rows("watchman_entity_scores.jsonl"):
        q_schema, q_props = bc.query_props(r["query"])
        c_schema, c_props = bc.sdn_props(r["candidate_ofac_sdn"])
        jobs.append(Job("entity", (f"{r['id']}:q", q_schema, q_props),
                        (f"{r['id']}:c", c_schema, c_props), r["expected_score"] >= 0.8))
    return jobs


def ua_war_jobs(limit_negatives: int = 20_000) -> list[Job]:
    """The pairs of resolve_bench_cases.cross_script_real, same sampling."""
    people = [r for r in bc.ua_war_sanctions_persons() if r["schema"] == "Person"]
    latin: list[str] = []
    cyrillic: list[list[str]] = []
    for row in people:
        aliases = [a for a in row["aliases"].split(";") if a and not a.isascii()]
        if row["name"].isascii() and aliases:
            latin.append(row["name"])
            cyrillic.append(aliases)
    jobs = [Job("ua_war", named(f"ua-l{i}", "Person", latin[i]),
                (f"ua-c{i}", "Person", {"name": cyrillic[i]}), True)
            for i in range(len(latin))]
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, aliases in enumerate(cyrillic):
        for form in prepare("Person", {"name": aliases}).names:
            for token in form.tokens:
                blocks[token].append(i)
    negatives = {(i, j) for ids in blocks.values() if len(ids) < 60 for i in ids for j in ids
                 if i != j}
    sample = random.Random(7).sample(sorted(negatives), min(limit_negatives, len(negatives)))
    jobs += [Job("ua_war", named(f"ua-l{i}", "Person", latin[i]),
                 (f"ua-c{j}", "Person", {"name": cyrillic[j]}), False) for i, j in sample]
    return jobs


def score_ours(job: Job) -> float:
    left, right = prepare(job.left[1], job.left[2]), prepare(job.right[1], job.right[2])
    if job.group == "entity" and not (left.names or left.id_keys):
        return 0.0  # as resolve_bench_cases.entity_cases: nothing to match on
    return score(left, right).score


# -- metrics ------------------------------------------------------------------------------
def labelled(jobs: Sequence[Job], pick: Callable[[Job], float], threshold: float
             ) -> dict[str, Any]:
    tp = sum(1 for j in jobs if j.label and pick(j) >= threshold)
    fp = sum(1 for j in jobs if not j.label and pick(j) >= threshold)
    fn = sum(1 for j in jobs if j.label and pick(j) < threshold)
    return {"threshold": round(threshold, 4), **bc.prf(tp, fp, fn)}


def best(jobs: Sequence[Job], pick: Callable[[Job], float],
         measure: Callable[[Sequence[Job], Callable[[Job], float], float], dict[str, Any]]
         ) -> dict[str, Any]:
    """The threshold with the best F1 on this set."""
    if measure is labelled:
        found = sweep([(pick(j), bool(j.label)) for j in jobs])["best_f1"]
        return {k: found[k] for k in ("threshold", "tp", "fp", "fn", "precision", "recall",
                                      "f1")}
    result: dict[str, Any] = {"f1": -1.0}
    for threshold in sorted({pick(j) for j in jobs if pick(j) > 0}):
        found = measure(jobs, pick, threshold)
        if found["f1"] > result["f1"]:
            result = found
    return result


def screening(jobs: Sequence[Job], pick: Callable[[Job], float], threshold: float
              ) -> dict[str, Any]:
    """SSB: per query, the best-scoring list record (the higher entity id on a tie, as
    resolve_bench_cases.ssb)."""
    by_query: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        by_query[job.group].append(job)
    tp = fp = fn = 0
    for group, items in by_query.items():
        expected = group.split(":")[2] == "match"
        top = max(items, key=lambda j: (pick(j), j.right[0]))
        hit = pick(top) >= threshold
        right = expected and hit and bool(top.label)
        tp += right
        fp += hit and not right
        fn += expected and not right
    return {"threshold": round(threshold, 4), **bc.prf(tp, fp, fn)}


def ranking(jobs: Sequence[Job], pick: Callable[[Job], float]) -> dict[str, Any]:
    by_query: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        by_query[job.group].append(job)
    top1 = reciprocal = 0.0
    for items in by_query.values():
        ranked = sorted(items, key=lambda j: (pick(j), j.right[2]["name"][0]), reverse=True)
        position = next(n for n, j in enumerate(ranked, 1) if j.label)
        top1 += position == 1
        reciprocal += 1 / position
    return {"n": len(by_query), "top1": round(top1 / len(by_query), 3),
            "mrr": round(reciprocal / len(by_query), 3)}


def side_by_side(jobs: Sequence[Job], measure: Callable[..., dict[str, Any]]
                 ) -> dict[str, Any]:
    def ours(j: Job) -> float:
        return j.ours

    def theirs(j: Job) -> float:
        return j.theirs

    out = {"pressurepoint": measure(jobs, ours, DEFAULT_THRESHOLD),
           "logicv2": measure(jobs, theirs, PEER_THRESHOLD)}
    if measure is labelled and all(j.label for j in jobs):
        out["best_threshold"] = "n/a: no negatives in this set"
    else:
        out["pressurepoint_best"] = best(jobs, ours, measure)
        out["logicv2_best"] = best(jobs, theirs, measure)
    return out


def report(jobs: list[Job]) -> dict[str, Any]:
    sets: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        key = job.group.split(":")[0]
        sets[key].append(job)
    out: dict[str, Any] = {}
    for name in ("watchman_names", "cross_script", "entity", "ua_war"):
        if sets.get(name):
            out[name] = {"pairs": len(sets[name]), **side_by_side(sets[name], labelled)}
    out["ssb"] = {"queries": len({j.group for j in sets["ssb"]}),
                  **side_by_side(sets["ssb"], screening)}
    out["query_vs_index"] = {"pressurepoint": ranking(sets["index"], lambda j: j.ours),
                             "logicv2": ranking(sets["index"], lambda j: j.theirs)}
    pooled = [j for n in ("watchman_names", "cross_script", "entity") for j in sets[n]]
    out["pooled_labelled_pairs_of_the_bench_folder"] = {
        "pairs": len(pooled), "sets": "watchman_names + cross_script + entity",
        **side_by_side(pooled, labelled)}
    for name, key in (("watchman_curve", "watchman_curve"), ("ofac_curve", "ofac_curve")):
        items = sets[key]
        out[f"{name}_spearman"] = {
            "n": len(items),
            "pressurepoint": round(bc.spearman([(j.ours, j.reference or 0.0)
                                                for j in items]), 3),
            "logicv2": round(bc.spearman([(j.theirs, j.reference or 0.0) for j in items]), 3)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    if not peer_available():
        sys.exit("peer environment missing: see benchmarks/README.md")
    jobs = name_pairs() + cross_script_jobs() + ssb_jobs() + entity_jobs() + ua_war_jobs()
    for job in jobs:
        job.ours = score_ours(job)
    found, summary = run_peer([(peer_record(*j.left), peer_record(*j.right)) for j in jobs])
    for job, value in zip(jobs, found, strict=True):
        job.theirs = value
    out = {"machine": machine(), "scorer": SCORER_VERSION, "threshold": DEFAULT_THRESHOLD,
           "logicv2_threshold": PEER_THRESHOLD, "logicv2": summary, **report(jobs)}
    print(json.dumps(out, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
