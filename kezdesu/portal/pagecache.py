"""Whole public pages kept in the shared cache, and the HTTP caching headers of public answers.

A page is stored under a key made of its address and the *generations* of the data it shows. A
generation is a value in the cache per scope of data ("meetings", "questions", "commitments", or one
meeting's own "meeting:<pk>"); a write to that data replaces it (`scopes_touch`, called from model signals
in `kezdesu.portal.signals`), so the next request builds a new key and renders the page again. Old
entries are never deleted: they expire on their own (PORTAL_CACHE_SECONDS).

Only what is the same for everybody is stored: a page whose rendering asked for a CSRF token, set a
cookie or read the session of a visitor without one is answered but not kept. A visitor who has a
session (staff) is served the same stored page, marked private so that no shared cache keeps it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

logger = logging.getLogger("kezdesu.portal.cache")

GLOBAL_SCOPES = ("meetings", "questions", "commitments")
# Headers of the rendered answer that the stored copy keeps; every other header is set again per request.
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "Vary")


def _generation_key(scope: str) -> str:
    return f"portal:gen:{scope}"


def scopes_touch(*scopes: str) -> None:
    """Give each scope a new generation, now and again after the current transaction commits.

    The second change matters with concurrent requests: one that read the old rows before the commit may
    have stored its page under the first new generation.
    """
    if not scopes:
        return

    def bump():
        value = time.time_ns()
        cache.set_many({_generation_key(s): value for s in scopes}, timeout=None)

    bump()
    transaction.on_commit(bump)


def generations(scopes: Iterable[str]) -> tuple[int, ...]:
    """The current generation of each scope (a scope never changed yet starts now)."""
    keys = [_generation_key(s) for s in scopes]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key, 0)
    return tuple(found[k] for k in keys)


def scoped_key(name: str, *scopes: str) -> str:
    """A cache key for a value derived from `scopes`: it changes whenever one of them does."""
    return f"{name}:{'.'.join(map(str, generations(scopes)))}"


def _has_session_cookie(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _page_key(request: HttpRequest, scopes: tuple[str, ...], *, by_accept: bool) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    accept = request.META.get("HTTP_ACCEPT", "") if by_accept else ""
    raw = "|".join([request.get_host(), request.path, query, accept, get_language() or "",
                    ".".join(map(str, generations(scopes)))])
    return "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _personal(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether rendering the answer touched anything of the visitor: it must then not be shared."""
    session = getattr(request, "session", None)
    return bool(response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                or (session is not None and session.accessed and not _has_session_cookie(request)))


def _answer(request: HttpRequest, entry: dict) -> HttpResponse:
    etag, last_modified = entry["etag"], entry["rendered_at"]
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    response = conditional or HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    if conditional is not None and "Content-Type" in response:
        del response["Content-Type"]
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if _has_session_cookie(request):
        # The same page, but the session middleware may refresh this visitor's cookie on the way out.
        response["Cache-Control"] = "private, no-cache"
    else:
        response["Cache-Control"] = (f"public, max-age={settings.PORTAL_CACHE['MAX_AGE']}, "
                                     f"stale-while-revalidate={settings.PORTAL_CACHE['STALE']}")
    return response


def public_page(*scopes: str, by_accept: bool = False) -> Callable:
    """Serve a GET view from the shared page cache, keyed by its address and the generations of `scopes`.

    A scope may name the view's keyword arguments, e.g. "meeting:{pk}". A view wrapped by this shows the
    same thing to everybody; answers other than 200 and streamed ones are passed through untouched.
    `by_accept` keys the page by the Accept header too (an API answers JSON or its browsable HTML).
    """
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            request.public_page = True
            names = tuple(s.format(**kwargs) for s in scopes)
            key = _page_key(request, names, by_accept=by_accept)
            entry = cache.get(key)
            if entry is None:
                response = view(request, *args, **kwargs)
                if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                    response = response.render()
                if response.status_code != 200 or response.streaming:
                    return response
                content = response.content
                entry = {
                    "content": content, "status": response.status_code,
                    "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
                    "etag": quote_etag(hashlib.sha256(content).hexdigest()[:32]),
                    "rendered_at": int(time.time()),
                }
                if _personal(request, response):
                    logger.warning("public page %s touched the visitor's state; not stored", request.path)
                    return response
                if not _has_session_cookie(request):
                    cache.set(key, entry, settings.PORTAL_CACHE["SECONDS"])
            return _answer(request, entry)
        return wrapped
    return decorator
