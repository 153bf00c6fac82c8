"""Score pairs with nomenklatura's LogicV2, the peer pressurepoint's scorer is measured
against. Runs INSIDE the peer environment (benchmarks/.peer-venv), never imports
pressurepoint:

    python3 -m venv benchmarks/.peer-venv
    benchmarks/.peer-venv/bin/pip install nomenklatura
    benchmarks/.peer-venv/bin/python benchmarks/peer_logicv2.py [--runs 3] < pairs.jsonl

Input, one JSON object a line: ``{"left": RECORD, "right": RECORD}`` where RECORD is
``{"id": ..., "schema": ..., "properties": {prop: [values]}}``. Records with the same id
must carry the same properties: each record becomes one entity proxy, built once (as a
matcher working over a store would), and LogicV2 keeps per-entity caches keyed by id.

A record of schema "Thing" (a bare name of unknown type) is given the other side's
schema, or LegalEntity when both are "Thing": LogicV2 scores 0 for schemata that cannot
match, and FtM's Thing is not matchable.

Output, one line per input pair in input order: ``{"score": s}`` (the first pass), then one
line ``{"summary": {...}}``: versions, pairs, seconds to build the proxies, of the one-time
warm-up (LogicV2 loads its name tables on the first comparison: two made-up pairs are
scored first, outside the timing) and the process CPU seconds of each pass over all
pairs. Before every pass each functools cache
in nomenklatura, rigour and followthemoney is cleared and the two made-up pairs are scored
again (anything loaded once comes back outside the timing), so each pass starts cold and
fills its caches as it goes; the best pass is the one to compare.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from importlib.metadata import version
from typing import Any

from followthemoney import model
from nomenklatura.matching import LogicV2

CACHED_PACKAGES = ("nomenklatura", "rigour", "followthemoney")


def clear_caches() -> int:
    """Clear every functools cache in the peer's packages; returns how many."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(CACHED_PACKAGES):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()
                cleared += 1
    return cleared


def schema_for(record: dict[str, Any], other: dict[str, Any]) -> str:
    schema = str(record.get("schema") or "Thing")
    if schema != "Thing":
        return schema
    other_schema = str(other.get("schema") or "Thing")
    return other_schema if other_schema != "Thing" else "LegalEntity"


def proxy(record: dict[str, Any], schema: str) -> Any:
    entity = model.make_entity(schema)
    entity.id = str(record["id"])
    for prop, values in (record.get("properties") or {}).items():
        # values the schema has no property for, or that FtM cannot clean, are left out
        entity.add(prop, values, quiet=True)
    return entity


def read_pairs(stream: Any) -> list[tuple[Any, Any]]:
    proxies: dict[tuple[str, str], Any] = {}
    pairs = []
    for line in stream:
        if not line.strip():
            continue
        row = json.loads(line)
        sides = []
        for record, other in ((row["left"], row["right"]), (row["right"], row["left"])):
            schema = schema_for(record, other)
            key = (str(record["id"]), schema)
            if key not in proxies:
                proxies[key] = proxy(record, schema)
            sides.append(proxies[key])
        pairs.append((sides[0], sides[1]))
    return pairs


def warm_up(config: Any) -> float:
    """Score two made-up pairs so that one-time loading stays out of the timed passes."""
    started = time.process_time()
    for schema, left, right in (("Person", "Ivan Petrov", "Петров Иван"),
                                ("Company", "OOO Romashka", "Romashka LLC")):
        LogicV2.compare(proxy({"id": "warm-up-1", "properties": {"name": [left]}}, schema),
                        proxy({"id": "warm-up-2", "properties": {"name": [right]}}, schema),
                        config)
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="timed passes (default 3)")
    args = parser.parse_args()
    started = time.process_time()
    pairs = read_pairs(sys.stdin)
    build = time.process_time() - started
    config = LogicV2.default_config()
    warm = warm_up(config)
    passes: list[float] = []
    scores: list[float] = []
    for run in range(max(1, args.runs)):
        clear_caches()
        warm_up(config)
        started = time.process_time()
        found = [LogicV2.compare(left, right, config).score for left, right in pairs]
        passes.append(time.process_time() - started)
        if run == 0:
            scores = found
    out = sys.stdout
    for value in scores:
        out.write(json.dumps({"score": round(value, 6)}) + "\n")
    best = min(passes)
    summary = {
        "algorithm": LogicV2.NAME,
        "versions": {p: version(p) for p in ("nomenklatura", "followthemoney", "rigour")},
        "python": sys.version.split()[0],
        "pairs": len(pairs),
        "build_proxies_cpu_s": round(build, 3),
        "warm_up_cpu_s": round(warm, 3),
        "pass_cpu_s": [round(p, 3) for p in passes],
        "pairs_per_second": round(len(pairs) / best) if best else None,
    }
    out.write(json.dumps({"summary": summary}) + "\n")


if __name__ == "__main__":
    main()
