"""Every API error answers `{"detail": ..., "code": ...}`; invalid records add `"fields"`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kezdesu.core.errors import ApplicationError, CoreError
from kezdesu.core.responses import field_messages, http_status


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, "code": str(exc.code)}, status=http_status(exc))
    if isinstance(exc, ValidationError):
        # A record refused by `full_clean()` in a service: the fields and their messages.
        return Response({"detail": str(CoreError.INVALID.label), "code": CoreError.INVALID.value,
                         "fields": field_messages(exc)}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data:
        code = getattr(data["detail"], "code", None) or "error"
        response.data = {"detail": str(data["detail"]), "code": str(code)}
    else:
        response.data = {"detail": data, "code": "invalid" if response.status_code == status.HTTP_400_BAD_REQUEST
                         else "error"}
    return response
