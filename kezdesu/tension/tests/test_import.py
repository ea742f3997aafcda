"""Importing appeals files through the service and the command."""

import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.tension import services, store
from kezdesu.tension.errors import ImportError_
from kezdesu.tension.models import Appeal, ImportBatch, WeeklyCount, WeeklyKeywordCount
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


def test_a_file_that_breaks_mid_way_leaves_the_database_as_before(reference, tmp_path, monkeypatch):
    """Blocks of rows are staged before the reader meets a line beyond the limit: nothing is stored."""
    monkeypatch.setattr(store, "BLOCK_ROWS", 5)
    limit = settings.IMPORT_LIMITS["MAX_LINE_CHARS"]
    rows = "\n".join(f"C-{i},2026-10-01,astana,health,,request,1,," for i in range(12))
    long_line = f"C-99,2026-10-01,astana,health,,request,1,{'x' * limit},"
    path = write(tmp_path, "big.csv", CSV.splitlines()[0] + "\n" + rows + "\n" + long_line + "\n")
    with pytest.raises(ApplicationError) as err:
        appeals_import(actor=SYSTEM, path=path, today=TODAY)
    assert err.value.code == ImportError_.LINE_TOO_LONG
    assert Appeal.objects.count() == 0 and WeeklyCount.objects.count() == 0
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.rows_created) == (ImportBatch.Status.FAILED, 0)
    assert "14" in batch.error  # the line the reader stopped at
    again = appeals_import(actor=SYSTEM, path=write(tmp_path, "ok.csv", CSV), today=TODAY).batch
    assert again.rows_created == 3  # the staging of the failed import is gone


def test_weekly_counts_follow_new_appeals_only(reference, tmp_path):
    appeals_import(actor=SYSTEM, path=write(tmp_path, "a.csv", CSV), today=TODAY)
    counts = {(c.region.slug, c.sector.slug, c.week_start, c.kind): (c.appeals, c.collective)
              for c in WeeklyCount.objects.select_related("region", "sector")}
    assert counts == {("mangystau", "jobs-wages", dt.date(2026, 11, 16), "complaint"): (1, 1),
                      ("mangystau", "jobs-wages", dt.date(2026, 11, 2), "complaint"): (1, 0),
                      ("astana", "health", dt.date(2026, 11, 2), "proposal"): (1, 0)}
    wordings = set(WeeklyKeywordCount.objects.values_list("region__slug", "category", "appeals"))
    assert wordings == {("mangystau", "unpaid_wages", 1), ("mangystau", "strike", 1)}
    more = CSV.splitlines()[0] + "\nA-1,2026-11-02,470000000,jobs-wages,,complaint,1,,\n" \
        "B-1,2026-11-03,470000000,jobs-wages,,complaint,1,Забастовка,ru\n"
    batch = appeals_import(actor=SYSTEM, path=write(tmp_path, "b.csv", more), today=TODAY).batch
    assert (batch.rows_created, batch.rows_unchanged) == (1, 1)
    assert WeeklyCount.objects.get(region__slug="mangystau", week_start=dt.date(2026, 11, 2)).appeals == 2
    assert WeeklyKeywordCount.objects.get(category="strike", week_start=dt.date(2026, 11, 2)).appeals == 1
    before = sorted(WeeklyCount.objects.values_list("week_start", "kind", "appeals", "collective"))
    appeals_import(actor=SYSTEM, path=write(tmp_path, "b.csv", more), today=TODAY)
    assert sorted(WeeklyCount.objects.values_list("week_start", "kind", "appeals", "collective")) == before
    call_command("rebuild_appeal_counts", stdout=io.StringIO())
    assert sorted(WeeklyCount.objects.values_list("week_start", "kind", "appeals", "collective")) == before


def test_repeated_id_already_stored_is_rejected_once_and_counted(reference, tmp_path):
    appeals_import(actor=SYSTEM, path=write(tmp_path, "a.csv", CSV), today=TODAY)
    header = CSV.splitlines()[0]
    again = header + "\nA-1,2026-11-02,astana,health,,request,1,,\nA-1,2026-11-03,astana,health,,request,1,,\n" \
        "N-1,2026-11-03,astana,health,,request,1,,\nN-1,2026-11-04,astana,health,,request,1,,\n"
    result = appeals_import(actor=SYSTEM, path=write(tmp_path, "b.csv", again), today=TODAY)
    batch = result.batch
    assert (batch.rows_total, batch.rows_created, batch.rows_unchanged, batch.rows_rejected) == (4, 1, 1, 2)
    assert [(r.line, r.code) for r in result.rejected] == [(3, "duplicate_in_file"), (5, "duplicate_in_file")]
    assert Appeal.objects.get(external_id="N-1").received_on == dt.date(2026, 11, 3)


def test_rejected_rows_are_all_counted_and_the_first_kept(reference, tmp_path, monkeypatch):
    monkeypatch.setattr(services, "STORED_REJECTS", 3)
    rows = "\n".join(f"R-{i},2026-10-01,Atlantis,health,,request,1,," for i in range(7))
    valid = "R-1,2026-10-01,astana,health,,request,,,"
    path = write(tmp_path, "bad.csv", CSV.splitlines()[0] + "\n" + rows + "\n" + valid + "\n")
    result = appeals_import(actor=SYSTEM, path=path, today=TODAY)
    assert (result.batch.rows_rejected, result.batch.rows_created) == (7, 1)
    assert [r["line"] for r in result.batch.rejected] == [2, 3, 4]
    assert [r.code for r in result.rejected] == ["unknown_region"] * 3


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


ODD = (CSV.splitlines()[0] + "\n"
       + " Ж-1 ,2026-11-02, astana ,HEALTH,,Complaint, 3 ,  Жалақы  төленбеді ,KK\n"  # 2 valid, spaces and cases
       + "B-2,2026-11-02,astana,health,,request,1,ok,ru,EXTRA\n"  # 3 a field more than the header
       + "B-3,2026-11-02,astana,health\n"  # 4 fields missing: no kind
       + "B-4,2026-11-02,astana,health,,request,1,te\x00xt,ru\n"  # 5 NUL character
       + "X" * 70 + ",2026-11-02,astana,health,,request,1,,\n"  # 6 id too long
       + "B-6,2026-11-02,astana,health,,request,1.0,,\n"  # 7 valid: 1.0 signatories
       + "B-7,2026-11-02,astana,health,,request,abc,,\n"  # 8 bad signatories
       + "B-8,2026-11-02,astana,,labour-social,request,1,,\n"  # 9 valid: the body's sector
       + "B-9,02.11.2026,astana,health,,request,1,,\n"  # 10 valid: DD.MM.YYYY
       + "B-6,2026-11-03,astana,health,,request,1,,\n"  # 11 repeated valid id
       + "B-7,2026-11-03,astana,health,,request,1,,\n"  # 12 valid: the earlier B-7 was rejected
       + '"B-11","2026-11-03","astana","health","","request","1","two\nlines",""\n'  # 13 valid, quoted
       + "\tB-12\t,2026-11-03,astana,health,,request,1,,\n"  # 14 valid: tabs around the id
       + "B-13,2026-11-03,astana,health,,request,1,,xx\n"  # 15 valid: unknown language left empty
       + "\n"  # a blank line is no row
       + "B-14\x07,2026-11-03,astana,health,,request,1,,\n"  # 16 valid: control character dropped
       + "B-15,2026-11-31,astana,health,,request,1,,\n"  # 17 bad date
       + "B-16,2026-11-03,astana,health,,request,1,Забастовка,ru\n")  # 18 valid, a wording


def test_odd_rows_get_the_same_reasons_on_every_database(reference, tmp_path):
    """PostgreSQL checks CSV rows set-based in SQL, SQLite row by row in Python: the same file gives the
    same rejected rows, codes, stored values and counts on both (CI runs this on both)."""
    result = appeals_import(actor=SYSTEM, path=write(tmp_path, "odd.csv", ODD), today=TODAY)
    assert [(r.line, r.external_id, str(r.code)) for r in result.rejected] == [
        (3, "B-2", "too_deep"), (4, "B-3", "bad_kind"), (5, "B-4", "nul_character"), (6, "X" * 64, "too_long"),
        (8, "B-7", "bad_signatories"), (11, "B-6", "duplicate_in_file"), (17, "B-15", "bad_date")]
    batch = result.batch
    assert (batch.rows_total, batch.rows_created, batch.rows_unchanged, batch.rows_rejected) == (17, 10, 0, 7)
    assert [r["code"] for r in batch.rejected] == [str(r.code) for r in result.rejected]
    first = Appeal.objects.get(external_id="Ж-1")
    assert (first.text, first.language, first.signatories, first.kind, first.sector.slug) == (
        "Жалақы  төленбеді", "kk", 3, "complaint", "health")
    assert Appeal.objects.get(external_id="B-8").sector.slug == "jobs-wages"
    assert Appeal.objects.get(external_id="B-9").received_on == dt.date(2026, 11, 2)
    assert Appeal.objects.get(external_id="B-11").text == "two\nlines"
    assert Appeal.objects.get(external_id="B-7").received_on == dt.date(2026, 11, 3)
    assert Appeal.objects.get(external_id="B-13").language == ""
    assert Appeal.objects.filter(external_id__in=["B-12", "B-14"]).count() == 2
    again = appeals_import(actor=SYSTEM, path=write(tmp_path, "odd.csv", ODD), today=TODAY).batch
    assert (again.rows_created, again.rows_unchanged, again.rows_rejected) == (0, 10, 7)


def recount() -> tuple[list, list]:
    """The weekly counts computed again from the stored appeals."""
    from collections import Counter

    from kezdesu.tension.detectors.escalation import COLLECTIVE_SIGNATORIES, keyword_categories

    counts, words = Counter(), Counter()
    for a in Appeal.objects.exclude(sector=None):
        cell = (a.region_id, a.sector_id, a.week_start, a.kind)
        counts[(*cell, "appeals")] += 1
        counts[(*cell, "collective")] += a.signatories >= COLLECTIVE_SIGNATORIES
        for category in keyword_categories(a.text):
            words[(a.region_id, a.sector_id, a.week_start, category)] += 1
    cells = sorted({k[:4] for k in counts})
    return ([(*c, counts[(*c, "appeals")], counts[(*c, "collective")]) for c in cells],
            sorted((*k, n) for k, n in words.items()))


def test_weekly_counts_equal_a_recount_from_the_appeals(reference, tmp_path):
    for name, content in (("a.csv", CSV), ("odd.csv", ODD), ("a.csv", CSV), ("odd.csv", ODD)):
        appeals_import(actor=SYSTEM, path=write(tmp_path, name, content), today=TODAY)
        stored = (sorted(WeeklyCount.objects.values_list("region_id", "sector_id", "week_start", "kind", "appeals",
                                                         "collective")),
                  sorted(WeeklyKeywordCount.objects.values_list("region_id", "sector_id", "week_start", "category",
                                                                "appeals")))
        assert stored == recount()
    assert len(stored[1]) >= 3  # wordings counted: unpaid wages twice, strike twice
