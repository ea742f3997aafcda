"""Bar charts as PNG pictures for DOCX and PDF (XLSX gets native charts), drawn with Pillow.

Pillow is already there for reportlab and draws text with the DejaVu font, so Kazakh labels come
out right without a plotting library.
"""

from __future__ import annotations

import io
import math
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from kezdesu.reports.renderers.fonts import BOLD, REGULAR, font_path
from kezdesu.reports.renderers.layout import Chart

INK, MUTED, BAR, GRID = (29, 39, 51), (91, 102, 117), (0, 121, 158), (216, 222, 230)
WIDTH, ROW = 1600, 40  # pixels; drawn large and placed at about 16 cm wide, so about 250 dpi


@cache
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(BOLD if bold else REGULAR)), size)


def _fit(text: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _step(top: int) -> int:
    """A round tick step giving at most about six gridlines."""
    raw = max(1, math.ceil(top / 6))
    magnitude = 10 ** (len(str(raw)) - 1)
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)


def bar_chart_png(chart: Chart) -> bytes:
    """Returns a horizontal bar chart of `chart` as PNG bytes."""
    label_font, value_font, title_font = _font(False, 22), _font(True, 22), _font(True, 28)
    n = max(1, len(chart.categories))
    top, bottom, left = 80, 70, int(WIDTH * 0.42)
    right = WIDTH - 80
    height = top + n * ROW + bottom
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((WIDTH / 2, 24), chart.title, font=title_font, fill=INK, anchor="ma")
    peak = max(chart.values, default=0)
    step = _step(peak)
    scale_max = max(step, math.ceil(peak / step) * step)
    span = right - left
    for tick in range(0, scale_max + 1, step):
        x = left + span * tick / scale_max
        draw.line([(x, top - 6), (x, top + n * ROW)], fill=GRID, width=2)
        draw.text((x, top + n * ROW + 10), str(tick), font=label_font, fill=MUTED, anchor="ma")
    draw.text(((left + right) / 2, height - 30), chart.value_title, font=label_font, fill=MUTED, anchor="ma")
    for i, (name, value) in enumerate(zip(chart.categories, chart.values, strict=True)):
        y = top + i * ROW
        draw.text((left - 12, y + ROW / 2), _fit(name, label_font, left - 30), font=label_font, fill=INK, anchor="rm")
        if value:
            draw.rectangle([left, y + 7, left + span * value / scale_max, y + ROW - 7], fill=BAR)
        draw.text((left + span * value / scale_max + 8, y + ROW / 2), str(value), font=value_font, fill=INK,
                  anchor="lm")
    draw.line([(left, top - 6), (left, top + n * ROW)], fill=INK, width=2)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def chart_size_cm(chart: Chart, width_cm: float) -> tuple[float, float]:
    """Returns the (width, height) in centimetres at which the picture keeps its proportions."""
    height_px = 80 + max(1, len(chart.categories)) * ROW + 70
    return width_cm, width_cm * height_px / WIDTH
