"""Server-drawn SVG charts: scaled from the values, labels escaped, an empty chart says so."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from peerassist.charts import Series, bar_chart, line_chart


def test_bars_scale_to_the_largest_value_and_labels_are_escaped() -> None:
    svg = bar_chart("Questions <per> day", ["<b>Mon</b>", "Tue", "Wed"], [2, 4, 0])
    root = ET.fromstring(str(svg))  # well-formed XML, so no label broke out of its element
    heights = [float(r.get("height")) for r in root.iter("{http://www.w3.org/2000/svg}rect")]
    assert heights[0] == pytest.approx(heights[1] / 2, abs=0.1) and heights[2] == 0
    assert "<b>" not in svg and "&lt;b&gt;Mon&lt;/b&gt;" in svg and 'aria-label="Questions &lt;per&gt; day"' in svg
    assert "no data yet" not in svg and "no data yet" in bar_chart("Q", ["Mon"], [0])


def test_lines_skip_missing_values_and_clamp_to_the_scale() -> None:
    svg = str(line_chart("Answer rate", ["a", "b", "c", "d"], [Series("rate", "#000", [0.5, None, 1.0, 1.7])]))
    ET.fromstring(svg)
    [points] = re.findall(r'points="([^"]+)"', svg)
    ys = [float(p.split(",")[1]) for p in points.split()]
    assert len(ys) == 3 and ys[1] == ys[2] < ys[0]  # 1.7 is drawn at the top, like 1.0
    assert "rate c: 100%" in svg and "no data yet" in line_chart("x", ["a"], [Series("s", "#000", [None])])
