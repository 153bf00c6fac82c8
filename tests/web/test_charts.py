"""The SVG charts: marks carry their numbers, every text is escaped, and the status colours
are readable (WCAG AA contrast of white text on them, and of them on white)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from pressurepoint.outputs.web import charts
from pressurepoint.outputs.web.charts import Mark, Series
from pressurepoint.outputs.web.rendering import STATIC


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_status_colours_meet_aa_contrast() -> None:
    css = (STATIC / "style.css").read_text()
    for status, colour in charts.COLOURS.items():
        assert _contrast(colour, "#ffffff") >= 4.5, status
        # the stylesheet's badge colour is the chart's
        assert re.search(rf"--{status}: {colour};", css), status
    for ink, paper in (("#57606a", "#ffffff"), ("#0550ae", "#ffffff"),
                       ("#953800", "#fff1e5"), ("#1f2328", "#dafbe1")):
        assert _contrast(ink, paper) >= 4.5, (ink, paper)


def test_stacked_bars_are_valid_svg_with_escaped_labels() -> None:
    svg = charts.stacked_bars("c1", "By <country>", [
        Series("<script>x</script>", {"staying": 3, "exited": 1}),
        Series("Germany", {"exited": 2})])
    root = ElementTree.fromstring(str(svg))  # well-formed XML
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert titles[0] == "By <country>"
    assert "<script>x</script>: staying 3" in titles
    assert "<script>" not in str(svg)


def test_timeline_has_one_dot_per_assessment() -> None:
    marks = [Mark("Yale CELI", "2022-07-30", "staying", "F", "Digging In"),
             Mark("Yale CELI", "2025-05-21", "exited", "A", "Withdrawal"),
             Mark("KSE Institute", "2026-08-24", "exited", "withdrawal", "")]
    root = ElementTree.fromstring(str(charts.timeline("t", "Valeo", marks)))
    dots = list(root.iter("{http://www.w3.org/2000/svg}circle"))
    assert len(dots) == 3
    assert [d.get("fill") for d in dots] == [charts.COLOURS["staying"],
                                            charts.COLOURS["exited"],
                                            charts.COLOURS["exited"]]
    xs = [float(d.get("cx") or 0) for d in dots]
    assert xs == sorted(xs)  # dates left to right


def test_empty_charts_render() -> None:
    assert "no data" in str(charts.stacked_bars("e", "Nothing", []))
    assert "no assessment" in str(charts.timeline("e", "Nothing", []))
