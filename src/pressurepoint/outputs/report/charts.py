"""Charts as inline SVG, drawn here from the counts (no chart library, nothing fetched):
designations per year per jurisdiction, cumulative designations, the overlap of
jurisdictions, and a company's status over time. ElementTree escapes every text."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

# Okabe-Ito and Tableau colours: distinguishable, also for most colour-blind readers.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000", "#8C564B", "#7F7F7F", "#17BECF", "#BCBD22")
STATUS_COLOURS = {"exited": "#009E73", "exiting": "#56B4E9", "reduced": "#E69F00",
                  "staying": "#D55E00", "unknown": "#7F7F7F"}
LIFTED_COLOUR = "#999999"


def colour_of(code: str, codes: Sequence[str]) -> str:
    return PALETTE[list(codes).index(code) % len(PALETTE)] if code in codes else "#333333"


def _svg(width: int, height: int, title: str) -> ET.Element:
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "role": "img",
                             "viewBox": f"0 0 {width} {height}", "class": "chart",
                             "width": str(width), "height": str(height)})
    ET.SubElement(svg, "title").text = title
    return svg


def _text(parent: ET.Element, xy: tuple[float, float], text: str, **attrs: str) -> None:
    node = ET.SubElement(parent, "text", {"x": f"{xy[0]:.1f}", "y": f"{xy[1]:.1f}", **attrs})
    node.text = text


def _rect(parent: ET.Element, box: tuple[float, float, float, float], fill: str,
          tip: str) -> None:
    x, y, w, h = box
    rect = ET.SubElement(parent, "rect", {"x": f"{x:.1f}", "y": f"{y:.1f}",
                                          "width": f"{max(w, 0.5):.1f}",
                                          "height": f"{max(h, 0):.1f}", "fill": fill})
    ET.SubElement(rect, "title").text = tip


def _markup(svg: ET.Element) -> Markup:
    # Safe as markup: ElementTree escaped every text and attribute it wrote.
    return Markup(ET.tostring(svg, encoding="unicode"))


def _nice_max(value: int) -> int:
    step = 1
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return value


@dataclass
class YearCounts:
    """Per jurisdiction and year: entities newly listed and lifted."""

    listed: Counter[tuple[str, str]]  # (jurisdiction, YYYY-MM) -> n, as in the timeline
    lifted: Counter[tuple[str, str]]

    def per_year(self, code: str) -> tuple[Counter[int], Counter[int]]:
        up: Counter[int] = Counter()
        down: Counter[int] = Counter()
        for (juris, month), n in self.listed.items():
            if juris == code:
                up[int(month[:4])] += n
        for (juris, month), n in self.lifted.items():
            if juris == code:
                down[int(month[:4])] += n
        return up, down

    def years(self) -> range:
        found = [int(m[:4]) for (_, m) in [*self.listed, *self.lifted] if m[:4].isdigit()]
        return range(min(found), max(found) + 1) if found else range(0)


def yearly_bars(counts: YearCounts, code: str, codes: Sequence[str]) -> Markup:
    """One jurisdiction: bars up for entities listed in a year, down for those lifted."""
    years = counts.years()
    up, down = counts.per_year(code)
    width, height, left, mid = 420, 170, 40, 110
    svg = _svg(width, height, f"{code}: entities listed (up) and lifted (down) per year")
    top = _nice_max(max([*up.values(), 1]))
    bottom = _nice_max(max([*down.values(), 1]))
    scale = 95 / top
    down_scale = 45 / max(bottom, top / 4)  # lifted bars share a shorter axis below
    step = (width - left - 10) / max(len(years), 1)
    for i, year in enumerate(years):
        x = left + i * step
        if up[year]:
            _rect(svg, (x, mid - up[year] * scale, step * 0.8, up[year] * scale),
                  colour_of(code, codes), f"{code} {year}: {up[year]} listed")
        if down[year]:
            _rect(svg, (x, mid, step * 0.8, down[year] * down_scale), LIFTED_COLOUR,
                  f"{code} {year}: {down[year]} lifted")
        if year % 5 == 0 or len(years) < 5:
            _text(svg, (x, height - 2), str(year), **{"font-size": "9"})
    ET.SubElement(svg, "line", {"x1": str(left), "x2": str(width - 10), "y1": str(mid),
                                "y2": str(mid), "stroke": "#333"})
    _text(svg, (2, 14), str(top), **{"font-size": "9"})
    _text(svg, (2, mid + 4), "0", **{"font-size": "9"})
    _text(svg, (left, 12), f"{code}: {sum(up.values())} listed, {sum(down.values())} lifted",
          **{"font-size": "11", "font-weight": "bold"})
    return _markup(svg)


def cumulative_lines(counts: YearCounts, codes: Sequence[str]) -> Markup:
    """Entities listed by each jurisdiction, counted up by listing date (a step per year)."""
    years = counts.years()
    width, height, left, top_pad = 720, 320, 55, 20
    svg = _svg(width, height, "Entities listed by each jurisdiction, cumulative by "
               "listing date")
    series = {code: _cumulated(counts.per_year(code)[0], years) for code in codes}
    peak = _nice_max(max([s[-1] for s in series.values() if s] + [1]))
    plot_w, plot_h = width - left - 120, height - top_pad - 30
    step = plot_w / max(len(years) - 1, 1)
    for tick in (0, peak // 2, peak):
        y = top_pad + plot_h - tick / peak * plot_h
        ET.SubElement(svg, "line", {"x1": str(left), "x2": f"{left + plot_w:.1f}",
                                    "y1": f"{y:.1f}", "y2": f"{y:.1f}", "stroke": "#ddd"})
        _text(svg, (4, y + 4), str(tick), **{"font-size": "10"})
    for i, year in enumerate(years):
        if year % 5 == 0:
            _text(svg, (left + i * step - 12, height - 8), str(year), **{"font-size": "10"})
    for n, (code, values) in enumerate(series.items()):
        points = " ".join(f"{left + i * step:.1f},{top_pad + plot_h - v / peak * plot_h:.1f}"
                          for i, v in enumerate(values))
        line = ET.SubElement(svg, "polyline", {"points": points, "fill": "none",
                                               "stroke": colour_of(code, codes),
                                               "stroke-width": "2"})
        ET.SubElement(line, "title").text = f"{code}: {values[-1] if values else 0}"
        y = top_pad + 14 * n
        _rect(svg, (left + plot_w + 12, y, 10, 10), colour_of(code, codes), code)
        _text(svg, (left + plot_w + 26, y + 9),
              f"{code} {values[-1] if values else 0}", **{"font-size": "11"})
    return _markup(svg)


def _cumulated(per_year: Counter[int], years: range) -> list[int]:
    total, out = 0, []
    for year in years:
        total += per_year[year]
        out.append(total)
    return out


def overlap_chart(overlap: Counter[tuple[str, ...]], codes: Sequence[str],
                  limit: int = 30) -> Markup:
    """How many entities are listed (today) by exactly which combination of jurisdictions:
    one row per combination, a dot per member jurisdiction, a bar for the count."""
    combos = sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    row_h, left, col_w = 18, 16, 26
    bars_x = left + col_w * len(codes) + 12
    width, height = bars_x + 330, 30 + row_h * max(len(combos), 1)
    svg = _svg(width, height, "Entities listed by exactly each combination of jurisdictions")
    for i, code in enumerate(codes):
        _text(svg, (left + i * col_w, 14), code, **{"font-size": "11", "font-weight": "bold"})
    peak = max([n for _, n in combos] + [1])
    for row, (combo, count) in enumerate(combos):
        y = 24 + row * row_h
        for i, code in enumerate(codes):
            ET.SubElement(svg, "circle", {
                "cx": f"{left + i * col_w + 7}", "cy": f"{y + 7}", "r": "5",
                "fill": colour_of(code, codes) if code in combo else "#e5e5e5"})
        label = "+".join(combo)
        _rect(svg, (bars_x, y + 1, count / peak * 240, row_h - 5), "#4d4d4d",
              f"{label}: {count}")
        _text(svg, (bars_x + count / peak * 240 + 4, y + 11), f"{count} · {label}",
              **{"font-size": "10"})
    return _markup(svg)


@dataclass(frozen=True)
class Point:
    """One dated assessment on a company's timeline."""

    day: str
    lane: str  # the tracker
    status: str
    label: str  # grade code shown by the dot


def status_timeline(points: Sequence[Point]) -> Markup:
    """A company's assessments over time: one lane per tracker, one dot per assessment,
    coloured by normalised status and labelled with the tracker's own grade."""
    lanes = list(dict.fromkeys(p.lane for p in points))
    days = sorted({p.day[:10] for p in points})
    left, width, lane_h = 130, 640, 34
    height = 30 + lane_h * max(len(lanes), 1)
    svg = _svg(width, height, "Status over time, per tracker")
    first, last = (_ordinal(days[0]), _ordinal(days[-1])) if days else (0, 1)
    span = max(last - first, 1)
    for n, lane in enumerate(lanes):
        y = 20 + n * lane_h
        _text(svg, (4, y + 4), lane, **{"font-size": "11"})
        ET.SubElement(svg, "line", {"x1": str(left), "x2": str(width - 20), "y1": str(y),
                                    "y2": str(y), "stroke": "#ddd"})
    for point in points:
        x = left + (_ordinal(point.day) - first) / span * (width - left - 80)
        y = 20 + lanes.index(point.lane) * lane_h
        dot = ET.SubElement(svg, "circle", {"cx": f"{x:.1f}", "cy": str(y), "r": "7",
                                            "fill": STATUS_COLOURS.get(point.status, "#333")})
        ET.SubElement(dot, "title").text = (f"{point.day} {point.lane}: {point.label} "
                                            f"({point.status})")
        _text(svg, (x - 4, y + 20), point.label[:10], **{"font-size": "9"})
    for day in dict.fromkeys((days[0], days[-1])) if days else ():
        x = left + (_ordinal(day) - first) / span * (width - left - 80)
        _text(svg, (x - 28, height - 2), day, **{"font-size": "9"})
    return _markup(svg)


def _ordinal(day: str) -> int:
    """Days since year 0 of a full or partial ISO date (partial: its first day)."""
    parts = [*day[:10].split("-"), "1", "1"][:3]
    try:
        year, month, dom = (int(p or 1) for p in parts)
    except ValueError:
        return 0
    return year * 372 + (month - 1) * 31 + dom  # ordering and rough spacing are enough
