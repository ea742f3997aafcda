from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportError_(models.TextChoices):
    UNKNOWN_FORMAT = "unknown_format", _("Unknown file format: use .csv, .jsonl or .xlsx.")
    MISSING_COLUMNS = "missing_columns", _("The file has no column(s): %(columns)s.")
    UNREADABLE = "unreadable", _("The file cannot be read: %(reason)s")
    NOT_ALLOWED = "not_allowed", _("Your role cannot import appeals.")


# Reasons a single row is rejected; kept as codes plus translated text in the report.
class RowError(models.TextChoices):
    MISSING_ID = "missing_id", _("external id is empty")
    BAD_DATE = "bad_date", _("received date is not a date (YYYY-MM-DD or DD.MM.YYYY)")
    FUTURE_DATE = "future_date", _("received date is in the future")
    UNKNOWN_REGION = "unknown_region", _("region is not a known KATO code or name")
    UNKNOWN_SECTOR = "unknown_sector", _("neither sector nor recipient body is known")
    BAD_KIND = "bad_kind", _("kind must be complaint, request, proposal or report")
    BAD_SIGNATORIES = "bad_signatories", _("signatories must be a whole number of at least 1")
    DUPLICATE_IN_FILE = "duplicate_in_file", _("the same external id appears earlier in the file")
    TOO_LONG = "too_long", _("a field is too long")
