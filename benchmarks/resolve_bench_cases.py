"""Measure pressurepoint's names and pairwise scorer on the public labelled cases.

    python benchmarks/resolve_bench_cases.py [--pairs 50000] [--json]

Reads the JSON Lines files in the shared bench folder (env PRESSUREPOINT_SHARED_BENCH, else
../shared/bench next to the repository; see its README.md) and prints, at the scorer's
default threshold:

- precision / recall / F1 on the labelled name pairs (watchman_name_scores rows with
  is_match, watchman_cross_script pairs), top-1 and MRR on query-vs-index cases, recall per
  perturbation on the SSB screening fixture, and the entity cases (watchman_entity_scores:
  label = Watchman's expected score >= 0.8);
- agreement with other projects' normalisation cases where pressurepoint has a function
  that does the same job (watchman_normalization, rigour_org_types, rigour_names,
  rigour_text); functions that only delegate to rigour are marked so;
- the rank agreement with the official OFAC search tool's scores (a shape, not truth);
- with the shared data folder present (env PRESSUREPOINT_SHARED_DATA, else ../shared/data):
  a cross-script check on the persons of the Ukrainian War & Sanctions dataset (Latin name
  against the same person's Cyrillic aliases; different persons sharing a name word as
  negatives);
- throughput of `score()` (CPU time, best of three runs, caches cleared before each) over
  real records paired as a blocking index pairs them, and over random pairs of generated
  records.

No case is special-cased: every figure comes from the same `prepare` / `score` calls.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pressurepoint import names as pn
from pressurepoint.ingest.cleaning import parse_date
from pressurepoint.ingest.identifiers import extract_identifiers
from pressurepoint.names import orgs, persons
from pressurepoint.names.compare import clear_caches
from pressurepoint.names.forms import analyse_name
from pressurepoint.names.text import tokenize
from pressurepoint.names.vessels import normalize_imo
from pressurepoint.resolve import DEFAULT_THRESHOLD, SCORER_VERSION, Prepared, prepare, score
from pressurepoint.resolve.features import normalize_identifier

ROOT = Path(__file__).resolve().parents[1]
Props = dict[str, list[str]]


def bench_dir() -> Path:
    return Path(os.environ.get("PRESSUREPOINT_SHARED_BENCH") or ROOT.parent / "shared" / "bench")


def data_dir() -> Path:
    return Path(os.environ.get("PRESSUREPOINT_SHARED_DATA") or ROOT.parent / "shared" / "data")


def rows(name: str) -> list[dict[str, Any]]:
    with open(bench_dir() / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(precision, 3),
            "recall": round(recall, 3), "f1": round(f1, 3)}


def bench_schema(value: str | None) -> str:
    """The FtM schema for a bench row's schema field (absent or unknown: "Thing")."""
    return {"person": "Person", "company": "Company", "organization": "Organization",
            "vessel": "Vessel"}.get((value or "").lower(), "Thing")


def pair_score(left: str, right: str, schema: str | None) -> float:
    schema = bench_schema(schema)
    return score(prepare(schema, {"name": [left]}), prepare(schema, {"name": [right]})).score


def labelled_pairs(cases: list[tuple[str, str, str | None, bool]]) -> dict[str, Any]:
    tp = fp = fn = 0
    misses = []
    for left, right, schema, label in cases:
        found = pair_score(left, right, schema)
        hit = found >= DEFAULT_THRESHOLD
        tp += hit and label
        fp += hit and not label
        fn += label and not hit
        if hit != label:
            misses.append(f"{left!r} vs {right!r}: {found:.2f} (label {label})")
    return {**prf(tp, fp, fn), "n": len(cases), "wrong": misses}


def watchman_names() -> dict[str, Any]:
    data = rows("watchman_name_scores.jsonl")
    labelled = [(r["query"], r["candidate"], r.get("schema"), r["is_match"])
                for r in data if "is_match" in r]
    curve = [(pair_score(r["query"], r["candidate"], r.get("schema")), r["expected_score"])
             for r in data if "is_match" not in r]
    return {"labelled": labelled_pairs(labelled),
            "score_curve_spearman": round(spearman(curve), 3), "curve_n": len(curve)}


def spearman(pairs: list[tuple[float, float]]) -> float:
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out
    a, b = ranks([p[0] for p in pairs]), ranks([p[1] for p in pairs])
    n = len(pairs)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    var = (sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) ** 0.5
    return cov / var if var else 0.0


def cross_script() -> dict[str, Any]:
    data = rows("watchman_cross_script.jsonl")
    pairs = [(r["query"], r["candidate"], r.get("schema"), r["is_match"])
             for r in data if r["kind"] == "name_pair"]
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in data:
        if r["kind"] == "name_pair":
            hit = pair_score(r["query"], r["candidate"], r.get("schema")) >= DEFAULT_THRESHOLD
            by_category[r["category"]][0] += hit == r["is_match"]
            by_category[r["category"]][1] += 1
    top1 = reciprocal = 0.0
    index_cases = [r for r in data if r["kind"] == "query_vs_index"]
    for r in index_cases:
        query = prepare(bench_schema(r.get("schema")), {"name": [r["query"]]})
        ranked = sorted(((score(query, prepare(bench_schema(r.get("schema")),
                                                    {"name": [item["name"]]})).score,
                          item["name"]) for item in r["index"]), reverse=True)
        position = [name for _, name in ranked].index(r["expected_name"]) + 1
        top1 += position == 1
        reciprocal += 1 / position
    return {"pairs": labelled_pairs(pairs),
            "pairs_by_category": {k: f"{v[0]}/{v[1]}" for k, v in sorted(by_category.items())},
            "query_vs_index": {"n": len(index_cases), "top1": round(top1 / len(index_cases), 3),
                               "mrr": round(reciprocal / len(index_cases), 3)}}


def ssb() -> dict[str, Any]:
    data = rows("ssb_synthetic_fixture.jsonl")
    records = {r["entity_id"]: prepare("Thing", {"name": r["names"]})
               for r in data if r["kind"] == "list_record"}
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    tp = fp = fn = 0
    for r in (r for r in data if r["kind"] == "screening_query"):
        query = prepare("Thing", {"name": [r["query"]]})
        best, found = max((score(query, rec).score, eid) for eid, rec in records.items())
        hit = best >= DEFAULT_THRESHOLD
        right = r["expected"] == "match" and hit and found == r["expected_entity_id"]
        wrong_hit = hit and not right
        tp += right
        fp += wrong_hit
        fn += r["expected"] == "match" and not right
        ok = right if r["expected"] == "match" else not hit
        per[r["perturbation"]][0] += ok
        per[r["perturbation"]][1] += 1
    return {**prf(tp, fp, fn),
            "per_perturbation": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per.items())}}


_SCHEMA = {"person": "Person", "individual": "Person", "business": "Company",
           "organization": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}


def query_props(query: dict[str, Any]) -> tuple[str, Props]:
    schema = _SCHEMA.get(query.get("type", ""), "Thing")
    props: Props = defaultdict(list)
    if query.get("name"):
        props["name"].append(query["name"])
    details = {**query.get("person", {}), **query.get("business", {}), **query.get("vessel", {})}
    for key, prop in (("birthDate", "birthDate"), ("gender", "gender"),
                      ("callSign", "callSign"), ("mmsi", "mmsi"), ("imoNumber", "imoNumber"),
                      ("flag", "flag"), ("created", "incorporationDate")):
        if details.get(key):
            props[prop].append(str(details[key]))
    for gid in details.get("governmentIDs", []):
        prop = {"passport": "passportNumber", "tax_id": "taxNumber"}.get(
            gid["type"], "registrationNumber")
        props[prop].append(gid["identifier"])
    if schema == "Thing":
        props.pop("gender", None)
    return schema, dict(props)


_AKA = re.compile(r"a\.k\.a\. '([^']+)'")
_REMARK_DATE = re.compile(r"(?:DOB|Organization Established Date) (\d{1,2} \w{3} \d{4})")
_NATIONALITY = re.compile(r"(?:nationality|citizen) ([A-Z][a-z]+(?: [A-Z][a-z]+)*)")
_GENDER = re.compile(r"Gender (Male|Female)")


def sdn_props(sdn: dict[str, Any]) -> tuple[str, Props]:
    """An OFAC SDN record (as the bench stores it) as FtM properties."""
    schema = _SCHEMA.get(sdn.get("sdn_type") or "organization", "Organization")
    remarks = sdn.get("remarks") or ""
    props: Props = defaultdict(list)
    props["name"].append(sdn["sdn_name"])
    props["alias"] += [a["name"] for a in sdn.get("aliases", [])] + _AKA.findall(remarks)
    date_prop = "birthDate" if schema == "Person" else "incorporationDate"
    props[date_prop] += [d for d in map(parse_date, _REMARK_DATE.findall(remarks)) if d]
    country_prop = "nationality" if schema == "Person" else "country"
    props[country_prop] += _NATIONALITY.findall(remarks) + [
        a["country"] for a in sdn.get("addresses", []) if a.get("country")]
    if schema == "Person":
        props["gender"] += [g.lower() for g in _GENDER.findall(remarks)]
    for ident in extract_identifiers(remarks):
        props[ident.prop].append(ident.value)
    if sdn.get("call_sign"):
        props["callSign"].append(sdn["call_sign"])
    if sdn.get("vess_flag"):
        props["flag"].append(sdn["vess_flag"])
    return schema, {k: v for k, v in props.items() if v}


def entity_cases() -> dict[str, Any]:
    tp = fp = fn = 0
    lines = []
    for r in rows("watchman_entity_scores.jsonl"):
        label = r["expected_score"] >= 0.8
        q_schema, q_props = query_props(r["query"])
        c_schema, c_props = sdn_props(r["candidate_ofac_sdn"])
        left, right = prepare(q_schema, q_props), prepare(c_schema, c_props)
        result = score(left, right) if left.names or left.id_keys else None
        found = result.score if result else 0.0
        hit = found >= DEFAULT_THRESHOLD
        tp += hit and label
        fp += hit and not label
        fn += label and not hit
        lines.append(f"{'ok ' if hit == label else 'XX '} {found:.2f} "
                     f"(watchman {r['expected_score']}) {r['notes']}")
    return {**prf(tp, fp, fn), "cases": lines}


def compliance() -> dict[str, Any]:
    checks: dict[str, tuple[Callable[..., Any], str]] = {
        "RemoveCompanyTitles": (lambda s: orgs.strip_legal_forms(s).strip(" ,"), "own"),
        "ReorderSDNName(individual)": (persons.reorder_name, "own"),
        "ReorderSDNName(entity)": (lambda s: s, "identity (organisations are not reordered)"),
        "LowerAndRemovePunctuation": (pn.lower_and_remove_punctuation, "own"),
        "rigour.names.org_types.extract_org_types":
            (lambda s, *a, **k: [[m, f] for m, f in _extract(s, k)], "delegates to rigour"),
        "rigour.names.prefix.remove_person_prefixes": (persons.remove_titles,
                                                       "delegates to rigour"),
        "rigour.names.tokenize_name": (lambda s, token_min_length=1: [
            t for t in tokenize(s) if len(t) >= token_min_length],
            "delegates to rigour"),
        "rigour.names.check.is_name": (lambda s: analyse_name(s).form is not None, "own"),
        "rigour.text.scripts.text_scripts": (lambda s: {"set": sorted(pn.scripts_of(s))},
                                             "delegates to rigour"),
        "rigour.text.scripts.is_latin": (pn.is_latin, "own (uses rigour's script table)"),
        "rigour.ids.IMO.normalize": (normalize_imo, "delegates to rigour"),
        "rigour.ids.IMO.is_valid": (lambda s: normalize_imo(s) is not None,
                                    "delegates to rigour"),
        "rigour.ids.INN.is_valid": (lambda s: _valid_id("inn", s), "python-stdnum"),
        "rigour.ids.ogrn.OGRN.is_valid": (lambda s: _valid_id("ogrn", s), "python-stdnum"),
    }
    out: dict[str, Any] = {}
    data = rows("watchman_normalization.jsonl") + rows("rigour_org_types.jsonl") + \
        rows("rigour_names.jsonl") + rows("rigour_text.jsonl") + rows("rigour_identifiers.jsonl")
    for r in data:
        name = r.get("function", "")
        if name not in checks:
            continue
        fn, how = checks[name]
        args = [r["input"]] if "input" in r else [a for a in r["args"]
                                                   if not isinstance(a, dict)]
        try:
            got = fn(*args, **(r.get("kwargs") or {}))
        except Exception as exc:  # a crash is a disagreement to report
            got = f"error {exc}"
        agree = bool(got) == bool(r["expected"]) if r.get("op") == "truthy" else \
            got == r["expected"]
        entry = out.setdefault(name, {"agree": 0, "n": 0, "how": how, "differ": []})
        entry["agree"] += agree
        entry["n"] += 1
        if not agree:
            entry["differ"].append(f"{args[0]!r}: got {got!r}, expected {r['expected']!r}")
    return out


def _valid_id(kind: str, value: str) -> bool:
    found = normalize_identifier(kind, value)
    return bool(found and found[0] == kind and found[2])


def ofac_tool_curve() -> dict[str, Any]:
    """Rank agreement with the official OFAC search tool's scores (a shape, not truth)."""
    data = rows("nomenklatura_ofac_search_scores.jsonl")
    curve = [(pair_score(r["query"], r["candidate"], r.get("schema")), r["expected_score"])
             for r in data if r["expected_score"] is not None]
    return {"n": len(curve), "spearman": round(spearman(curve), 3),
            "not_returned_by_ofac": len(data) - len(curve)}


def _extract(text: str, kwargs: dict[str, Any]) -> list[tuple[str, str]]:
    from rigour.names import extract_org_types

    return [(m, f) for m, f in extract_org_types(text, generic=kwargs.get("generic", False))]


def ua_war_sanctions_persons() -> Iterator[dict[str, str]]:
    path = data_dir() / "opensanctions" / "ua_war_sanctions-2026-03" / "targets.simple.csv.gz"
    if not path.exists():
        return
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def cross_script_real(limit_negatives: int = 20_000) -> dict[str, Any] | None:
    """Latin name vs the same person's Cyrillic aliases (positives); different persons who
    share a name word (negatives)."""
    people = [r for r in ua_war_sanctions_persons() if r["schema"] == "Person"]
    if not people:
        return None
    latin, cyrillic = [], []
    for row in people:
        aliases = [a for a in row["aliases"].split(";") if a and not a.isascii()]
        if row["name"].isascii() and aliases:
            latin.append(prepare("Person", {"name": [row["name"]]}))
            cyrillic.append(prepare("Person", {"name": aliases}))
    tp = sum(score(a, b).match for a, b in zip(latin, cyrillic, strict=True))
    fn = len(latin) - tp
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(cyrillic):
        for form in record.names:
            for token in form.tokens:
                blocks[token].append(i)
    negatives = {(i, j) for ids in blocks.values() if len(ids) < 60 for i in ids for j in ids
                 if i != j}
    sample = random.Random(7).sample(sorted(negatives), min(limit_negatives, len(negatives)))
    fp = sum(score(latin[i], cyrillic[j]).match for i, j in sample)
    return {**prf(tp, fp, fn), "positives": len(latin), "negatives": len(sample)}


def throughput(count: int) -> dict[str, Any]:
    """score() over `count` pairs: real records paired as a blocking index would pair them
    (sharing a name word), and random pairs of generated records."""
    out: dict[str, Any] = {}
    records = [prepare(r["schema"], ua_props(r)) for r in ua_war_sanctions_persons()
               if r["schema"] in ("Person", "Company", "Vessel", "LegalEntity")]
    if records:
        started = time.perf_counter()
        records = [prepare(r["schema"], ua_props(r)) for r in ua_war_sanctions_persons()
                   if r["schema"] in ("Person", "Company", "Vessel", "LegalEntity")]
        out["prepare_us_per_record"] = round((time.perf_counter() - started)
                                             / len(records) * 1e6, 1)
        out["blocked_real_pairs"] = _time_pairs(_blocked(records, count))
    generated = [prepare("Person", props) for props in _generated(2000)]
    rng = random.Random(3)
    pairs = [(rng.choice(generated), rng.choice(generated)) for _ in range(count)]
    out["random_generated_pairs"] = _time_pairs(pairs)
    return out


def _time_pairs(pairs: list[tuple[Prepared, Prepared]], runs: int = 3) -> dict[str, Any]:
    """CPU time (process time, best of `runs`, each with cleared caches) of score() over
    the pairs, and of score() plus its explanation over the first 5,000."""
    cold = explained = float("inf")
    matches = 0
    for _ in range(runs):
        clear_caches()
        started = time.process_time()
        matches = sum(score(a, b).match for a, b in pairs)
        cold = min(cold, time.process_time() - started)
        clear_caches()
        started = time.process_time()
        for a, b in pairs[:5000]:
            _ = score(a, b).explanation
        explained = min(explained, time.process_time() - started)
    return {"pairs": len(pairs), "matches": matches,
            "pairs_per_second": round(len(pairs) / cold),
            "with_explanation_per_second": round(min(5000, len(pairs)) / explained)}


def ua_props(row: dict[str, str]) -> Props:
    props: Props = {"name": [row["name"]],
                    "alias": [a for a in row["aliases"].split(";") if a]}
    if row["birth_date"] and row["schema"] == "Person":
        props["birthDate"] = [d for d in row["birth_date"].split(";") if d]
    if row["countries"]:
        props["country"] = [c for c in row["countries"].split(";") if c]
    ids = [i for i in row["identifiers"].split(";") if i]
    if ids:
        props["imoNumber" if row["schema"] == "Vessel" else "registrationNumber"] = ids
    return props


def _blocked(records: list[Prepared], count: int) -> list[tuple[Prepared, Prepared]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        for token in {t for form in record.names for t in form.tokens if len(t) > 3}:
            blocks[token].append(i)
    pairs = {(i, j) for ids in blocks.values() if len(ids) <= 40 for i in ids for j in ids
             if i < j}
    chosen = random.Random(5).sample(sorted(pairs), min(count, len(pairs)))
    return [(records[i], records[j]) for i, j in chosen]


def _generated(count: int) -> Iterator[Props]:
    rng = random.Random(11)
    family = ["Иванов", "Петров", "Абрамович", "Ходорковский", "Щукин", "Зеленский",
              "Медведев", "Ротенберг", "Тимченко", "Ковальчук", "Сечин", "Шувалов"]
    given = ["Роман", "Михаил", "Юрий", "Владимир", "Дмитрий", "Аркадий", "Сергей", "Олег"]
    systems = [*pn.SYSTEMS, "cyrillic"]
    for _ in range(count):
        name = f"{rng.choice(family)} {rng.choice(given)} {rng.choice(given)}ович"
        system = rng.choice(systems)
        spelled = name if system == "cyrillic" else pn.romanise(name, system)
        yield {"name": [spelled], "birthDate": [f"{rng.randint(1950, 1980)}-0{rng.randint(1, 9)}"
                                                f"-1{rng.randint(0, 9)}"],
               "nationality": ["ru"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=50_000)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    report: dict[str, Any] = {"scorer": SCORER_VERSION, "threshold": DEFAULT_THRESHOLD,
                              "python": sys.version.split()[0]}
    report["watchman_name_scores"] = watchman_names()
    report["watchman_cross_script"] = cross_script()
    report["ssb_synthetic_fixture"] = ssb()
    report["watchman_entity_scores"] = entity_cases()
    report["ofac_search_tool_curve"] = ofac_tool_curve()
    report["compliance"] = compliance()
    report["ua_war_sanctions_cross_script"] = cross_script_real()
    report["throughput"] = throughput(args.pairs)
    print(json.dumps(report, ensure_ascii=False, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
