"""Render a builder's dataclass as DOCX, PDF or XLSX in Kazakh or Russian.

`layout.lay_out` turns the data into a `Document` in one language; `docx`, `pdf` and `xlsx` paint it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from kezdesu.reports.renderers.docx import render_docx
from kezdesu.reports.renderers.layout import LANGUAGES, lay_out
from kezdesu.reports.renderers.pdf import render_pdf
from kezdesu.reports.renderers.xlsx import render_xlsx

FORMATS = {
    "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": (render_pdf, "application/pdf"),
    "xlsx": (render_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}

__all__ = ["FORMATS", "LANGUAGES", "RenderedFile", "render"]


@dataclass(frozen=True)
class RenderedFile:
    content: bytes
    filename: str
    content_type: str


def render(data, *, fmt: str, lang: str) -> RenderedFile:
    """Returns the report `data` (a builder's dataclass) as a file; raises KeyError for an unknown
    format and ValueError for a language other than kk or ru."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    paint, content_type = FORMATS[fmt]
    document = lay_out(data, lang)
    with translation.override(lang):
        content = paint(document)
    return RenderedFile(content=content, filename=f"kezdesu-{document.filename}.{fmt}", content_type=content_type)
