"""Importing appeals files through the service and the command."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.tension import services
from kezdesu.tension.models import Appeal, ImportBatch
from kezdesu.tension.services import appeals_import

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)
CSV = """external_id,received_on,region,sector,recipient_body,kind,signatories,text,language
A-1,2026-11-02,470000000,jobs-wages,,complaint,1,Жалақы үш ай төленбеді,kk
A-2,16.11.2026,Мангистауская область,,labour-social,жалоба,35,Коллективная жалоба: угрожают забастовкой,ru
A-3,2026-11-03,Atlantis,jobs-wages,,complaint,1,,
A-4,2026-13-03,astana,health,,request,1,,
A-5,2026-11-05,astana,no-such-sector,,request,1,,
A-6,2026-11-05,astana,health,,praise,1,,
A-7,2026-11-05,astana,health,,request,0,,
A-1,2026-11-06,astana,health,,request,1,,
,2026-11-06,astana,health,,request,1,,
A-8,2027-01-01,astana,health,,request,1,,
A-9,2026-11-05,Астана қаласы,Денсаулық сақтау,,ұсыныс,2,,kk
"""


def write(tmp_path, name, content) -> object:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_csv_rows_are_validated_one_by_one(reference, tmp_path):
    result = appeals_import(actor=SYSTEM, path=write(tmp_path, "appeals.csv", CSV), today=TODAY)
    batch = result.batch
    assert (batch.rows_total, batch.rows_created, batch.rows_rejected) == (11, 3, 8)
    assert {(r.line, r.code) for r in result.rejected} == {
        (4, "unknown_region"), (5, "bad_date"), (6, "unknown_sector"), (7, "bad_kind"), (8, "bad_signatories"),
        (9, "duplicate_in_file"), (10, "missing_id"), (11, "future_date")}
    a2 = Appeal.objects.get(external_id="A-2")
    assert (a2.region.slug, a2.sector.slug, a2.kind, a2.signatories) == ("mangystau", "jobs-wages",
                                                                          "complaint", 35)
    assert a2.week_start == dt.date(2026, 11, 16)
    assert Appeal.objects.get(external_id="A-9").kind == "proposal"
    assert AuditEvent.objects.filter(action="appeals.import").count() == 1


def test_reimport_changes_nothing(reference, tmp_path):
    path = write(tmp_path, "appeals.csv", CSV)
    appeals_import(actor=SYSTEM, path=path, today=TODAY)
    second = appeals_import(actor=SYSTEM, path=path, today=TODAY).batch
    assert (second.rows_created, second.rows_unchanged) == (0, 3)
    assert Appeal.objects.count() == 3


def test_jsonl_and_xlsx(reference, tmp_path):
    lines = [json.dumps({"external_id": f"J-{i}", "received_on": "2026-10-01", "region": "shymkent",
                         "sector": "water", "kind": "request"}) for i in range(5)] + ["{not json"]
    batch = appeals_import(actor=SYSTEM, path=write(tmp_path, "a.jsonl", "\n".join(lines)), today=TODAY).batch
    assert (batch.rows_created, batch.rows_rejected) == (5, 1)
    wb = Workbook()
    ws = wb.active
    ws.append(["External_ID", "Received_On", "Region", "Sector", "Kind", "Signatories"])
    ws.append(["X-1", dt.datetime(2026, 10, 2), "750000000", "housing-utilities", "complaint", 12])
    ws.append(["X-2", "2026-10-03", "almaty", "housing-utilities", "complaint", "abc"])
    wb.save(tmp_path / "a.xlsx")
    result = appeals_import(actor=SYSTEM, path=tmp_path / "a.xlsx", today=TODAY)
    assert (result.batch.rows_created, [r.code for r in result.rejected]) == (1, ["bad_signatories"])


def test_a_crash_mid_file_leaves_the_database_as_before(reference, tmp_path, monkeypatch):
    rows = "\n".join(f"C-{i},2026-10-01,astana,health,,request,1,," for i in range(12))
    path = write(tmp_path, "big.csv", CSV.splitlines()[0] + "\n" + rows + "\n")
    real = services._insert

    def crash_after_first_batch(valid, batch_id):
        real(valid[:5], batch_id)
        raise OSError("disk full")

    monkeypatch.setattr(services, "_insert", crash_after_first_batch)
    with pytest.raises(ApplicationError):
        appeals_import(actor=SYSTEM, path=path, today=TODAY)
    assert Appeal.objects.count() == 0
    assert ImportBatch.objects.get().status == ImportBatch.Status.FAILED


def test_unknown_format_and_missing_columns(reference, tmp_path):
    with pytest.raises(ApplicationError) as err:
        appeals_import(actor=SYSTEM, path=write(tmp_path, "a.txt", "x"), today=TODAY)
    assert err.value.code == "unknown_format"
    with pytest.raises(ApplicationError) as err:
        appeals_import(actor=SYSTEM, path=write(tmp_path, "a.csv", "id,date\n1,2"), today=TODAY)
    assert err.value.code == "missing_columns"


def test_command_prints_json_and_writes_the_report(reference, tmp_path):
    out = io.StringIO()
    call_command("import_appeals", str(write(tmp_path, "a.csv", CSV)), "--json", "--report",
                 str(tmp_path / "rejects.csv"), stdout=out, stderr=io.StringIO())
    data = json.loads(out.getvalue())
    assert data["rejected"] == 8 and data["rejected_rows"][0]["line"] == 4
    assert (tmp_path / "rejects.csv").read_text().count("\n") == 9
    with pytest.raises(CommandError):
        call_command("import_appeals", str(tmp_path / "missing.csv"))
