"""`gaps` and `timeline`: who lists whom, and how the lists grew."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click
import orjson
from rich.console import Console
from rich.table import Table

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import AppContext, pass_app

if TYPE_CHECKING:
    from pressurepoint.analysis.gaps import Row

FORMATS = ("table", "csv", "json")
GAP_FORMATS = (*FORMATS, "xlsx")


def register(group: click.Group) -> None:
    for command in (gaps, timeline):
        group.add_command(command)


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
@click.option("--format", "fmt", type=click.Choice(GAP_FORMATS), default="table",
              show_default=True, help="xlsx is binary: it needs -o FILE.xlsx.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write here instead of standard output (required for xlsx).")
@pass_app
def gaps(app: AppContext, /, limit: int | None, fmt: str, output: Path | None,
         **options: Any) -> None:
    """Entities some jurisdictions list and others do not, most glaring gaps first."""
    if fmt == "xlsx" and output is None:
        raise InvalidInput("--format xlsx needs -o FILE.xlsx (a spreadsheet is binary)")
    from pressurepoint.analysis.designations import load_designations
    from pressurepoint.analysis.gaps import (
        Query,
        check_jurisdictions,
        iso_day,
        jurisdictions,
        matrix,
        split_codes,
    )

    query = Query(regimes=split_codes(options["regime"], upper=False),
                  schema=split_codes(options["schema"], upper=False),
                  listed_by=split_codes(options["listed_by"]),
                  not_listed_by=split_codes(options["not_listed_by"]),
                  since=iso_day(options["since"], "--since"),
                  include_all=options["include_all"])
    day = date.fromisoformat(iso_day(options["as_of"], "--as-of") or date.today().isoformat())
    data = load_designations(app.store)
    check_jurisdictions(query, data.jurisdictions)
    rows = matrix(data, query)[:limit] if limit else matrix(data, query)
    _write_gaps(fmt, rows, jurisdictions(data, query.regimes), day, output)


def _write_gaps(fmt: str, rows: list[Row], codes: list[str], day: date,
                output: Path | None) -> None:
    """The matrix rows as JSON, CSV, XLSX (the CSV's columns) or a terminal table."""
    if fmt == "json":
        # orjson: the standard library's indenting encoder is pure Python and took longer
        # than computing the matrix itself.
        text = orjson.dumps([r.to_json(day) for r in rows], option=orjson.OPT_INDENT_2)
        with _text_out(output) as out:
            out.write(text.decode("utf-8"))
            out.write("\n")
        return
    header = ["id", "name", "schema", "birth_date", "listed_by", "gaps", "first_listed",
              "gap_age_days"]
    header += [f"{c}_{k}" for c in codes for k in ("status", "since", "until", "regimes",
                                                   "sources")]
    table = (_flat(r.to_json(day), codes) for r in rows)
    if fmt == "xlsx" and output is not None:
        from pressurepoint.outputs.exports.xlsx import write_table

        write_table(output, header, table, sheet="gaps")
        return
    if fmt == "csv":
        with _text_out(output) as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(table)
        return
    shown = Table(*header[1:4], *codes, "gap days", title=f"{len(rows)} entities")
    shown.columns[0].min_width = 24
    for row in rows:
        item = row.to_json(day)
        shown.add_row(item["name"], item["schema"], item["birth_date"] or "",
                      *[_mark(item["jurisdictions"][c]) for c in codes],
                      str(item["gap_age_days"] or ""))
    if output is None:
        Console().print(shown)
        return
    with output.open("w", encoding="utf-8") as handle:
        Console(file=handle, width=200).print(shown)


@contextmanager
def _text_out(output: Path | None) -> Iterator[TextIO]:
    """The file to write (UTF-8, CSV-safe newlines), or standard output."""
    if output is None:
        yield sys.stdout
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        yield handle


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
    from pressurepoint.analysis.gaps import split_codes
    from pressurepoint.analysis.timeline import timeline as build

    rows = build(load_designations(app.store), split_codes(regime, upper=False)).rows()
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
