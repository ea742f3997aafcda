import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from kezdesu.reports.tests.factories import ProcedureDocumentFactory
from kezdesu.reports.tests.reading import docx_text, pdf_text, xlsx_text

pytestmark = pytest.mark.django_db


def generate(*args) -> str:
    out = io.StringIO()
    call_command("generate_report", *args, stdout=out)
    return out.getvalue().strip()


def test_quarterly_report_from_the_command_line(q3, tmp_path):
    target = tmp_path / "health.pdf"
    printed = generate("--kind", "quarterly", "--body", "health", "--period", "2026-Q3", "--format", "pdf",
                       "--lang", "kk", "--as-of", "2026-10-05", "--out", str(target))
    assert printed == str(target)
    text = pdf_text(target.read_bytes())
    assert "Денсаулық сақтау министрлігі" in text and "12.10.2026" in text


def test_half_year_annex_and_procedure(q3, approved_plan, tmp_path):
    half = tmp_path / "h.xlsx"
    generate("--kind", "half-year", "--period", "2026-H2", "--format", "xlsx", "--lang", "ru", "--out", str(half))
    assert "Информация об итогах проведения встреч" in xlsx_text(half.read_bytes())
    annex = tmp_path / "annex.docx"
    generate("--kind", "annex", "--period", "2027-H1", "--format", "docx", "--lang", "kk", "--out", str(annex))
    assert "Шаһар құрылысы және өңірлерді дамыту министрлігі" in docx_text(annex.read_bytes())
    ProcedureDocumentFactory(version=1, effective_from=dt.date(2026, 1, 1))
    procedure = tmp_path / "p.docx"
    generate("--kind", "procedure", "--format", "docx", "--lang", "kk", "--out", str(procedure))
    assert "1. Жалпы ережелер." in docx_text(procedure.read_bytes())


@pytest.mark.parametrize(("args", "message"), [
    (["--kind", "quarterly", "--period", "2026-Q3"], "--body is required"),
    (["--kind", "quarterly", "--body", "health", "--period", "2026-H2"], "bad quarter"),
    (["--kind", "quarterly", "--body", "nowhere", "--period", "2026-Q3"], "no such body: nowhere"),
    (["--kind", "half-year", "--body", "health", "--period", "2026-H2"], "--body applies to --kind quarterly"),
    (["--kind", "half-year", "--period", "2026"], "bad half-year"),
    (["--kind", "half-year"], "--period is required"),
    (["--kind", "annex", "--period", "2031-H1"], "2031-H1"),  # no agreed plan
    (["--kind", "procedure"], "no procedure published"),
])
def test_bad_input_is_a_clear_error(q3, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        generate(*args, "--format", "pdf", "--lang", "kk", "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_format_is_refused_by_the_parser(q3, tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        generate("--kind", "half-year", "--period", "2026-H2", "--format", "odt", "--lang", "kk",
                 "--out", str(tmp_path / "x"))
