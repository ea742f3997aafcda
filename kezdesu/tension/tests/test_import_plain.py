"""A plain CSV file goes to PostgreSQL as it is (decision 0133); any file the two CSV readers might read
differently is read row by row. Either way the same file gives the same rows, line numbers and reasons on
both databases (CI runs this on both)."""

import datetime as dt

import pytest
from django.db import connection

from kezdesu.core.actors import SYSTEM
from kezdesu.tension.models import Appeal
from kezdesu.tension.services import appeals_import

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)
HEADER = "external_id,received_on,region,sector,recipient_body,kind,signatories,text,language\r\n"
AS_IS = "file copied as it is"


def imported(tmp_path, content: str, *, as_is: bool):
    path = tmp_path / "appeals.csv"
    path.write_bytes(("\ufeff" + HEADER + content).encode())
    result = appeals_import(actor=SYSTEM, path=path, today=TODAY)
    if connection.vendor == "postgresql":
        assert (AS_IS in result.phases) is as_is, result.phases
    return result, [(r.line, r.external_id, str(r.code)) for r in result.rejected]


def test_blank_lines_are_no_rows_and_do_not_shift_the_line_numbers(reference, tmp_path):
    result, rejected = imported(tmp_path, (
        "C-1,2026-11-02,astana,health,,request,1,Жол жөнделсін,kk\r\n"
        "\r\n"
        "\n"
        "C-2,2026-11-02,astana,health,,praise,1,,\r\n"  # line 3: blank lines are not counted
        "C-3,2026-11-03,astana,health,,request,1,,ru\r\n"
        "\r\n"), as_is=True)
    assert rejected == [(3, "C-2", "bad_kind")]
    assert (result.batch.rows_total, result.batch.rows_created) == (3, 2)


def test_quoted_texts_over_lines_and_with_quotes_keep_their_characters(reference, tmp_path):
    _, rejected = imported(tmp_path, (
        'D-1,2026-11-02,astana,health,,request,1,"Су жоқ, жарық жоқ",kk\n'
        'D-2,2026-11-02,astana,health,,request,1,"Письмо ""от жителей""\nвторая строка",ru\n'
        'D-3,2026-11-02,astana,health,,praise,1,,\n'  # line 4: a row, not a physical line
        '"D-4",2026-11-03,astana,health,,request,"2",,\n'), as_is=True)
    assert rejected == [(4, "D-3", "bad_kind")]
    assert Appeal.objects.get(external_id="D-1").text == "Су жоқ, жарық жоқ"
    assert Appeal.objects.get(external_id="D-2").text == 'Письмо "от жителей"\nвторая строка'
    assert Appeal.objects.get(external_id="D-4").signatories == 2


def test_a_quote_inside_a_bare_value_is_a_character(reference, tmp_path):
    # PostgreSQL's reader would open a quoted part here; the csv module keeps the quote: read row by row.
    _, rejected = imported(tmp_path, (
        'E-1,2026-11-02,astana,health,,request,1,Мектеп 5"А" сыныбы,kk\n'
        'E-2,2026-11-02,astana,health,,request,1,,\n'), as_is=False)
    assert rejected == []
    assert Appeal.objects.get(external_id="E-1").text == 'Мектеп 5"А" сыныбы'


def test_a_line_that_would_end_copy_early_is_a_row_like_any_other(reference, tmp_path):
    result, rejected = imported(tmp_path, (
        "F-1,2026-11-02,astana,health,,request,1,,\n"
        "\\.\n"
        "F-2,2026-11-02,astana,health,,request,1,,\n"), as_is=False)
    assert [code for _, _, code in rejected] == ["bad_date"] and rejected[0][0] == 3
    assert set(Appeal.objects.values_list("external_id", flat=True)) == {"F-1", "F-2"}
    assert result.batch.rows_total == 3


def test_quotes_and_blank_lines_together_are_read_row_by_row(reference, tmp_path):
    # The blank line may be inside a quoted text: only the csv module can tell.
    _, rejected = imported(tmp_path, (
        'G-1,2026-11-02,astana,health,,request,1,"Бірінші\n\nүшінші",kk\n'
        "\n"
        "G-2,2026-11-02,astana,health,,praise,1,,\n"), as_is=False)
    assert rejected == [(3, "G-2", "bad_kind")]
    assert Appeal.objects.get(external_id="G-1").text == "Бірінші\n\nүшінші"
