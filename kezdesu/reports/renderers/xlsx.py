"""Paint a laid-out Document as XLSX (openpyxl): one sheet per table or chart, each headed by the document's
title, a bold header row with frozen panes, real numbers and dates with number formats, a bold totals
row, native bar charts, and the generation date under the data and in the print footer."""

from __future__ import annotations

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kezdesu.core.spreadsheet import xlsx_cell
from kezdesu.reports.renderers.layout import Chart, Column, Document, Paragraph, Table, numbered

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E7EBF0")
TOTAL_FILL = PatternFill("solid", fgColor="F4F6F9")
WRAP = Alignment(wrap_text=True, vertical="top")
FORMATS = {"number": "#,##0", "percent": "0%", "date": "DD.MM.YYYY"}
CHARS_PER_UNIT = 9  # column width (in characters) of one unit of Column.width


class _Sheets:
    """Hands out sheets with unique, valid names (at most 31 characters, no []:*?/\\)."""

    def __init__(self, workbook: Workbook):
        self.workbook = workbook
        self.first = True
        self.names: set[str] = set()

    def new(self, name: str):
        base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()
        if len(base) > 31:
            base = base[:31].rsplit(" ", 1)[0]
        base = base or "Sheet"
        candidate, n = base, 2
        while candidate.lower() in self.names:
            suffix = f" ({n})"
            candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.names.add(candidate.lower())
        if self.first:
            self.first = False
            sheet = self.workbook.active
            sheet.title = candidate
        else:
            sheet = self.workbook.create_sheet(candidate)
        return sheet


def _head(sheet, doc: Document, heading: str, width: int) -> int:
    """Writes the document's heading lines; returns the next free row."""
    lines = [(line, Font(size=9)) for line in doc.corner]
    lines.append((doc.title, Font(bold=True, size=13)))
    lines += [(line, Font(size=11)) for line in doc.subtitle]
    if doc.draft_mark:
        lines.append((doc.draft_mark, Font(bold=True, color="A61B1B")))
    if heading:
        lines.append((heading, Font(bold=True, size=12)))
    for row, (text, font) in enumerate(lines, 1):
        cell = xlsx_cell(sheet, row=row, column=1, value=text)
        cell.font = font
        if width > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    return len(lines) + 2


def _value(value, column: Column):
    if column.kind == "percent" and isinstance(value, int) and not isinstance(value, bool):
        return value / 100
    return value


def _write_row(sheet, row: int, values, columns, *, bold: bool = False, fill=None) -> None:
    for col, (value, column) in enumerate(zip(values, columns, strict=True), 1):
        cell = xlsx_cell(sheet, row=row, column=col, value=_value(value, column))
        cell.border = BOX
        cell.alignment = WRAP
        if isinstance(value, dt.date):
            cell.number_format = FORMATS["date"]
        elif isinstance(value, int | float) and column.kind in ("number", "percent"):
            cell.number_format = FORMATS[column.kind]
        if bold:
            cell.font = Font(bold=True)
        if fill is not None:
            cell.fill = fill


def _table(sheet, table: Table, start: int) -> int:
    """Writes the table from row `start`; returns the next free row."""
    for col, column in enumerate(table.columns, 1):
        cell = xlsx_cell(sheet, row=start, column=col, value=column.title)
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = max(6, round(column.width * CHARS_PER_UNIT))
    sheet.freeze_panes = sheet.cell(row=start + 1, column=1)
    row = start + 1
    for values in table.rows:
        _write_row(sheet, row, values, table.columns)
        row += 1
    if table.totals is not None:
        _write_row(sheet, row, table.totals, table.columns, bold=True, fill=TOTAL_FILL)
        row += 1
    return row + 1


def _chart(sheet, chart: Chart, start: int) -> int:
    """Writes the chart's data as a two-column table and draws a native bar chart beside it."""
    columns = (Column("", width=4), Column(chart.value_title, "number", 1.5))
    table = Table(chart.name, columns, tuple(zip(chart.categories, chart.values, strict=True)))
    end = _table(sheet, table, start)
    bars = BarChart()
    bars.type, bars.style, bars.title, bars.legend = "bar", 10, chart.title, None
    bars.y_axis.title = chart.value_title
    bars.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
    bars.x_axis.delete = bars.y_axis.delete = False
    first, last = start + 1, start + max(1, len(chart.categories))
    bars.add_data(Reference(sheet, min_col=2, min_row=start, max_row=last), titles_from_data=True)
    bars.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    bars.width, bars.height = 22, max(7.5, 0.55 * len(chart.categories) + 2.5)
    sheet.add_chart(bars, f"D{start}")
    return end


def _paragraph(sheet, block: Paragraph, row: int, width: int) -> int:
    cell = xlsx_cell(sheet, row=row, column=1, value=block.text)
    cell.alignment = WRAP
    cell.font = Font(italic=block.style == "note")
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    # Merged cells do not grow with their text: give the row a height for the text's length.
    sheet.row_dimensions[row].height = 15 * max(1, len(block.text) // (12 * width) + 1 + block.text.count("\n"))
    return row + 1


def render_xlsx(doc: Document) -> bytes:
    """Returns the document as XLSX bytes."""
    workbook = Workbook()
    workbook.properties.title, workbook.properties.creator = doc.title, "Kezdesu"
    workbook.properties.language = {"kk": "kk-KZ", "ru": "ru-RU"}.get(doc.lang, doc.lang)
    sheets = _Sheets(workbook)
    for heading, section in numbered(doc.sections):
        sheet, row, width = None, 0, 8
        pending: list[Paragraph] = []  # text goes on the sheet of the next table, or of the last one
        for block in section.blocks:
            if isinstance(block, Paragraph):
                pending.append(block)
                continue
            if sheet is not None:
                _finish(sheet, doc, row)
            sheet = sheets.new(block.name)
            width = len(block.columns) if isinstance(block, Table) else 8
            row = _head(sheet, doc, heading, width)
            for paragraph in pending:
                row = _paragraph(sheet, paragraph, row, width)
            row += 1 if pending else 0
            pending = []
            row = _table(sheet, block, row) if isinstance(block, Table) else _chart(sheet, block, row)
        if pending and sheet is None:
            sheet = sheets.new(heading.partition(". ")[2] or doc.title)
            sheet.column_dimensions["A"].width = 12
            row = _head(sheet, doc, heading, width)
        for paragraph in pending:
            row = _paragraph(sheet, paragraph, row, width)
        if sheet is not None:
            _finish(sheet, doc, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _finish(sheet, doc: Document, row: int) -> None:
    xlsx_cell(sheet, row=row + 1, column=1, value=doc.footer).font = Font(italic=True, size=9, color="555555")
    sheet.oddFooter.left.text = doc.footer
    sheet.oddFooter.right.text = "&P / &N"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if doc.landscape else "portrait"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
