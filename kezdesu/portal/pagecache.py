"""Whole public pages kept in the shared cache, and the HTTP caching headers of public answers.

A page is stored under a key made of its address and the *generations* of the data it shows. A
generation is a value in the cache per scope of data ("meetings", "questions", "commitments", or one
meeting's own "meeting:<pk>"); a write to that data replaces it (`scopes_touch`, called from model signals
in `kezdesu.portal.signals`), so the next request builds a new key and renders the page again. Old
entries are never deleted: they expire on their own (PORTAL_CACHE_SECONDS).

The view decorator `public_page` marks an answer as public (caching headers) and says under which key it
may be kept; `PageCacheMiddleware`, near the top of the middleware, stores it as it finally leaves (with
the security headers) and answers later requests for it before the rest of the middleware runs. Only
what is the same for everybody is stored: an answer that sets a cookie or varies by the cookie (the
session was read) is passed on but not kept. A visitor who has a session (staff) is never answered from
the stored pages: their page is rendered, the same, and marked private.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import math
import time
from collections.abc import Callable, Iterable
from types import SimpleNamespace

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language, get_language_from_path

from kezdesu.core.middleware import request_language

logger = logging.getLogger("kezdesu.portal.cache")

GLOBAL_SCOPES = ("meetings", "questions", "commitments")
# Addresses of public pages seen by this process, with their scopes: a request for one of them can be
# looked up in the cache before the URL is resolved. Bounded: forgotten addresses are learned again.
ROUTES: dict[str, tuple[tuple[str, ...], bool]] = {}
MAX_ROUTES = 50_000


def _generation_key(scope: str) -> str:
    return f"portal:gen:{scope}"


# Generations read from the shared cache are reused by this process for this long: a stored page is then
# found with one round trip to the cache instead of two. A change made by another process is seen at most
# this much later (nginx and browsers keep pages longer anyway); one made by this process at once.
GENERATIONS_MEMO_SECONDS = 1.0
_memo: dict[str, tuple[float, int]] = {}


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
        for scope in scopes:
            _memo.pop(scope, None)

    bump()
    transaction.on_commit(bump)


def generations(scopes: Iterable[str]) -> tuple[int, ...]:
    """The current generation of each scope (a scope never changed yet starts now)."""
    scopes = tuple(scopes)
    now = time.monotonic()
    values = {s: v for s, (at, v) in ((s, _memo[s]) for s in scopes if s in _memo)
              if now - at < GENERATIONS_MEMO_SECONDS}
    missing = [s for s in scopes if s not in values]
    if missing:
        found = cache.get_many([_generation_key(s) for s in missing])
        for scope in missing:
            key = _generation_key(scope)
            if key not in found:
                cache.add(key, time.time_ns(), timeout=None)
                found[key] = cache.get(key, 0)
            values[scope] = found[key]
            _memo[scope] = (now, found[key])
        if len(_memo) > 10_000:
            _memo.clear()
    return tuple(values[s] for s in scopes)


def scoped_key(name: str, *scopes: str) -> str:
    """A cache key for a value derived from `scopes`: it changes whenever one of them does."""
    return f"{name}:{'.'.join(map(str, generations(scopes)))}"


def _has_session_cookie(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def _page_key(request: HttpRequest, scopes: tuple[str, ...], *, by_accept: bool, language: str) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    accept = request.META.get("HTTP_ACCEPT", "") if by_accept else ""
    raw = "|".join([request.get_host(), request.path_info, query, accept, language,
                    ".".join(map(str, generations(scopes)))])
    return "portal:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _cache_control(limit: int | None = None) -> str:
    # Browsers ask again each time (max-age=0; a stored page answers 304 cheaply), so a citizen who comes
    # back to a page after a change sees it; shared caches (nginx) keep it for seconds (s-maxage).
    # A page that changes with the clock at a known moment (`fresh_until`) is kept, stale or not, no later.
    max_age, stale = settings.PORTAL_CACHE["MAX_AGE"], settings.PORTAL_CACHE["STALE"]
    if limit is not None:
        max_age = min(max_age, limit)
        stale = min(stale, limit - max_age)
    return f"public, max-age=0, s-maxage={max_age}, stale-while-revalidate={stale}"


def fresh_until(response: HttpResponse, moment: dt.datetime | None, *, now: dt.datetime) -> HttpResponse:
    """Mark `response` as changing at `moment` (a meeting starts or ends): neither the page cache nor a
    shared cache keeps it past then. None: no such moment. Returns the response."""
    if moment is not None:
        response.page_fresh_seconds = max(1, math.floor((moment - now).total_seconds()))
    return response


def public_page(*scopes: str, by_accept: bool = False) -> Callable:
    """Mark a GET view's answers as public: the same for everybody, cacheable, kept in the shared page cache
    under its address and the generations of `scopes` (a scope may name the view's keyword arguments, e.g.
    "meeting:{pk}"). Answers other than 200 and streamed ones are passed through untouched.
    `by_accept` keys the page by the Accept header too (an API answers JSON or its browsable HTML).
    """
    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            request.public_page = True
            names = tuple(s.format(**kwargs) for s in scopes)
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
                response = response.render()
            if response.status_code != 200 or response.streaming:
                return response
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            response["Last-Modified"] = http_date(time.time())
            if _has_session_cookie(request):
                # The same page, but the session middleware may refresh this visitor's cookie on the way out.
                response["Cache-Control"] = "private, no-cache"
                return response
            limit = getattr(response, "page_fresh_seconds", None)
            response["Cache-Control"] = _cache_control(limit)
            seconds = settings.PORTAL_CACHE["SECONDS"]
            response.page_cache_seconds = seconds if limit is None else min(seconds, limit)
            response.page_cache_key = _page_key(request, names, by_accept=by_accept, language=get_language())
            if len(ROUTES) >= MAX_ROUTES:
                ROUTES.clear()
            ROUTES[request.path_info] = (names, by_accept)
            return response
        return wrapped
    return decorator


def _answer(request: HttpRequest, entry: dict) -> HttpResponse:
    headers = entry["headers"]
    conditional = get_conditional_response(request, etag=headers.get("ETag"), last_modified=entry["rendered_at"])
    response = conditional or HttpResponse(entry["content"], status=entry["status"])
    for name, value in headers.items():
        if conditional is None or name not in ("Content-Type", "Content-Length"):
            response[name] = value
    return response


class PageCacheMiddleware:
    """Answer a request for a stored public page from the shared cache; store public answers on their way out.

    Placed after the security middleware (HTTPS redirect) and before the session, locale and CSRF ones,
    which a stored page no longer needs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        stored = (request.method in ("GET", "HEAD") and not _has_session_cookie(request)
                  and settings.PORTAL_CACHE["SECONDS"] > 0)
        route = ROUTES.get(request.path_info) if stored else None
        if route is not None:
            language = get_language_from_path(request.path_info) or request_language(request)
            entry = cache.get(_page_key(request, route[0], by_accept=route[1], language=language))
            if entry is not None:
                # Request logs and metrics name the view that rendered the page.
                request.resolver_match = SimpleNamespace(view_name=entry.get("view", "<unmatched>"))
                return _answer(request, entry)
        response = self.get_response(request)
        key = getattr(response, "page_cache_key", None)
        if key and stored:
            if response.cookies or "cookie" in response.get("Vary", "").lower():
                logger.warning("public page %s touched the visitor's state; not stored", request.path)
            else:
                match = getattr(request, "resolver_match", None)
                cache.set(key, {"content": response.content, "status": response.status_code,
                                "view": match.view_name if match else "<unmatched>",
                                "headers": dict(response.items()), "rendered_at": int(time.time())},
                          response.page_cache_seconds)
        return response
