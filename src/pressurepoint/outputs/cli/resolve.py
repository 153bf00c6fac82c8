"""`resolve`, `review`, `judge` and `score`: cross-list entity resolution from the CLI."""

from __future__ import annotations

import sys
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pressurepoint.outputs.cli.main import AppContext, pass_app
from pressurepoint.store import resolution as rs
from pressurepoint.store.views import RecordView, record_views


def register(group: click.Group) -> None:
    for command in (resolve, review, judge, score):
        group.add_command(command)


@click.command()
@click.option("--full", is_flag=True, help="Score every record again, not only new ones.")
@pass_app
def resolve(app: AppContext, full: bool) -> None:
    """Cross-reference all loaded sources and build the canonical entities."""
    from pressurepoint.resolve.matcher import default_matcher
    from pressurepoint.resolve.pipeline import resolve as run_resolve

    console = Console(stderr=True)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=console, transient=True,
                        disable=not console.is_terminal)
    tasks: dict[str, Any] = {}

    def tick(phase: str, done: int, total: int) -> None:
        if phase not in tasks:
            tasks[phase] = progress.add_task(phase, total=total)
        progress.update(tasks[phase], completed=done, total=total)

    with progress:
        report = run_resolve(app.store, default_matcher(), tick, full=full)
    console.print(
        f"resolved {report.records} records ({report.changed} new or changed): "
        f"{report.candidate_pairs} candidate pairs scored, {report.kept_pairs} kept; "
        f"{report.clusters} entities, {report.merged_records} records in multi-source "
        f"entities", highlight=False, soft_wrap=True)
    for conflict in report.conflicts:
        console.print(f"conflicting judgements: {conflict}", highlight=False, soft_wrap=True)


@click.command()
@click.argument("left")
@click.argument("right")
@click.argument("verdict", type=click.Choice(rs.VERDICTS))
@click.option("--note", help="Why (kept with the judgement).")
@click.option("--author", default="cli", show_default=True)
@pass_app
def judge(app: AppContext, left: str, right: str, verdict: str, note: str | None,
          author: str) -> None:
    """Record one judgement: LEFT and RIGHT (source record ids) are same / different /
    unsure. Judgements are kept forever; the newest per pair counts at the next resolve."""
    rs.add_judgement(app.store, left, right, verdict, author, note)
    click.echo(f"recorded: {left} {verdict} {right} (run `pressurepoint resolve` to apply)",
               err=True)


@click.command()
@click.option("--low", default=None, type=float, help="Lowest score to review.")
@click.option("--high", default=None, type=float, help="Highest score to review.")
@click.option("--limit", default=50, show_default=True)
@click.option("--author", default="cli", show_default=True)
@pass_app
def review(app: AppContext, low: float | None, high: float | None, limit: int,
           author: str) -> None:
    """Walk the uncertain pairs and judge them: [s]ame, [d]ifferent, [u]nsure, [n]ext, [q]uit."""
    from pressurepoint.resolve.matcher import REVIEW_BAND

    judged = rs.judgements(app.store)
    low = REVIEW_BAND[0] if low is None else low
    high = REVIEW_BAND[1] if high is None else high
    pairs = [p for p in rs.pair_details(app.store, low, high)
             if (p["left_id"], p["right_id"]) not in judged][:limit]
    if not pairs:
        click.echo(f"no unjudged pairs with a score in [{low}, {high})", err=True)
        return
    console = Console()
    answers = {"s": "same", "d": "different", "u": "unsure"}
    for n, pair in enumerate(pairs, 1):
        _show_pair(console, app, pair, f"{n}/{len(pairs)}")
        choice = click.prompt("same / different / unsure / next / quit",
                              type=click.Choice(["s", "d", "u", "n", "q"]), default="n")
        if choice == "q":
            break
        if choice in answers:
            rs.add_judgement(app.store, pair["left_id"], pair["right_id"], answers[choice],
                             author)
    click.echo("run `pressurepoint resolve` to apply the judgements", err=True)


def _show_pair(console: Console, app: AppContext, pair: dict[str, Any], counter: str) -> None:
    views = {v.id: v for v in record_views(app.store, [pair["left_id"], pair["right_id"]])}
    left, right = views.get(pair["left_id"]), views.get(pair["right_id"])
    table = Table(f"pair {counter} · score {pair['score']:.3f}", pair["left_id"],
                  pair["right_id"])
    for prop in ("name", "alias", "birthDate", "nationality", "citizenship", "country",
                 "gender", "passportNumber", "innCode", "ogrnCode", "imoNumber", "position"):
        lv, rv = _values(left, prop), _values(right, prop)
        if lv or rv:
            table.add_row(prop, lv, rv)
    console.print(table)
    for feature, value in pair["explanation"].items():
        console.print(f"  {feature}: {value}", highlight=False)


def _values(view: RecordView | None, prop: str) -> str:
    if view is None:
        return ""
    return "\n".join(dict.fromkeys(view.prop(prop)))


@click.command()
@click.option("--threshold", type=float, default=None,
              help="Match threshold (default: the scorer's own).")
def score(threshold: float | None) -> None:
    """Score pairs: JSON lines on stdin ({"id", "schema", "left", "right"}), one JSON line
    out per input ({"id", "score", "match", "explanation"}, or {"id", "error"})."""
    from pressurepoint.resolve.score_cli import run_score

    sys.exit(run_score(sys.stdin, sys.stdout, threshold))
