"""Exports of the current data: FollowTheMoney JSON lines and a flat CSV."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

import orjson

from pressurepoint.model import Entity

CSV_COLUMNS = [
    "id", "schema", "source", "name", "aliases", "birth_date", "countries", "identifiers",
    "programs", "listing_dates", "status",
]
IDENTIFIER_PROPS = ("innCode", "ogrnCode", "passportNumber", "idNumber", "registrationNumber",
                    "taxNumber", "imoNumber", "swiftBic", "leiCode", "kppCode", "okpoCode")


def write_ftm(entities: Iterable[Entity], out: TextIO) -> int:
    """One FtM entity per line; returns the count."""
    count = 0
    for entity in entities:
        out.write(orjson.dumps(entity.to_ftm()).decode() + "\n")
        count += 1
    return count


def write_csv(entities: Iterable[Entity], out: TextIO, source_of: dict[str, str]) -> int:
    """One row per listed target with its designations folded in; returns the count."""
    targets: list[Entity] = []
    sanctions: dict[str, list[Entity]] = {}
    for entity in entities:
        if entity.schema == "Sanction":
            for target in entity.get("entity"):
                sanctions.setdefault(target, []).append(entity)
        elif entity.is_target:
            targets.append(entity)
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entity in targets:
        own = sanctions.get(entity.id, [])
        writer.writerow([
            entity.id, entity.schema, source_of.get(entity.id, ""),
            entity.first("name") or "",
            _join(entity.get("alias") + entity.get("weakAlias") + entity.get("name")[1:]),
            _join(entity.get("birthDate")),
            _join(entity.get("nationality") + entity.get("citizenship") + entity.get("country")),
            _join(f"{p}:{v}" for p in IDENTIFIER_PROPS for v in entity.get(p)),
            _join(v for s in own for v in s.get("program")),
            _join(v for s in own for v in s.get("listingDate")),
            _join(v for s in own for v in s.get("status")),
        ])
    return len(targets)


def _join(values: Iterable[str]) -> str:
    seen: list[str] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return "; ".join(seen)
