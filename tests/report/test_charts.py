"""The SVG charts carry the timeline's own counts: every overlap combination with its
count, every year's listed/lifted bar, one dot per company assessment; and text in them
is escaped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from pressurepoint.analysis.designations import load_designations
from pressurepoint.analysis.timeline import timeline
from pressurepoint.config import Settings
from pressurepoint.outputs.report import charts
from pressurepoint.store import Store

SVG = "{http://www.w3.org/2000/svg}"


def _titles(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [t.text or "" for t in root.iter(f"{SVG}title")]


def test_overlap_and_yearly_bars_carry_the_timeline_counts(
        report_store: tuple[Settings, Store]) -> None:
    data = load_designations(report_store[1])
    line = timeline(data)
    codes = data.jurisdictions
    titles = _titles(charts.overlap_chart(line.overlap, codes))
    shown = set(titles[1:])
    assert shown == {f"{'+'.join(c)}: {n}" for c, n in line.overlap.items()}
    counts = charts.YearCounts(line.listed, line.lifted)
    for code in codes:
        bars = _titles(charts.yearly_bars(counts, code, codes))[1:]
        listed = sum(int(m.group(1)) for t in bars if (m := re.search(r": (\d+) listed", t)))
        lifted = sum(int(m.group(1)) for t in bars if (m := re.search(r": (\d+) lifted", t)))
        assert listed == sum(n for (j, _), n in line.listed.items() if j == code)
        assert lifted == sum(n for (j, _), n in line.lifted.items() if j == code)
    assert any(":" in t and "CA 2022" in t for t in _titles(
        charts.yearly_bars(counts, "CA", codes)))


def test_status_timeline_has_a_dot_per_assessment_and_escapes() -> None:
    points = [charts.Point("2022-07-30", "yale_celi", "staying", "F"),
              charts.Point("2025-05-21", "yale_celi", "exited", "A"),
              charts.Point("2026-08-24", "<b>own</b>", "unknown", "x&y")]
    svg = str(charts.status_timeline(points))
    root = ET.fromstring(svg)
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    assert "<b>" not in svg and "&lt;b&gt;own&lt;/b&gt;" in svg and "x&amp;y" in svg
    fills = Counter(c.get("fill") for c in root.iter(f"{SVG}circle"))
    assert fills[charts.STATUS_COLOURS["staying"]] == 1
