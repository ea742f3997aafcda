from django.db import models
from django.utils.translation import gettext_lazy as _

from kezdesu.core.errors import Refusal


class ImportError_(models.TextChoices):
    UNKNOWN_FORMAT = "unknown_format", _("Unknown file format: use .csv, .jsonl or .xlsx.")
    MISSING_COLUMNS = "missing_columns", _("The file has no column(s): %(columns)s.")
    UNREADABLE = "unreadable", _("The file cannot be read: %(reason)s")
    NOT_ALLOWED = "not_allowed", _("Your role cannot import appeals.")
    TOO_LARGE = "too_large", _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. "
                               "Split it into smaller files.")
    TOO_MANY_ROWS = "too_many_rows", _("The file has more than %(limit)s rows. Split it into smaller files.")
    LINE_TOO_LONG = "line_too_long", _("Line %(line)s is longer than %(limit)s characters.")
    NOT_XLSX = "not_xlsx", _("The file is not a valid XLSX workbook.")
    XLSX_TOO_LARGE = "xlsx_too_large", _("The workbook expands to %(size)s MB; at most %(limit)s MB can be "
                                         "imported. Save it as CSV or split it.")
    XLSX_RATIO = "xlsx_ratio", _("The workbook is compressed %(ratio)s times; more than %(limit)s times is "
                                 "refused as unsafe. Save it as CSV.")
    NOT_STORED = "not_stored", _("The rows could not be stored (%(reason)s); nothing was imported.")
    INTERRUPTED = "interrupted", _("The import stopped unexpectedly; nothing was imported. Try again or "
                                   "contact the administrator.")


# The kinds of refusal among these codes (kezdesu/core/responses.py answers each with its HTTP status).
REFUSALS = {
    ImportError_.NOT_ALLOWED: Refusal.FORBIDDEN,
}


# Reasons a single row is rejected; kept as codes plus translated text in the report.
class RowError(models.TextChoices):
    MISSING_ID = "missing_id", _("external id is empty")
    BAD_DATE = "bad_date", _("received date is not a date (YYYY-MM-DD or DD.MM.YYYY)")
    FUTURE_DATE = "future_date", _("received date is in the future")
    UNKNOWN_REGION = "unknown_region", _("region is not a known KATO code or name")
    UNKNOWN_SECTOR = "unknown_sector", _("neither sector nor recipient body is known")
    BAD_KIND = "bad_kind", _("kind must be complaint, request, proposal or report")
    BAD_SIGNATORIES = "bad_signatories", _("signatories must be a whole number from 1 to 10,000,000")
    DUPLICATE_IN_FILE = "duplicate_in_file", _("the same external id appears earlier in the file")
    TOO_LONG = "too_long", _("a field is too long")
    NUL_CHARACTER = "nul_character", _("a field contains a NUL character")
    TOO_DEEP = "too_deep", _("the line nests values too deeply")
    NOT_AN_OBJECT = "not_an_object", _("the line is not a JSON object")
