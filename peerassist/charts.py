"""Small SVG charts drawn on the server: no script, no chart library, every label escaped.

The same markup goes inline into HTML pages (the dashboard, the reports) and into `.svg`
files beside a Markdown report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 26, 14, 34
X_TICKS = 6


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: Sequence[float | None]  # one per x label; None leaves a gap


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], *, y_max: float = 1.0,
               y_format: Callable[[float], str] = "{:.0%}".format) -> Markup:
    """Lines over a 0..y_max scale, a dot with a tooltip at every value."""
    parts = []
    for s in series:
        points = [(_x(i, len(labels)), _y(v, y_max), labels[i], v) for i, v in enumerate(s.values) if v is not None]
        if not points:
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline class="series" fill="none" stroke="{escape(s.colour)}" stroke-width="2" points="{path}"/>')
        parts.extend(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{escape(s.colour)}">'
            f"<title>{escape(s.name)} {escape(label)}: {escape(y_format(v))}</title></circle>"
            for x, y, label, v in points
        )
    return _frame(title, labels, y_max, y_format, parts, empty=not parts)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], *, colour: str = "#1f77b4",
              y_format: Callable[[float], str] = "{:g}".format) -> Markup:
    """One bar per label, scaled to the largest value."""
    y_max = max(values, default=0) or 1
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    parts = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = _y(value, y_max)
        parts.append(
            f'<rect class="bar" x="{LEFT + i * slot + slot * 0.15:.1f}" y="{y:.1f}" width="{max(slot * 0.7, 1):.1f}" '
            f'height="{HEIGHT - BOTTOM - y:.1f}" fill="{escape(colour)}">'
            f"<title>{escape(label)}: {escape(y_format(value))}</title></rect>"
        )
    return _frame(title, labels, y_max, y_format, parts, centred=True, empty=not any(values))


def _frame(title: str, labels: Sequence[str], y_max: float, y_format: Callable[[float], str], body: list[str],
           *, centred: bool = False, empty: bool = False) -> Markup:
    bottom = HEIGHT - BOTTOM
    axes = [
        f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#999"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{bottom}" stroke="#999"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 4}" font-size="11" text-anchor="end">{escape(y_format(y_max))}</text>',
        f'<text x="{LEFT - 4}" y="{bottom + 4}" font-size="11" text-anchor="end">{escape(y_format(0))}</text>',
    ]
    n = len(labels)
    step = max(1, -(-n // X_TICKS))
    for i in sorted({*range(0, n, step), n - 1} if n else set()):
        x = _x(i, n, centred=centred)
        axes.append(f'<text x="{x:.1f}" y="{bottom + 16}" font-size="11" text-anchor="middle">{escape(labels[i])}</text>')
    if empty:
        axes.append(f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" font-size="13" text-anchor="middle" fill="#666">no data yet</text>')
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{escape(title)}" '
        f'width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="system-ui, sans-serif">'
        f"<title>{escape(title)}</title>{''.join(axes)}{''.join(body)}</svg>"
    )


def _x(i: int, n: int, *, centred: bool = False) -> float:
    span = WIDTH - LEFT - RIGHT
    if centred:
        return LEFT + span * (i + 0.5) / max(n, 1)
    return LEFT + span * (i / (n - 1) if n > 1 else 0.5)


def _y(value: float, y_max: float) -> float:
    return HEIGHT - BOTTOM - (HEIGHT - BOTTOM - TOP) * min(max(value / y_max, 0.0), 1.0)
