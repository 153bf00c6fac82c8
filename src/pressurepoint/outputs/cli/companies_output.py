"""Rendering for `pressurepoint companies`: rows for table / CSV / XLSX, one company's page
on the terminal, and the review of close calls."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from pressurepoint.errors import InvalidInput
from pressurepoint.outputs.cli.main import AppContext
from pressurepoint.trackers.changes import Change
from pressurepoint.trackers.companies import Companies, CompanyView
from pressurepoint.trackers.grouping import Pair
from pressurepoint.trackers.history import Assessment, TrackerData
from pressurepoint.trackers.sanctions import SanctionsLink

Cell = str | int | None


def company_rows(views: Sequence[CompanyView], data: TrackerData, *, compact: bool = False
                 ) -> tuple[list[str], list[list[Cell]]]:
    """One row per company; per tracker its newest grade, label and date (`compact`: all
    trackers' grades in one column, for the terminal)."""
    if compact:
        return ["name", "country", "industry", "status", "grades (tracker, date)"], [
            [v.name, ", ".join(v.countries), v.industry, v.status,
             "; ".join(f"{a.grade.code} ({a.source} {a.date})" for a in v.trackers)]
            for v in views]
    trackers = [s for s in data.snapshots if any(a.source == s for v in views
                                                 for a in v.trackers)]
    headers = ["id", "name", "country", "industry", "status"]
    for source in trackers:
        headers += [f"{source} grade", f"{source} label", f"{source} date"]
    rows: list[list[Cell]] = []
    for view in views:
        row: list[Cell] = [view.id, view.name, view.country, view.industry, view.status]
        for source in trackers:
            current = [a for a in view.trackers if a.source == source]
            row += [", ".join(a.grade.code for a in current) or None,
                    ", ".join(a.grade.label for a in current) or None,
                    max((a.date for a in current), default=None)]
        rows.append(row)
    return headers, rows


def change_rows(changes: Sequence[Change]) -> tuple[list[str], list[list[Cell]]]:
    headers = ["change", "name", "country", "industry", "tracker", "before", "before date",
               "after", "after date", "path", "id"]
    rows: list[list[Cell]] = []
    for change in changes:
        before, after = change.before, change.after
        rows.append([
            change.kind, change.company.name, change.company.country,
            change.company.industry, change.source,
            before.grade.code if before else None, before.date if before else None,
            after.grade.code if after else None, after.date if after else None,
            " → ".join(f"{a.grade.code} {a.date}" for a in change.path), change.company.id,
        ])
    return headers, rows


def write_rows(fmt: str, headers: list[str], rows: list[list[Cell]], output: Path | None,
               *, title: str = "", sheet: str = "companies") -> None:
    """Rows as a terminal table, CSV or XLSX (the CSV's columns; `sheet` names its sheet)."""
    if fmt == "table":
        table = Table(*headers, title=title)
        for row in rows:
            table.add_row(*("" if c is None else str(c) for c in row))
        Console(file=output.open("w", encoding="utf-8") if output else None).print(table)
    elif fmt == "csv":
        handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
        if output:
            handle.close()
    elif fmt == "xlsx":
        if output is None:
            raise InvalidInput("--format xlsx needs -o FILE.xlsx (a spreadsheet is binary)")
        from pressurepoint.outputs.exports.xlsx import write_table

        write_table(output, headers, rows, sheet=sheet)


def print_company(console: Console, view: CompanyView, links: list[SanctionsLink],
                  reasons: dict[Pair, str]) -> None:
    """One company's page on the terminal."""
    console.print(f"[bold]{view.name}[/bold]  ({view.id})  status: [bold]{view.status}"
                  "[/bold]", highlight=False)
    console.print(f"home country: {', '.join(view.countries) or '?'}   industry: "
                  f"{', '.join(view.industries) or '?'}", highlight=False)
    if view.aliases:
        console.print(f"also named: {'; '.join(view.aliases)}", highlight=False)
    history = Table("date", "tracker", "grade", "label", "status", "tracker's words",
                    title="assessments")
    for a in view.assessments:
        history.add_row(a.date, a.source, a.grade.code, a.grade.label, a.grade.status,
                        a.words or "")
    console.print(history)
    records = Table("record", "tracker", "name", "listed now", "seen",
                    title="tracker records")
    for member in view.members:
        records.add_row(member.id, member.source, member.name, "yes" if member.listed else "no",
                        f"{member.first_seen[:10]} – {member.last_seen[:10]}")
    console.print(records)
    for (left, right), why in reasons.items():
        console.print(f"joined {left} + {right}: {why}", highlight=False)
    _print_links(console, links)


def _print_links(console: Console, links: list[SanctionsLink]) -> None:
    if not links:
        console.print("sanctions records linked: none found", highlight=False)
        return
    table = Table("link", "record", "source", "names", "countries", "designations",
                  title="sanctions records linked (leads to check, see docs/companies.md)")
    for link in links:
        record = link.record
        designations = "; ".join(
            f"{d['authority']} {d['status'] or ''} {d['listing_date'] or ''}".strip()
            for d in link.designations)
        table.add_row(link.relation, record.id, record.source,
                      "; ".join(dict.fromkeys(record.prop("name")))[:80],
                      ", ".join(sorted(set(record.prop("country")))), designations)
    console.print(table)


def review_pairs(app: AppContext, found: Companies, limit: int, list_only: bool,
                 author: str) -> None:
    """Walk the close calls and record judgements."""
    from pressurepoint.store import resolution as rs
    from pressurepoint.trackers.review import close_pairs

    pairs = close_pairs(found.data, found.grouping, rs.judgements(app.store))[:limit]
    if not pairs:
        click.echo("no unjudged close calls between tracker records", err=True)
        return
    console = Console()
    answers = {"s": "same", "d": "different", "u": "unsure"}
    for n, pair in enumerate(pairs, 1):
        _show_pair(console, found, pair.left, pair.right, f"{n}/{len(pairs)} · score "
                   f"{pair.score:.3f}")
        if list_only:
            continue
        choice = click.prompt("same / different / unsure / next / quit",
                              type=click.Choice(["s", "d", "u", "n", "q"]), default="n")
        if choice == "q":
            break
        if choice in answers:
            rs.add_judgement(app.store, pair.left, pair.right, answers[choice], author)


def _show_pair(console: Console, found: Companies, left: str, right: str, title: str) -> None:
    table = Table(title, left, right)
    records = [found.data.records[left], found.data.records[right]]
    for label, values in (
        ("names", [", ".join(r.all_names()) for r in records]),
        ("country", [", ".join(r.newest("country")) for r in records]),
        ("industry", [", ".join(r.newest("sector")) for r in records]),
        ("grades", [_grades(r.assessments) for r in records]),
        ("listed", [f"{r.first_seen[:10]} – {r.last_seen[:10]}" for r in records]),
    ):
        table.add_row(label, *values)
    console.print(table)


def _grades(assessments: list[Assessment]) -> str:
    return ", ".join(f"{a.grade.code} {a.date}" for a in assessments[-3:])
