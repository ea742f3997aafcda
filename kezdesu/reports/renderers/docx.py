"""Paint a laid-out Document as DOCX (python-docx): A4, Times New Roman, bordered tables with a repeated
header row and a bold totals row, charts as pictures, the generation date and page number in the footer."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from kezdesu.reports.renderers.charts import bar_chart_png, chart_size_cm
from kezdesu.reports.renderers.layout import Chart, Document, Paragraph, Table, cell_text, numbered

FONT = "Times New Roman"
A4_CM = (21.0, 29.7)
LEFT, RIGHT, TOP, BOTTOM = 2.5, 1.5, 2.0, 2.0  # cm
LANG_TAGS = {"kk": "kk-KZ", "ru": "ru-RU"}
BLACK = RGBColor(0, 0, 0)


def _set_font(style, *, size: float, bold: bool | None = None, lang: str = "") -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.color.rgb = BLACK
    if bold is not None:
        style.font.bold = bold
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    if lang:
        tag = OxmlElement("w:lang")
        tag.set(qn("w:val"), lang)
        rpr.append(tag)


def _styles(docx, lang: str) -> None:
    styles = docx.styles
    _set_font(styles["Normal"], size=12, lang=LANG_TAGS.get(lang, ""))
    styles["Normal"].paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 14), ("Heading 1", 14), ("Heading 2", 12)):
        _set_font(styles[name], size=size, bold=True)
        styles[name].font.italic = False
        styles[name].paragraph_format.space_before = Pt(12 if name == "Heading 2" else 0)
        styles[name].paragraph_format.space_after = Pt(6)
    styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cell = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = styles["Normal"]
    _set_font(cell, size=9)
    cell.paragraph_format.space_after = Pt(0)
    note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = styles["Normal"]
    _set_font(note, size=10)
    note.font.italic = True


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def _fill_row(row, values, table: Table, *, style_id: str, bold: bool = False, header: bool = False) -> None:
    for cell, value, column in zip(row.cells, values, table.columns, strict=True):
        paragraph = cell.paragraphs[0]
        # Setting the style id on the XML directly: `paragraph.style = name` looks the style up by
        # scanning every style, which made table-heavy documents several times slower.
        paragraph._p.style = style_id
        text = column.title if header else cell_text(value, column)
        run = paragraph.add_run(text)
        run.bold = bold or header
        if header:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _shade(cell, "E7EBF0")
        elif column.kind in ("number", "percent"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(docx, table: Table, text_width_cm: float) -> None:
    grid = docx.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    total_width = sum(c.width for c in table.columns)
    widths = [Cm(text_width_cm * table.width * c.width / total_width) for c in table.columns]
    style_id = docx.styles["Table Text"].style_id
    header = grid.rows[0]
    _fill_row(header, [None] * len(table.columns), table, style_id=style_id, header=True)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for values in table.rows:
        _fill_row(grid.add_row(), values, table, style_id=style_id)
    if table.totals is not None:
        _fill_row(grid.add_row(), table.totals, table, style_id=style_id, bold=True)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    docx.add_paragraph()


def _page_number(paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def render_docx(doc: Document) -> bytes:
    """Returns the document as DOCX bytes."""
    docx = new_docx()
    _styles(docx, doc.lang)
    props = docx.core_properties
    props.title, props.author, props.language = doc.title, "Kezdesu", LANG_TAGS.get(doc.lang, doc.lang)
    page = docx.sections[0]
    width, height = sorted(A4_CM, reverse=doc.landscape)
    page.orientation = WD_ORIENT.LANDSCAPE if doc.landscape else WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Cm(width), Cm(height)
    page.left_margin, page.right_margin, page.top_margin, page.bottom_margin = (Cm(x) for x in (LEFT, RIGHT, TOP,
                                                                                                BOTTOM))
    text_width = width - LEFT - RIGHT
    footer = page.footer.paragraphs[0]
    footer.style = "Note"
    footer.add_run(doc.footer + " · ")
    _page_number(footer)

    for line in doc.corner:
        p = docx.add_paragraph(line)
        p.paragraph_format.left_indent = Cm(9.5)
        p.paragraph_format.space_after = Pt(0)
    if doc.corner:
        docx.add_paragraph()
    if doc.draft_mark:
        mark = docx.add_paragraph().add_run(doc.draft_mark)
        mark.bold = True
        mark.font.color.rgb = RGBColor(0xA6, 0x1B, 0x1B)
    docx.add_heading(doc.title, level=1)
    for line in doc.subtitle:
        docx.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for heading, section in numbered(doc.sections):
        if heading:
            docx.add_heading(heading, level=2)
        for block in section.blocks:
            if isinstance(block, Table):
                _table(docx, block, text_width)
            elif isinstance(block, Chart):
                w, h = chart_size_cm(block, min(text_width, 17))
                docx.add_picture(io.BytesIO(bar_chart_png(block)), width=Cm(w), height=Cm(h))
                docx.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif isinstance(block, Paragraph):
                p = docx.add_paragraph(block.text, style="Note" if block.style == "note" else None)
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()
