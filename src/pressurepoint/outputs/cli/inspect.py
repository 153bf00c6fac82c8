"""`sources`, `show` and `issues`: read what the store holds."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from pressurepoint.errors import NotFound
from pressurepoint.outputs.cli.main import AppContext, pass_app
from pressurepoint.sources import available_sources
from pressurepoint.store import resolution as rs
from pressurepoint.store.views import RecordView, record_views


def source_rows(app: AppContext) -> list[dict[str, Any]]:
    """Per source: its newest good run, counts, issues and age."""
    newest = app.store.newest_runs()
    issue_counts = app.store.issue_counts()
    today = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for spec in available_sources():
        run = newest.get(spec.id)
        row: dict[str, Any] = {
            "id": spec.id, "title": spec.title, "jurisdiction": spec.jurisdiction,
            "publisher": spec.publisher, "published_at": None, "records": 0,
            "records_by_schema": {}, "issues": 0, "age_days": None, "last_run": None,
            "runs": len(app.store.runs(spec.id)) if run else 0,
        }
        if run is not None:
            published = datetime.fromisoformat(run["published_at"])
            row.update(
                published_at=run["published_at"], records=run["records"],
                records_by_schema=run["records_by_schema"],
                issues=issue_counts.get(run["id"], 0),
                age_days=(today - published).days,
                last_run={k: run[k] for k in ("id", "file_name", "format", "sha256",
                                              "fetched_at", "loaded_at", "published_basis",
                                              "outcome")},
            )
        rows.append(row)
    return rows


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def sources(app: AppContext, as_json: bool) -> None:
    """Each source with its newest good run, record counts, issues and age."""
    rows = source_rows(app)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("source", "jurisdiction", "published", "records", "by schema", "issues",
                  "age (days)")
    for row in rows:
        schemata = ", ".join(f"{k} {v}" for k, v in row["records_by_schema"].items())
        table.add_row(row["id"], row["jurisdiction"], (row["published_at"] or "never")[:10],
                      str(row["records"]), schemata, str(row["issues"]),
                      "" if row["age_days"] is None else str(row["age_days"]))
    Console().print(table)


@click.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", default=20, show_default=True, help="At most this many records.")
@pass_app
def show(app: AppContext, query: str, as_json: bool, limit: int) -> None:
    """A record (by id) or the records whose names contain QUERY, with every value's
    source and first/last seen, and each designation."""
    store = app.store
    ids = _matching_ids(app, query, limit)
    canonical = rs.canonical_of(store, ids)
    views = [v for v in record_views(store, ids) if v.schema != "Sanction"]
    if not views:
        raise NotFound(f"no record matches {query!r}")
    if as_json:
        out = [dict(v.to_json(), canonical_id=canonical.get(v.id)) for v in views]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    console = Console()
    shown: set[str] = set()
    for view in views:
        group = canonical.get(view.id)
        if group and group not in shown:
            shown.add(group)
            members = [v for v in views if canonical.get(v.id) == group]
            sources = ", ".join(sorted({v.source for v in members}))
            console.print(f"[bold]== entity {group}[/bold]: {len(members)} records "
                          f"({sources})", highlight=False, soft_wrap=True)
        _print_view(console, view)


def _matching_ids(app: AppContext, query: str, limit: int) -> list[str]:
    """The record with this id (or the records of this canonical id), else the records
    whose names contain QUERY; each widened to every record of its canonical entity."""
    store = app.store
    if store.entity_exists(query):
        ids = [query]
    else:
        ids = rs.members_of(store, query) or store.find_by_name(query, limit)
    widened: list[str] = []
    for canonical_id in dict.fromkeys(rs.canonical_of(store, ids).values()):
        widened.extend(rs.members_of(store, canonical_id))
    return list(dict.fromkeys(ids + widened))


def _print_view(console: Console, view: RecordView) -> None:
    state = "current" if view.current else f"not in the newest file (last {view.last_seen[:10]})"
    console.print(f"[bold]{view.id}[/bold] {view.schema} · {view.source} · {state}")
    table = Table("property", "value", "first seen", "last seen", box=None)
    for value in view.values:
        shown = value["value"] + (f"  [{value['lang']}]" if value["lang"] else "")
        table.add_row(value["prop"], shown, value["first_seen"][:10], value["last_seen"][:10])
    console.print(table)
    for designation in view.designations:
        program = ", ".join(designation.prop("program")) or "-"
        since = ", ".join(designation.prop("listingDate")) or "date not stated"
        status = ", ".join(designation.prop("status")) or "unknown"
        rule = ", ".join(designation.prop("pp:statusRule"))
        until = ", ".join(designation.prop("endDate"))
        line = f"  designation {designation.id}: {program}; listed {since}; {status}"
        line += f" until {until}" if until else ""
        console.print(f"{line} ({rule}); seen {designation.first_seen[:10]}.."
                      f"{designation.last_seen[:10]}", highlight=False)
    console.print()


@click.command()
@click.option("--source", metavar="ID", help="Only this source.")
@click.option("--limit", default=200, show_default=True, help="At most this many issues.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def issues(app: AppContext, source: str | None, limit: int, as_json: bool) -> None:
    """Row-level problems found in the source files."""
    rows = app.store.issues(source=source, limit=limit)
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("run", "source", "code", "record", "where", "message")
    for row in rows:
        table.add_row(str(row["run_id"]), row["source"], row["code"], row["record_id"] or "",
                      row["location"] or "", row["message"])
    Console().print(table)
