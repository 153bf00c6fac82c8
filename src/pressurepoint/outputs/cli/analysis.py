"""`gaps` and `timeline`: who lists whom, and how the lists grew."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import AppContext, pass_app

FORMATS = ("table", "csv", "json")


def register(group: click.Group) -> None:
    for command in (gaps, timeline):
        group.add_command(command)


def _codes(text: str | None, upper: bool = True) -> list[str]:
    if not text:
        return []
    return [p.strip().upper() if upper else p.strip() for p in text.split(",") if p.strip()]


def _day(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise InvalidInput(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from exc


@click.command()
@click.option("--regime", help="Only designations under these regimes: russia, belarus, or a "
              "word of the program name (comma-separated).")
@click.option("--schema", help="Only these schemata (Person,Company,Vessel...).")
@click.option("--listed-by", help="Only entities listed by all of these (e.g. UK,CA).")
@click.option("--not-listed-by", help="Only entities not listed by any of these (e.g. US).")
@click.option("--since", help="Only entities some jurisdiction listed on or after this date.")
@click.option("--all", "include_all", is_flag=True, help="Also entities without a gap.")
@click.option("--as-of", help="Date the gap ages are counted to (default: today).")
@click.option("--limit", type=int, default=None, help="At most this many rows.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@pass_app
def gaps(app: AppContext, /, limit: int | None, fmt: str, **options: Any) -> None:
    """Entities some jurisdictions list and others do not, most glaring gaps first."""
    from pressurepoint.analysis.designations import load_designations
    from pressurepoint.analysis.gaps import Query, jurisdictions, matrix

    query = Query(regimes=_codes(options["regime"], upper=False),
                  schema=_codes(options["schema"], upper=False),
                  listed_by=_codes(options["listed_by"]),
                  not_listed_by=_codes(options["not_listed_by"]),
                  since=_day(options["since"], "--since"), include_all=options["include_all"])
    day = date.fromisoformat(_day(options["as_of"], "--as-of") or date.today().isoformat())
    data = load_designations(app.store)
    unknown = sorted((set(query.listed_by) | set(query.not_listed_by)) - set(data.jurisdictions))
    if unknown:
        raise InvalidInput(f"no loaded sanctions source of jurisdiction {', '.join(unknown)} "
                           f"(loaded: {', '.join(data.jurisdictions)})")
    rows = matrix(data, query)[:limit] if limit else matrix(data, query)
    if fmt == "json":
        json.dump([r.to_json(day) for r in rows], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    codes = jurisdictions(data, query.regimes)
    header = ["id", "name", "schema", "birth_date", "listed_by", "gaps", "first_listed",
              "gap_age_days"]
    table = [_flat(r.to_json(day), codes) for r in rows]
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(header + [f"{c}_{k}" for c in codes
                                  for k in ("status", "since", "until", "regimes", "sources")])
        writer.writerows(table)
        return
    out = Table(*header[1:4], *codes, "gap days", title=f"{len(rows)} entities")
    out.columns[0].min_width = 24
    for row in rows:
        item = row.to_json(day)
        out.add_row(item["name"], item["schema"], item["birth_date"] or "",
                    *[_mark(item["jurisdictions"][c]) for c in codes],
                    str(item["gap_age_days"] or ""))
    Console().print(out)


def _flat(item: dict[str, Any], codes: list[str]) -> list[Any]:
    out = [item["id"], item["name"], item["schema"], item["birth_date"] or "",
           "+".join(item["listed_by"]), "+".join(item["gaps"]), item["first_listed"] or "",
           item["gap_age_days"] if item["gap_age_days"] is not None else ""]
    for code in codes:
        cell = item["jurisdictions"][code]
        out += [cell["status"], cell["since"] or "", cell["until"] or "",
                "; ".join(cell["regimes"]),
                "; ".join(f"{s['source']}:{s['record_id'] or s['entity_id']}@run{s['run']}"
                          for s in cell["sources"])]
    return out


def _mark(cell: dict[str, Any]) -> str:
    if cell["status"] == "listed":
        return f"✓ {cell['since'] or ''}"
    if cell["status"] == "lifted":
        return f"lifted {cell['until'] or ''}"
    return "—"


@click.command()
@click.option("--regime", help="Only designations under these regimes (as for `gaps`).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
              show_default=True)
@pass_app
def timeline(app: AppContext, regime: str | None, fmt: str) -> None:
    """Designations per jurisdiction over time: listed and lifted per month, entities in
    each file of each source, and the overlap of jurisdictions today."""
    from pressurepoint.analysis.designations import load_designations
    from pressurepoint.analysis.timeline import timeline as build

    rows = build(load_designations(app.store), _codes(regime, upper=False)).rows()
    if fmt == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    header = ["section", "jurisdiction", "source", "period", "count"]
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, header)
        writer.writeheader()
        writer.writerows(rows)
        return
    out = Table(*header)
    for row in rows:
        out.add_row(*[str(row[k] if row[k] is not None else "") for k in header])
    Console().print(out)
