"""Hostile appeals files: each is refused with a clear reason, the batch never stays `running`, and what
is written follows one rule — valid rows together, rows with errors rejected, a file beyond a file limit
nothing at all."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.tension.importer import json_depth
from kezdesu.tension.models import Appeal, ImportBatch
from kezdesu.tension.services import appeals_import
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)
HEADER = "external_id,received_on,region,sector,recipient_body,kind,signatories,text,language\n"


def row(external_id: str, *, signatories="1", text="") -> str:
    return f"{external_id},2026-11-02,astana,health,,complaint,{signatories},{text},kk\n"


@pytest.fixture
def limits(settings):
    """Small limits, so that a few kilobytes stand for the hundreds of megabytes of an attack."""
    settings.IMPORT_LIMITS = {**settings.IMPORT_LIMITS, "MAX_BYTES": 20_000, "MAX_ROWS": 50,
                              "MAX_FIELD_CHARS": 1_000, "MAX_LINE_CHARS": 5_000,
                              "MAX_XLSX_UNCOMPRESSED_BYTES": 2_000_000, "MAX_XLSX_RATIO": 100, "MAX_JSON_DEPTH": 2}
    return settings.IMPORT_LIMITS


def refused(tmp_path, name: str, content: str | bytes) -> ApplicationError:
    """Imports the file expecting the whole file to be refused; returns the error after checking the batch."""
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ApplicationError) as err:
        appeals_import(actor=SYSTEM, path=path, today=TODAY)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FAILED and batch.error == err.value.message
    assert Appeal.objects.count() == 0  # valid rows before the breach are not written either
    return err.value


def imported(tmp_path, name: str, content: str):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return appeals_import(actor=SYSTEM, path=path, today=TODAY)


def test_a_file_over_the_size_limit_is_refused_before_reading(reference, tmp_path, limits):
    err = refused(tmp_path, "big.csv", HEADER + row("A-1") + "x" * 25_000)
    assert err.code == "too_large" and "0.03" in err.message and "0.02" in err.message


def test_too_many_rows_import_nothing(reference, tmp_path, limits):
    assert refused(tmp_path, "many.csv", HEADER + "".join(row(f"R-{i}") for i in range(51))).code == "too_many_rows"


def test_a_line_longer_than_the_limit_fails_the_file_and_a_long_field_rejects_its_row(reference, tmp_path, limits,
                                                                                       settings):
    # 131,072 characters is where Python's csv module gives up with its own error (the attack's file).
    settings.IMPORT_LIMITS = {**limits, "MAX_BYTES": 1_000_000}
    assert refused(tmp_path, "huge-field.csv", HEADER + row("A-1", text="я" * 131_073)).code == "line_too_long"
    ImportBatch.objects.all().delete()
    result = imported(tmp_path, "long-field.csv", HEADER + row("A-1", text="я" * 1_001) + row("A-2"))
    assert [(r.external_id, r.code) for r in result.rejected] == [("A-1", "too_long")]
    assert list(Appeal.objects.values_list("external_id", flat=True)) == ["A-2"]


@pytest.mark.parametrize(("raw", "stored"), [
    ("1.5", None), ("100000000000000000000", None), ("3000000000", None), ("10000001", None), ("-1", None),
    ("0", None), ("1e3", None), ("12.0", 12), ("10000000", 10_000_000), ("", 1),
])
def test_signatories_are_whole_numbers_in_range(reference, tmp_path, raw, stored):
    result = imported(tmp_path, "s.csv", HEADER + row("S-1", signatories=raw))
    if stored is None:
        assert [r.code for r in result.rejected] == ["bad_signatories"] and not Appeal.objects.exists()
    else:
        assert Appeal.objects.get().signatories == stored


def test_signatories_in_json_and_xlsx(reference, tmp_path):
    lines = [json.dumps({"external_id": f"J-{i}", "received_on": "2026-10-01", "region": "astana",
                         "sector": "health", "kind": "request", "signatories": value})
             for i, value in enumerate([1.5, 10**20, 3_000_000_000, True, 7, 7.0])]
    result = imported(tmp_path, "s.jsonl", "\n".join(lines))
    assert [r.line for r in result.rejected] == [1, 2, 3, 4]
    assert sorted(Appeal.objects.values_list("signatories", flat=True)) == [7, 7]
    wb = Workbook()
    wb.active.append(["external_id", "received_on", "region", "sector", "kind", "signatories"])
    wb.active.append(["X-1", "2026-10-02", "astana", "health", "complaint", 1.5])
    wb.active.append(["X-2", "2026-10-02", "astana", "health", "complaint", 3.0])
    wb.save(tmp_path / "s.xlsx")
    result = appeals_import(actor=SYSTEM, path=tmp_path / "s.xlsx", today=TODAY)
    assert [(r.external_id, r.code) for r in result.rejected] == [("X-1", "bad_signatories")]
    assert Appeal.objects.get(external_id="X-2").signatories == 3


def test_nul_characters_are_refused_row_by_row(reference, tmp_path):
    lines = [json.dumps({"external_id": "J-1", "received_on": "2026-10-01", "region": "astana", "sector": "health",
                         "kind": "request", "text": "a\u0000b"}),
             json.dumps({"external_id": "J-2\u0000", "received_on": "2026-10-01", "region": "astana",
                         "sector": "health", "kind": "request"}),
             json.dumps({"external_id": "J-3", "received_on": "2026-10-01", "region": "astana", "sector": "health",
                         "kind": "request", "text": "Су\u000bжоқ"})]
    result = imported(tmp_path, "nul.jsonl", "\n".join(lines))
    assert [(r.line, r.code) for r in result.rejected] == [(1, "nul_character"), (2, "nul_character")]
    assert Appeal.objects.get().text == "Су\nжоқ"
    result = imported(tmp_path, "nul.csv", HEADER + row("C-1", text="a\x00b"))
    assert [r.code for r in result.rejected] == ["nul_character"]


def test_deep_or_odd_json_lines_are_rejected_without_recursion(reference, tmp_path, limits):
    deep = '{"external_id": "D-1", "text": ' + "[" * 2_000 + "]" * 2_000 + "}"
    result = imported(tmp_path, "deep.jsonl", "\n".join([deep, "[1, 2]", '"text"', "{not json",
                                                         '{"external_id": "D-2", "region": {"a": 1}}']))
    assert [(r.line, r.code) for r in result.rejected] == [
        (1, "too_deep"), (2, "not_an_object"), (3, "not_an_object"), (4, "not_an_object"), (5, "too_deep")]
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
    assert json_depth('{"a": "[[[[", "b": [1, {"c": 2}]}') == 3


def _bomb(path, text_chars: int) -> None:
    """A workbook whose cells hold `text_chars` letters in all (a cell holds at most 32,767)."""
    wb = Workbook()
    wb.active.append(["external_id", "received_on", "region", "sector", "kind"])
    wb.active.append(["B-1", "2026-10-02", "astana", "health", "complaint",
                      *["a" * 30_000] * (text_chars // 30_000)])
    wb.save(path)


def test_xlsx_expanding_far_beyond_its_size_is_refused_before_opening(reference, tmp_path, limits):
    _bomb(tmp_path / "bomb.xlsx", 1_500_000)  # a few KB on disk, 1.5 MB unpacked
    assert refused(tmp_path, "bomb.xlsx", (tmp_path / "bomb.xlsx").read_bytes()).code == "xlsx_ratio"


def test_xlsx_over_the_uncompressed_limit_is_refused(reference, tmp_path, limits, settings):
    settings.IMPORT_LIMITS = {**limits, "MAX_XLSX_UNCOMPRESSED_BYTES": 50_000, "MAX_XLSX_RATIO": 10_000}
    _bomb(tmp_path / "wide.xlsx", 90_000)
    assert refused(tmp_path, "wide.xlsx", (tmp_path / "wide.xlsx").read_bytes()).code == "xlsx_too_large"


def test_a_file_that_is_not_a_workbook_is_refused(reference, tmp_path):
    assert refused(tmp_path, "fake.xlsx", b"PK\x03\x04 not really a zip").code == "not_xlsx"


def test_the_upload_form_refuses_an_oversized_file_before_any_batch(client, reference, limits):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    upload = SimpleUploadedFile("big.csv", (HEADER + "x" * 25_000).encode())
    page = client.post("/staff/tension/import/", {"file": upload}, follow=True).content.decode()
    assert not ImportBatch.objects.exists()
    assert "0.03" in page and "0.02" in page
    page = client.get("/staff/tension/import/").content.decode()
    assert "50" in page  # the limits are stated on the page


def test_the_command_reports_a_refused_file(reference, tmp_path, limits):
    path = tmp_path / "many.csv"
    path.write_text(HEADER + "".join(row(f"R-{i}") for i in range(51)), encoding="utf-8")
    with pytest.raises(CommandError, match="50"):
        call_command("import_appeals", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED
