"""Fonts with every Kazakh letter (ә ғ қ ң ө ұ ү һ і), embedded in PDFs and used to draw charts.

DejaVu comes from Debian's fonts-dejavu-core (`scripts/system-deps fonts`).
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
SERIF, SERIF_BOLD = "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"


def font_path(name: str) -> Path:
    """Returns the path of a DejaVu font; raises ImproperlyConfigured when the fonts are not installed."""
    path = FONT_DIR / name
    if not path.is_file():
        raise ImproperlyConfigured(f"{path} is missing: install Debian's fonts-dejavu-core (scripts/system-deps fonts)")
    return path
