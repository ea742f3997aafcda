"""Paint a laid-out Document as PDF (reportlab): A4, embedded DejaVu fonts (every Kazakh letter), bordered
tables whose header row repeats on each page, a bold totals row, charts as pictures, and the generation
date with the page number at the foot of each page."""

from __future__ import annotations

import io
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import CondPageBreak, Image, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from kezdesu.reports.renderers.charts import bar_chart_png, chart_size_cm
from kezdesu.reports.renderers.fonts import BOLD, REGULAR, SERIF, SERIF_BOLD, font_path
from kezdesu.reports.renderers.layout import Chart, Document, Table, cell_text, numbered

LEFT, RIGHT, TOP, BOTTOM = 2.5 * cm, 1.5 * cm, 2 * cm, 2 * cm
HEADER_FILL = colors.HexColor("#E7EBF0")
DRAFT_RED = colors.HexColor("#A61B1B")


@cache
def _fonts() -> dict[str, ParagraphStyle]:
    """Registers the fonts once per process and returns the paragraph styles."""
    for name, file in (("Serif", SERIF), ("Serif-Bold", SERIF_BOLD), ("Sans", REGULAR), ("Sans-Bold", BOLD)):
        pdfmetrics.registerFont(TTFont(name, str(font_path(file))))
    pdfmetrics.registerFontFamily("Serif", normal="Serif", bold="Serif-Bold", italic="Serif", boldItalic="Serif-Bold")
    pdfmetrics.registerFontFamily("Sans", normal="Sans", bold="Sans-Bold", italic="Sans", boldItalic="Sans-Bold")
    body = ParagraphStyle("body", fontName="Serif", fontSize=10.5, leading=14, alignment=TA_JUSTIFY, spaceAfter=5)
    cell = ParagraphStyle("cell", fontName="Sans", fontSize=7.8, leading=9.6)
    return {
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontName="Sans", fontSize=8.5, leading=11,
                               textColor=colors.HexColor("#444444")),
        "corner": ParagraphStyle("corner", parent=body, fontSize=9.5, leading=12, leftIndent=9.5 * cm,
                                 alignment=0, spaceAfter=0),
        "draft": ParagraphStyle("draft", parent=body, fontName="Serif-Bold", textColor=DRAFT_RED),
        "title": ParagraphStyle("title", parent=body, fontName="Serif-Bold", fontSize=13, leading=17,
                                alignment=TA_CENTER, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER, spaceAfter=2),
        "heading": ParagraphStyle("heading", parent=body, fontName="Serif-Bold", fontSize=11.5, leading=15,
                                  alignment=0, spaceBefore=10, spaceAfter=5),
        "caption": ParagraphStyle("caption", parent=body, fontSize=9.5, alignment=TA_CENTER),
        "cell": cell,
        "cell-right": ParagraphStyle("cell-right", parent=cell, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=cell, fontName="Sans-Bold", alignment=TA_CENTER),
    }


def _p(text: str, style: ParagraphStyle, *, bold: bool = False) -> PdfParagraph:
    text = escape(text).replace("\n", "<br/>")
    return PdfParagraph(f"<b>{text}</b>" if bold else text, style)


def _table(table: Table, styles: dict[str, ParagraphStyle], frame_width: float) -> PdfTable:
    def row(values, *, bold: bool = False) -> list:
        out = []
        for value, column in zip(values, table.columns, strict=True):
            numeric = column.kind in ("number", "percent")
            out.append(_p(cell_text(value, column), styles["cell-right" if numeric else "cell"], bold=bold))
        return out

    data = [[_p(c.title, styles["head"]) for c in table.columns]]
    data += [row(values) for values in table.rows]
    if table.totals is not None:
        data.append(row(table.totals, bold=True))
    total_width = sum(c.width for c in table.columns)
    widths = [frame_width * table.width * c.width / total_width for c in table.columns]
    # A row taller than a page (a long commitment, a long link) is split across pages rather than refused.
    grid = PdfTable(data, colWidths=widths, repeatRows=1, hAlign="CENTER", splitInRow=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if table.totals is not None:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F4F6F9")))
    grid.setStyle(TableStyle(style))
    return grid


def render_pdf(doc: Document) -> bytes:
    """Returns the document as PDF bytes."""
    styles = _fonts()
    page_size = landscape(A4) if doc.landscape else A4
    frame_width = page_size[0] - LEFT - RIGHT
    story: list = [_p(line, styles["corner"]) for line in doc.corner]
    if doc.corner:
        story.append(Spacer(1, 0.6 * cm))
    if doc.draft_mark:
        story.append(_p(doc.draft_mark, styles["draft"]))
    story.append(_p(doc.title, styles["title"]))
    story += [_p(line, styles["subtitle"]) for line in doc.subtitle]
    story.append(Spacer(1, 0.3 * cm))
    for heading, section in numbered(doc.sections):
        if heading:
            # A heading never ends a page: with less than 4 cm left it starts the next one.
            story += [CondPageBreak(4 * cm), _p(heading, styles["heading"])]
        for block in section.blocks:
            if isinstance(block, Table):
                story.append(_table(block, styles, frame_width))
            elif isinstance(block, Chart):
                width, height = chart_size_cm(block, min(frame_width / cm, 17))
                story.append(Image(io.BytesIO(bar_chart_png(block)), width=width * cm, height=height * cm))
            else:
                story.append(_p(block.text, styles["note" if block.style == "note" else "body"]))
            story.append(Spacer(1, 0.25 * cm))

    def page_foot(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont("Sans", 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(LEFT, 1.1 * cm, doc.footer)
        canvas.drawRightString(page_size[0] - RIGHT, 1.1 * cm, str(canvas.getPageNumber()))
        canvas.restoreState()

    out = io.BytesIO()
    template = SimpleDocTemplate(out, pagesize=page_size, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
                                 bottomMargin=BOTTOM, title=doc.title, author="Kezdesu", creator="Kezdesu",
                                 lang={"kk": "kk-KZ", "ru": "ru-RU"}.get(doc.lang, doc.lang))
    template.build(story, onFirstPage=page_foot, onLaterPages=page_foot)
    return out.getvalue()
