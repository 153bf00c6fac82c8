"""Charts as inline SVG, drawn here in Python: no JavaScript library, no CDN, readable
without scripts and by screen readers (each chart has a title, a description and a
<title> per mark; the pages also give the numbers as a table).

Colours come from presentation attributes, which a strict Content-Security-Policy allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from pressurepoint.trackers.status import STATUSES

# Each status colour has a contrast of at least 4.5:1 on white; the legend names them,
# so colour is never the only cue.
COLOURS = {"exited": "#1a7f37", "exiting": "#0969da", "reduced": "#9a6700",
           "staying": "#cf222e", "unknown": "#57606a"}
WIDTH = 640
LABEL_WIDTH = 130  # timeline lanes
BAR_LABEL_WIDTH = 190  # bar labels: a country or industry name of up to 22 letters
BAR = 18
GAP = 6


@dataclass(frozen=True)
class Series:
    """One bar: a label and a count per status."""

    label: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _legend(y: int) -> list[str]:
    parts, x = [], 0
    for status in STATUSES:
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" '
                     f'fill="{COLOURS[status]}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 11}" class="legend">{status}</text>')
        x += 24 + 8 * len(status)
    return parts


def _svg(chart_id: str, title: str, description: str, height: int, body: list[str]
         ) -> Markup:
    head = (f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
            f'role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
            f'xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{escape(chart_id)}-t">{escape(title)}</title>'
            f'<desc id="{escape(chart_id)}-d">{escape(description)}</desc>')
    # Every text in `head` and `body` went through escape(); numbers and colours are ours.
    return Markup(head + "".join(body) + "</svg>")


def stacked_bars(chart_id: str, title: str, series: Sequence[Series]) -> Markup:
    """Horizontal bars, one per label, split by status, with the total at the end."""
    top = max((s.total for s in series), default=0) or 1
    scale = (WIDTH - BAR_LABEL_WIDTH - 50) / top
    body = _legend(0)
    y = 24
    for item in series:
        body.append(f'<text x="{BAR_LABEL_WIDTH - 6}" y="{y + 13}" text-anchor="end" '
                    f'class="label">{escape(_short(item.label, 22))}</text>')
        x = float(BAR_LABEL_WIDTH)
        for status in STATUSES:
            count = item.counts.get(status, 0)
            if not count:
                continue
            width = count * scale
            body.append(f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR}" '
                        f'fill="{COLOURS[status]}"><title>{escape(item.label)}: {status} '
                        f'{count}</title></rect>')
            x += width
        body.append(f'<text x="{x + 4:.1f}" y="{y + 13}" class="total">{item.total}</text>')
        y += BAR + GAP
    description = "; ".join(f"{s.label}: " + ", ".join(
        f"{k} {v}" for k, v in s.counts.items() if v) for s in series)
    return _svg(chart_id, title, description or "no data", y + 4, body)


def stacked_columns(chart_id: str, title: str, series: Sequence[Series]) -> Markup:
    """Vertical columns (one per date), split by status: status over time."""
    height, bottom = 260, 226
    top = max((s.total for s in series), default=0) or 1
    scale = (bottom - 40) / top
    step = (WIDTH - 40) / max(len(series), 1)
    width = min(56.0, step * 0.7)
    body = _legend(0)
    body.append(f'<line x1="30" y1="{bottom}" x2="{WIDTH}" y2="{bottom}" class="axis"/>')
    for n, item in enumerate(series):
        x = 40 + n * step + (step - width) / 2
        y = float(bottom)
        for status in STATUSES:
            count = item.counts.get(status, 0)
            if not count:
                continue
            bar = count * scale
            y -= bar
            body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
                        f'height="{bar:.1f}" fill="{COLOURS[status]}"><title>'
                        f'{escape(item.label)}: {status} {count}</title></rect>')
        middle = x + width / 2
        body.append(f'<text x="{middle:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                    f'class="total">{item.total}</text>')
        body.append(f'<text x="{middle:.1f}" y="{bottom + 16}" text-anchor="middle" '
                    f'class="label">{escape(_short(item.label, 16))}</text>')
    description = "; ".join(f"{s.label}: " + ", ".join(
        f"{k} {v}" for k, v in s.counts.items() if v) for s in series)
    return _svg(chart_id, title, description or "no data", height, body)


@dataclass(frozen=True)
class Mark:
    """One assessment on a company's timeline."""

    lane: str  # the tracker
    day: str
    status: str
    grade: str
    note: str


def timeline(chart_id: str, title: str, marks: Sequence[Mark]) -> Markup:
    """One lane per tracker, one dot per dated assessment, coloured by status and labelled
    with the tracker's own grade; a line joins the dots of a lane."""
    lanes = list(dict.fromkeys(m.lane for m in marks))
    days = sorted({_day(m.day) for m in marks})
    if not days:
        return _svg(chart_id, title, "no assessment", 30, ['<text x="0" y="20">none</text>'])
    first, last = days[0], days[-1]
    span = max((last - first).days, 1)
    left, right = LABEL_WIDTH, WIDTH - 30
    lane_height = 44

    def x_of(text: str) -> float:
        if first == last:
            return (left + right) / 2
        return left + (right - left) * (_day(text) - first).days / span

    body = _legend(0)
    for n, lane in enumerate(lanes):
        y = 44 + n * lane_height
        body.append(f'<text x="{left - 14}" y="{y + 4}" text-anchor="end" '
                    f'class="label">{escape(_short(lane))}</text>')
        points = [m for m in marks if m.lane == lane]
        coords = " ".join(f"{x_of(m.day):.1f},{y}" for m in points)
        body.append(f'<polyline points="{coords}" class="lane" fill="none"/>')
        for mark in points:
            body.append(f'<circle cx="{x_of(mark.day):.1f}" cy="{y}" r="7" '
                        f'fill="{COLOURS.get(mark.status, COLOURS["unknown"])}"><title>'
                        f'{escape(mark.day)} {escape(lane)}: {escape(mark.grade)} '
                        f'({mark.status}) {escape(mark.note)}</title></circle>')
            x = x_of(mark.day)  # labels near an edge grow inwards
            anchor = "end" if x > right - 40 else "start" if x < left + 40 else "middle"
            body.append(f'<text x="{x:.1f}" y="{y - 11}" text-anchor="{anchor}" '
                        f'class="grade">{escape(_short(mark.grade, 12))}</text>')
    axis_y = 44 + len(lanes) * lane_height - 10
    body.append(f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" class="axis"/>')
    for day in days:  # a tick per assessment date; the first and the last are labelled
        x = x_of(day.isoformat())
        body.append(f'<line x1="{x:.1f}" y1="{axis_y - 3}" x2="{x:.1f}" y2="{axis_y + 3}" '
                    f'class="axis"/>')
    ends = [(first, "start")] + ([(last, "end")] if last != first else [])
    for day, anchor in ends:
        body.append(f'<text x="{x_of(day.isoformat()):.1f}" y="{axis_y + 16}" '
                    f'text-anchor="{anchor}" class="label">{day.isoformat()}</text>')
    description = "; ".join(f"{m.day} {m.lane}: {m.grade} ({m.status})" for m in marks)
    return _svg(chart_id, title, description, axis_y + 24, body)


def _day(text: str) -> date:
    parts = [*text[:10].split("-"), "01", "01"][:3]
    try:
        return date(int(parts[0]), int(parts[1] or 1), int(parts[2] or 1))
    except ValueError:  # a partial or odd date the tracker stated: its year, else nothing
        return date(int(parts[0]), 1, 1) if parts[0].isdigit() and len(parts[0]) == 4 \
            else date.min


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
