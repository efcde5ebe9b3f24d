"""A small server-rendered SVG line chart of progress over time (no scripts, no external files)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Chart:
    """Geometry of the chart, ready for the template."""

    width: int
    height: int
    points: str  # SVG polyline points
    max_value: int
    first: datetime | None
    last: datetime | None


def progress_chart(series: list[tuple[datetime, int]], total: int, width: int = 320, height: int = 140,
                   pad: int = 8) -> Chart:
    """Scale (moment, count) pairs into an SVG polyline, time on x and items done (of total) on y."""
    if not series:
        return Chart(width, height, "", total, None, None)
    start, end = series[0][0], series[-1][0]
    span = max((end - start).total_seconds(), 1.0)
    top = max(total, series[-1][1], 1)
    points = [(pad, height - pad)]
    for moment, count in series:
        x = pad + (width - 2 * pad) * (moment - start).total_seconds() / span
        y = height - pad - (height - 2 * pad) * count / top
        points.append((x, y))
    return Chart(width, height, " ".join(f"{x:.1f},{y:.1f}" for x, y in points), top, start, end)
