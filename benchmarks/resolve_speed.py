"""Speed of pressurepoint's entity resolution, side by side with nomenklatura's LogicV2.

    python benchmarks/resolve_speed.py [--store FILE] [--pairs 20000] [--runs 3]
                                       [--seed 20240503] [--no-resolve] [--json]

The newest file of every source folder in the shared sanctions data is loaded into a
store as in resolve_eval.py (or --store is reused). Then, in one run:

1. `resolve`: `pressurepoint --db COPY resolve` on a fresh copy of the loaded store, in a
   child process: wall seconds, CPU seconds (user + system) and the child's peak RSS
   (ru_maxrss from wait4). Target: within 60 s and 2 GB.
2. pairs: the candidate pairs the pipeline's own blocking proposes over all records
   (`pipeline._candidates`), of which --pairs are drawn (deterministic, --seed; 0 takes
   them all); real records with every property, identifiers included. A sample holds
   more distinct records per pair than the whole run does, which weighs on the figures
   that include per-record work (prepare, LogicV2's per-entity name analysis).
3. pressurepoint: process CPU seconds of `score()` over those pairs, records prepared
   beforehand; and of `prepare()` of the records in the sample plus `score()` of the pairs
   (the whole per-pair work when nothing is prepared). Before each pass every functools
   cache in pressurepoint's modules and the name-comparison caches are cleared and two
   made-up pairs scored (tables loaded once come back outside the timing), so each pass
   starts cold and fills its caches as it goes; best of --runs.
4. LogicV2: the same pairs (same properties) through benchmarks/peer_logicv2.py in the
   peer environment (benchmarks/.peer-venv): entity proxies built once per record, then
   --runs passes of `LogicV2.compare`, each after clearing every functools cache of
   nomenklatura, rigour and followthemoney and scoring the same two made-up pairs; best
   pass. LogicV2 analyses names inside `compare` (cached per entity), so its pass is
   compared with both pressurepoint figures.

Ratios are pairs per CPU second, pressurepoint over LogicV2. Target: `score` at least 10x.
The machine's load average is printed: other work on a shared machine slows wall times
(CPU seconds much less).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pressurepoint.names.compare import clear_caches
from pressurepoint.names.forms import forget_words
from pressurepoint.resolve import (
    DEFAULT_THRESHOLD,
    SCORER_VERSION,
    Prepared,
    pipeline,
    prepare,
    score,
)
from pressurepoint.resolve.matcher import default_matcher
from pressurepoint.store import Store
from resolve_eval import (
    CLI,
    PEER_THRESHOLD,
    loaded_store,
    machine,
    peer_available,
    peer_record,
    run_peer,
    scratch_copy,
    sqlite_url,
)

Pair = tuple[str, str]


def clear_all_caches() -> int:
    """Clear pressurepoint's name-comparison caches and every functools cache in its
    modules, then score two made-up pairs, so that tables loaded once (and cached) are
    loaded again outside the timing, as the peer's warm-up does; returns how many
    functools caches were cleared."""
    clear_caches()
    forget_words()
    cleared = 0
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith("pressurepoint"):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()
                cleared += 1
    for schema, left, right in (("Person", "Ivan Petrov", "Петров Иван"),
                                ("Company", "OOO Romashka", "Romashka LLC")):
        score(prepare(schema, {"name": [left]}), prepare(schema, {"name": [right]}))
    return cleared


def time_resolve(db: Path, workdir: Path) -> dict[str, Any]:
    """`pressurepoint resolve` on a fresh copy of the loaded store, in a child process."""
    copy = scratch_copy(db, workdir, "resolve.db")
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CLI, "--db", str(copy), "resolve"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stderr is not None
    output, errors = child.stdout.read(), child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    copy.unlink()
    if child.returncode:
        raise SystemExit(f"resolve failed: {errors.strip()[-800:]}")
    said = (output.strip() or errors.strip()).splitlines()
    return {"command": "pressurepoint --db COPY resolve", "output": said[-1] if said else "",
            "wall_seconds": round(wall, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "loadavg_before": round(load_before, 2),
            "loadavg_after": round(os.getloadavg()[0], 2),
            "target": "<= 60 s and <= 2048 MB"}


def candidate_pairs(records: Mapping[str, pipeline.Record], prepared: Mapping[str, Prepared]
                    ) -> list[Pair]:
    """The pairs the pipeline's blocking proposes when every record is new."""
    return list(pipeline._candidates(records, prepared, default_matcher(), set(records),
                                     lambda _phase, _done, _total: None))


def time_pp(pairs: Sequence[Pair], records: Mapping[str, pipeline.Record], runs: int
            ) -> dict[str, Any]:
    ids = sorted({e for pair in pairs for e in pair})
    prepared: dict[str, Prepared] = {}
    with_prepare = score_only = float("inf")
    matches = 0
    for _ in range(runs):
        clear_all_caches()
        started = time.process_time()
        prepared = {e: prepare(records[e].schema, records[e].props) for e in ids}
        matches = sum(score(prepared[a], prepared[b]).match for a, b in pairs)
        with_prepare = min(with_prepare, time.process_time() - started)
        clear_all_caches()
        started = time.process_time()
        for a, b in pairs:
            score(prepared[a], prepared[b])
        score_only = min(score_only, time.process_time() - started)
    return {"scorer": SCORER_VERSION, "pairs": len(pairs), "records": len(ids),
            "matches_at_threshold": matches,
            "score_cpu_s": round(score_only, 3),
            "score_pairs_per_second": round(len(pairs) / score_only),
            "prepare_and_score_cpu_s": round(with_prepare, 3),
            "prepare_and_score_pairs_per_second": round(len(pairs) / with_prepare)}


def time_peer(pairs: Sequence[Pair], records: Mapping[str, pipeline.Record], runs: int
              ) -> tuple[list[float], dict[str, Any]]:
    body = [(peer_record(a, records[a].schema, records[a].props),
             peer_record(b, records[b].schema, records[b].props)) for a, b in pairs]
    scores, summary = run_peer(body, runs=runs)
    best = min(summary["pass_cpu_s"])
    summary["compare_pairs_per_second"] = round(len(pairs) / best)
    summary["proxies_and_compare_pairs_per_second"] = round(
        len(pairs) / (best + summary["build_proxies_cpu_s"]))
    summary["matches_at_threshold"] = sum(s >= PEER_THRESHOLD for s in scores)
    return scores, summary


def agreement(pairs: Sequence[Pair], prepared: Mapping[str, Prepared],
              peer: Sequence[float]) -> dict[str, int]:
    ours = [score(prepared[a], prepared[b]).score >= DEFAULT_THRESHOLD for a, b in pairs]
    theirs = [s >= PEER_THRESHOLD for s in peer]
    both = sum(x and y for x, y in zip(ours, theirs, strict=True))
    return {"both_match": both, "only_pressurepoint": sum(ours) - both,
            "only_logicv2": sum(theirs) - both}


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"machine": machine()}
    db, out["store"] = loaded_store(args.store, workdir)
    if not args.no_resolve:
        out["resolve"] = time_resolve(db, workdir)
    store = Store(sqlite_url(db))
    records = pipeline.load_records(store)
    store.engine.dispose()
    clear_all_caches()
    started = time.process_time()
    prepared = {e: prepare(r.schema, r.props) for e, r in records.items()}
    out["prepare_all"] = {"records": len(records), "us_per_record": round(
        (time.process_time() - started) / len(records) * 1e6)}
    candidates = candidate_pairs(records, prepared)
    pairs = random.Random(args.seed).sample(candidates, min(args.pairs, len(candidates))) \
        if args.pairs else candidates
    out["pairs"] = {"candidates_proposed_by_blocking": len(candidates), "sampled": len(pairs),
                    "seed": args.seed}
    out["pressurepoint"] = pp = time_pp(pairs, records, args.runs)
    if peer_available():
        peer_scores, peer = time_peer(pairs, records, args.runs)
        out["logicv2"] = peer
        out["ratio_score_vs_compare"] = round(
            pp["score_pairs_per_second"] / peer["compare_pairs_per_second"], 1)
        out["ratio_prepare_and_score_vs_proxies_and_compare"] = round(
            pp["prepare_and_score_pairs_per_second"]
            / peer["proxies_and_compare_pairs_per_second"], 1)
        out["agreement_at_0.7"] = agreement(pairs, prepared, peer_scores)
    else:
        out["logicv2"] = "peer environment missing: see benchmarks/README.md"
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", help="SQLite file with the newest files loaded "
                        "(reused if it exists, else built there)")
    parser.add_argument("--pairs", type=int, default=20_000,
                        help="candidate pairs to draw; 0: all of them")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20240503)
    parser.add_argument("--no-resolve", action="store_true", help="skip the whole resolve")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pp-resolve-speed-") as tmp:
        report = run(args, Path(tmp))
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
