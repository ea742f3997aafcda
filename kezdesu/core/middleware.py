from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers

from kezdesu.core.errors import CoreError
from kezdesu.core.responses import field_messages


def request_language(request) -> str:
    """The language a visitor chose with the switch (the language cookie), else Kazakh."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie and cookie in dict(settings.LANGUAGES):
        return cookie
    return settings.LANGUAGE_CODE


class _TemporaryRedirect(HttpResponseRedirect):
    status_code = 307


class KazakhFirstLocaleMiddleware(LocaleMiddleware):
    """The language of a page: from its address on the public portal (`/kk/…`, `/ru/…`, `/en/…`), else the
    visitor's choice with the switch (the language cookie), else Kazakh.

    The browser's Accept-Language is ignored on purpose: most browsers here say en-US or ru-RU, and
    the state language must be what a visitor sees first.

    An address of the public portal without a language (the root, old links, calendar subscriptions) is
    redirected to the same address in the visitor's language; `?lang=ru` (how calendar feeds chose their
    language before) picks it explicitly.
    """

    def process_request(self, request):
        language = translation.get_language_from_path(request.path_info) or request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        in_path = translation.get_language_from_path(request.path_info)
        if response.status_code == 404 and not in_path:
            redirect = self._to_prefixed(request)
            if redirect is not None:
                return redirect
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def _to_prefixed(self, request):
        asked = request.GET.get("lang", "")
        language = asked if asked in dict(settings.LANGUAGES) else translation.get_language()
        urlconf = getattr(request, "urlconf", None)
        path = f"/{language}{request.path_info}"
        with translation.override(language):
            if not is_valid_path(path, urlconf):
                if settings.APPEND_SLASH and not path.endswith("/") and is_valid_path(path + "/", urlconf):
                    path += "/"
                else:
                    return None
        query = request.GET.copy()
        query.pop("lang", None)
        url = get_script_prefix().rstrip("/") + path + (f"?{query.urlencode()}" if query else "")
        # A form posted to an old address keeps its method and body.
        redirect = (HttpResponseRedirect if request.method in ("GET", "HEAD") else _TemporaryRedirect)(url)
        patch_vary_headers(redirect, ("Cookie",))
        redirect["Cache-Control"] = "private, no-cache"
        return redirect


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
