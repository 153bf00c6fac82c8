"""`pressurepoint companies`: who still does business in Russia, who left, how that changed.

    pressurepoint companies [--country DE] [--industry …] [--status staying] [--format …]
    pressurepoint companies changes --since 2024-01-01 [--until …]
    pressurepoint companies show "Siemens"
    pressurepoint companies counts [--tracker yale_celi] [--date …]
    pressurepoint companies review
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from pressurepoint.errors import InvalidInput, NotFound
from pressurepoint.outputs.cli.main import AppContext, pass_app
from pressurepoint.trackers.status import CHANGE_KINDS, RETURNED, STATUSES

if TYPE_CHECKING:
    from pressurepoint.trackers.companies import Companies

# The trackers (and the names engine under them) are imported by the commands that use
# them, so that every other command starts as fast as before.
FORMATS = ("table", "csv", "json", "xlsx")

_FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                       show_default=True, help="json: a list of objects; xlsx (binary, the "
                       "csv columns) needs -o FILE.xlsx.")
_OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                       help="Write here instead of standard output.")
_DATE = click.DateTime(formats=["%Y-%m-%d"])


def register(group: click.Group) -> None:
    group.add_command(companies)


def _load(app: AppContext) -> Companies:
    from pressurepoint.trackers.companies import load_companies

    found = load_companies(app.store)
    if not found.views:
        raise NotFound("no company tracker is loaded (pressurepoint update --from DIR, "
                       "with DIR/yale_celi/<date>/..., DIR/kse_leave_russia/<date>/...)")
    return found


@click.group(invoke_without_command=True)
@click.option("--country", metavar="CODE|NAME", help="Home country (ISO code or name).")
@click.option("--industry", metavar="TEXT", help="Industry contains this text.")
@click.option("--status", type=click.Choice(STATUSES), help="Normalised status now.")
@click.option("--tracker", metavar="ID", help="Listed by this tracker (source id).")
@click.option("--name", metavar="TEXT", help="Name or alias contains this text.")
@_FORMAT
@_OUTPUT
@click.option("--history/--no-history", default=True, show_default=True,
              help="json: every dated assessment, or only each tracker's newest.")
@click.pass_context
def companies(ctx: click.Context, /, fmt: str, output: Path | None, history: bool,
              **options: str | None) -> None:
    """Companies graded by the trackers (Yale CELI, KSE, own research), one line each,
    with the normalised status (exited / exiting / reduced / staying / unknown) and each
    tracker's own grade."""
    if ctx.invoked_subcommand is not None:
        return
    from pressurepoint.outputs.cli.companies_output import company_rows, write_rows
    from pressurepoint.trackers.companies import Filters

    app = ctx.ensure_object(AppContext)
    filters = Filters(**options).check()
    _check_tracker(filters.tracker)
    found = _load(app)
    views = [v for v in found.views if filters.match(v)]
    if fmt == "json":
        _write_json([v.to_json(history=history) for v in views], output)
    else:
        headers, rows = company_rows(views, found.data, compact=fmt == "table")
        write_rows(fmt, headers, rows, output, title=f"{len(views)} companies")
    click.echo(f"{len(views)} of {len(found.views)} companies", err=True)


@companies.command()
@click.option("--since", type=_DATE, required=True, help="Compare from this date.")
@click.option("--until", type=_DATE, help="Compare to this date (default: newest data).")
@click.option("--tracker", metavar="ID", help="Only this tracker (source id).")
@click.option("--country", metavar="CODE|NAME", help="Home country.")
@click.option("--industry", metavar="TEXT", help="Industry contains this text.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(CHANGE_KINDS),
              help="Only these changes (repeatable).")
@click.option("--round-trips", is_flag=True,
              help="Also companies that moved and came back to their grade.")
@_FORMAT
@_OUTPUT
@pass_app
def changes(app: AppContext, /, since: Any, until: Any, kinds: tuple[str, ...],
            round_trips: bool, fmt: str, output: Path | None, **options: str | None) -> None:
    """Who improved, who slid back, who newly appeared or was dropped between two dates,
    per tracker."""
    from pressurepoint.outputs.cli.companies_output import change_rows, write_rows
    from pressurepoint.trackers.changes import changes_between
    from pressurepoint.trackers.companies import Filters

    filters = Filters(country=options["country"], industry=options["industry"]).check()
    tracker = options["tracker"]
    _check_tracker(tracker)
    found = _load(app)
    views = [v for v in found.views if filters.match(v)]
    report = changes_between(found.data, views, since.date().isoformat(),
                             until.date().isoformat() if until else None,
                             round_trips=round_trips or RETURNED in kinds)
    selected = [c for c in report.changes if (not tracker or c.source == tracker)
                and (not kinds or c.kind in kinds)]
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if fmt == "json":
        _write_json([c.to_json() for c in selected], output)
    else:
        headers, rows = change_rows(selected)
        write_rows(fmt, headers, rows, output, sheet="changes",
                   title=f"changes since {report.since}" + (f" until {report.until}"
                                                             if report.until else ""))
    counts = ", ".join(f"{k} {sum(c.kind == k for c in selected)}" for k in CHANGE_KINDS
                       if any(c.kind == k for c in selected))
    click.echo(f"{len(selected)} changes ({counts or 'none'})", err=True)


@companies.command()
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--no-search", is_flag=True,
              help="Skip the search of sanctions records by name (faster).")
@pass_app
def show(app: AppContext, query: str, as_json: bool, no_search: bool) -> None:
    """One company (by id, record id, or name): every tracker's grade over time, the
    tracker records it joins, and sanctions records linked to it."""
    from pressurepoint.outputs.cli.companies_output import print_company
    from pressurepoint.trackers.companies import Filters
    from pressurepoint.trackers.sanctions import sanctions_links

    found = _load(app)
    view = found.find(query)
    if view is None:
        matches = [v for v in found.views if Filters(name=query).match(v)]
        if len(matches) != 1:
            names = "; ".join(f"{v.name} ({v.id})" for v in matches[:10])
            raise NotFound(f"no single company matches {query!r}" +
                           (f": {names}" if names else ""))
        view = matches[0]
    links = sanctions_links(app.store, view, search=not no_search)
    reasons = {pair: why for pair, why in found.grouping.reasons.items()
               if pair[0] in {m.id for m in view.members}}
    if as_json:
        body = dict(view.to_json(), sanctions=[link.to_json() for link in links],
                    joined=[{"records": list(p), "rule": why} for p, why in reasons.items()])
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    print_company(Console(), view, links, reasons)


@companies.command()
@click.option("--tracker", default="yale_celi", show_default=True, metavar="ID",
              help="The tracker (source id).")
@click.option("--date", "day", type=_DATE, help="The snapshot (default: the newest).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_app
def counts(app: AppContext, tracker: str, day: Any, as_json: bool) -> None:
    """Assessments of one tracker snapshot counted by normalised status, by the tracker's
    own grade and by home country."""
    from pressurepoint.trackers.companies import snapshot_counts as count_snapshot
    from pressurepoint.trackers.history import load_tracker_data

    _check_tracker(tracker)
    data = load_tracker_data(app.store, [tracker])  # counting needs no grouping
    result = count_snapshot(data, tracker, day.date().isoformat() if day else None)
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    console = Console()
    console.print(f"{tracker} snapshot {result['date']}: {result['assessments']} assessments "
                  f"of {result['companies']} companies", highlight=False)
    for key, title in (("by_status", "status"), ("by_grade", "grade"),
                       ("by_country", "home country")):
        table = Table(title, "count")
        for value, count in result[key].items():
            table.add_row(str(value), str(count))
        console.print(table)


@companies.command()
@click.option("--limit", default=50, show_default=True, help="At most this many pairs.")
@click.option("--list", "list_only", is_flag=True, help="Print the pairs, do not ask.")
@click.option("--author", default="cli", show_default=True)
@pass_app
def review(app: AppContext, limit: int, list_only: bool, author: str) -> None:
    """Close calls between tracker records (possibly one company under two names): judge
    them same / different / unsure. Judgements are shared with `pressurepoint review`."""
    from pressurepoint.outputs.cli.companies_output import review_pairs

    review_pairs(app, _load(app), limit, list_only, author)


def _check_tracker(tracker: str | None) -> None:
    from pressurepoint.trackers.history import tracker_sources

    if tracker and tracker not in tracker_sources():
        raise InvalidInput(f"unknown tracker {tracker!r} (known: "
                           f"{', '.join(tracker_sources())})")


def _write_json(items: list[dict[str, Any]], output: Path | None) -> None:
    import orjson

    data = orjson.dumps(items, option=orjson.OPT_INDENT_2) + b"\n"
    if output:
        output.write_bytes(data)
    else:
        click.echo(data.decode("utf-8"), nl=False)
