"""Series-against-threshold charts as SVG geometry (no scripts, no inline styles: CSP-safe)."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 720, 220, 28


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[tuple[float, float, float, float, bool]]  # x, y, w, h, above threshold
    upper: str     # polyline points of the threshold band
    expected: str  # polyline points of the baseline
    y_max: int
    labels: list[tuple[float, str]]


def series_chart(counts: list[int], expected: list[float | None], upper: list[float | None],
                 first_week: str, alarms: list[bool] | None = None) -> Chart:
    """Scale the last weeks of a series, its baseline and its threshold into an SVG box; a bar is marked
    when its week alarmed (`alarms`, from a backtest) or, without them, when it is above the threshold."""
    n = max(1, len(counts))
    finite = [v for v in (*counts, *(u for u in upper if u is not None)) if v is not None]
    y_max = max(1, int(max(finite, default=1) * 1.15) + 1)
    step = (WIDTH - 2 * PAD) / n

    def y(v: float) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * v / y_max, 1)

    bars = []
    for i, c in enumerate(counts):
        top = y(c)
        limit = upper[i] if i < len(upper) else None
        hot = alarms[i] if alarms is not None else limit is not None and c > limit
        bars.append((round(PAD + i * step + 1, 1), top, round(max(1.0, step - 2), 1), round(HEIGHT - PAD - top, 1),
                     hot))

    def line(values: list[float | None]) -> str:
        return " ".join(f"{round(PAD + (i + 0.5) * step, 1)},{y(v)}" for i, v in enumerate(values) if v is not None)

    labels = [(PAD - 4, str(y_max)), (PAD - 4, "0")]
    return Chart(WIDTH, HEIGHT, bars, line(upper), line(expected), y_max, labels)
