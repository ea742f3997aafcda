"""JSON that the database could not store is refused as a bad request (400), not a server error."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _storable(value) -> bool:
    if isinstance(value, str):
        if "\x00" in value:  # PostgreSQL text cannot hold NUL
            return False
        try:
            value.encode("utf-8")  # a lone surrogate ("\ud800") is not a character and has no UTF-8 form
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_storable(k) and _storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_storable(v) for v in value)
    return True


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not _storable(data):
            raise ParseError(_("The request contains characters that are not allowed (NUL or an unpaired "
                               "surrogate)."))
        return data
