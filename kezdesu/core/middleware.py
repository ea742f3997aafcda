from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render

from kezdesu.core.errors import CoreError
from kezdesu.core.responses import field_messages


class KazakhFirstLocaleMiddleware(LocaleMiddleware):
    """Kazakh unless the visitor chose another language with the switch (the language cookie).

    The browser's Accept-Language is ignored on purpose: most browsers here say en-US or ru-RU, and
    the state language must be what a visitor sees first.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class RejectNullBytesMiddleware:
    """A NUL character in the path or the query string is refused with 400 before any view runs.

    PostgreSQL cannot store or compare text containing NUL, so such input would otherwise reach the
    database and fail there as a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in k or any("\x00" in v for v in vs)
                                         for k, vs in request.GET.lists()):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "NUL characters are not allowed.", "code": "invalid"}, status=400)
            return HttpResponseBadRequest("NUL characters are not allowed.")
        return self.get_response(request)


class InvalidRecordMiddleware:
    """A record a service refused in `full_clean()` answers 400 with its field messages, not 500.

    Views turn `ApplicationError` into pages themselves; a Django `ValidationError` that escapes a view
    is invalid input all the same. The API answers it in `kezdesu.api.errors`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ValidationError):
            return None
        fields = field_messages(exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(CoreError.INVALID.label), "code": CoreError.INVALID.value,
                                 "fields": fields}, status=400)
        message = " ".join(m for messages in fields.values() for m in messages)
        return render(request, "400.html", {"message": message}, status=400)
