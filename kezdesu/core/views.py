"""Probes and metrics for the operators (/healthz, /readyz, /metrics), the translated error pages and the reader's
large-text, high-contrast view."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseNotModified,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import TemplateDoesNotExist, loader
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_tasks_db.models import DBTaskResult
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from prometheus_client import REGISTRY as PROCESS_REGISTRY
from redis.exceptions import RedisError

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import Job
from kezdesu.core.network import client_ip
from kezdesu.core.responses import field_messages, http_status


@never_cache
def healthz(request):
    """Liveness: the process answers. Nothing else is checked, so a database outage does not restart it."""
    return JsonResponse({"status": "ok"})


def _oldest_waiting_seconds() -> float:
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    return round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0


@never_cache
def readyz(request):
    """Readiness: the database and the cache answer and the task queue is being worked off.

    503 when any check fails, so a load balancer stops sending traffic; the body says which.
    """
    checks: dict[str, dict] = {}
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except DatabaseError as exc:
        checks["database"] = {"ok": False, "error": type(exc).__name__}
    started = time.perf_counter()
    try:
        probe = f"kezdesu:readyz:{os.getpid()}"
        cache.set(probe, "1", 10)
        ok = cache.get(probe) == "1"
        checks["cache"] = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except (DatabaseError, RedisError, OSError) as exc:  # the database cache, Redis, or the network
        checks["cache"] = {"ok": False, "error": type(exc).__name__}
    if checks["database"]["ok"]:
        age = _oldest_waiting_seconds()
        limit = settings.KEZDESU["QUEUE_MAX_AGE_SECONDS"]
        checks["queue"] = {"ok": age <= limit, "oldest_waiting_s": age, "limit_s": limit}
    else:
        checks["queue"] = {"ok": False, "error": "database"}
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


@never_cache
def metrics(request):
    """Prometheus text format, only for the addresses in METRICS_ALLOWED (404 for anyone else)."""
    if client_ip(request) not in settings.KEZDESU["METRICS_ALLOWED"]:
        raise Http404
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Several gunicorn processes: add up what each one wrote to the shared directory.
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(PROCESS_REGISTRY)
    queue = CollectorRegistry()
    Gauge("kezdesu_tasks_waiting", "Tasks waiting in the queue", registry=queue).set(
        DBTaskResult.objects.ready().count())
    Gauge("kezdesu_tasks_oldest_waiting_seconds", "Age of the oldest waiting task", registry=queue).set(
        _oldest_waiting_seconds())
    jobs = Gauge("kezdesu_jobs", "Background jobs by status", ["status"], registry=queue)
    for status in Job.Status.values:
        jobs.labels(status).set(Job.objects.filter(status=status).count())
    return HttpResponse(body + generate_latest(queue), content_type=CONTENT_TYPE_LATEST)


def conflict_page(request, err, *, back_url: str):
    """Someone saved the record first: answer 409 with the refusal and a link to reload what is stored now."""
    return render(request, "conflict.html", {"message": err.message, "back_url": back_url}, status=409)


def form_refused(form, err: ApplicationError | ValidationError | None = None, *,
                 fields: Mapping[str, str] | None = None) -> int:
    """The one way a page answers a refused form (0104): the view renders its page again around the bound
    `form`, so what was typed stays and each message sits beside its field, with the status returned here.

    Without `err` the input did not validate: 400. With a refusal of a service, its message goes next to the
    field its code concerns (`fields`: code → field name) or above the form, and the status is the
    refusal's own (`http_status`). A record's own rules (`full_clean()`'s ValidationError) go beside the
    fields they name, 400. A post that succeeds still redirects (post/redirect/get).
    """
    if err is None:
        return int(HTTPStatus.BAD_REQUEST)
    if isinstance(err, ValidationError):
        for field, errors in field_messages(err).items():
            form.add_error(field if field in form.fields else None, errors)
        return int(HTTPStatus.BAD_REQUEST)
    field = (fields or {}).get(str(err.code))
    form.add_error(field if field in form.fields else None, err.message)
    return http_status(err)


def errors_above(request, form, *, fields: Iterable[str] | None = None) -> None:
    """Say a refused form's messages above the page, for a form the page does not show again (an item or a
    move it no longer offers); `fields` keeps the messages of those fields only."""
    for field, errors in form.errors.items():
        if fields is None or field in fields:
            for error in errors:
                messages.error(request, error)


def confirm_page(request, *, question: str, consequence: str, action_url: str, fields: dict, button: str,
                 back_url: str):
    """Ask once more before an irreversible change, for browsers without JavaScript (with it, the static
    dialog of `confirm.js` asks on the page itself): the same form again, with `confirmed` set."""
    return render(request, "confirm.html", {"question": question, "consequence": consequence, "action_url": action_url,
                                            "fields": {**fields, "confirmed": "true"}, "button": button,
                                            "back_url": back_url})


def bad_request(request, exception=None):
    # A BadRequest raised by our own parsers carries a translated message meant for the visitor.
    message = str(exception) if exception is not None and exception.args else ""
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", {}, status=404)


def permission_denied(request, exception=None):
    # Our services' refusals carry a translated reason; Django's own PermissionDenied usually carries none.
    message = str(exception) if exception is not None and exception.args else ""
    return render(request, "403.html", {"message": message}, status=403)


def server_error(request):
    """The 500 page, rendered without the request's context: the database, the session or a context
    processor may be what failed. The language is the one the failed request had switched to."""
    try:
        body = loader.get_template("500.html").render()
    except (TemplateDoesNotExist, ValueError):  # ValueError: a static file missing from the manifest
        body = "<!doctype html><title>500</title><h1>500</h1>"
    return HttpResponseServerError(body)


DISPLAY_COOKIE = "kezdesu_display"
DISPLAY_MODES = ("standard", "contrast")
CONTRAST_CSS = Path(settings.BASE_DIR) / "static" / "kezdesu" / "contrast.css"


def display_mode(request):
    """Switch the large-text, high-contrast view on or off (`mode`), then go back to `next`.

    A GET link works without JavaScript and without a CSRF token, so every page can offer it and stay
    cacheable; the choice only changes how pages look, so there is nothing for a forged request to gain.
    """
    mode = request.POST.get("mode") or request.GET.get("mode") or ""
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if mode == "contrast":
        response.set_cookie(DISPLAY_COOKIE, mode, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                            secure=settings.SESSION_COOKIE_SECURE)
    elif mode in DISPLAY_MODES:
        response.delete_cookie(DISPLAY_COOKIE, samesite="Lax")
    add_never_cache_headers(response)
    return response


def display_css(request):
    """The stylesheet of the reader's view: the high-contrast rules when chosen, otherwise nothing.

    The pages themselves are the same for every reader (they may be served from a shared cache); only this
    small private stylesheet depends on the cookie, revalidated on every page load.
    """
    contrast = request.COOKIES.get(DISPLAY_COOKIE) == "contrast"
    body = CONTRAST_CSS.read_text(encoding="utf-8") if contrast else "/* standard view */\n"
    response = HttpResponse(body, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    response["ETag"] = '"contrast"' if contrast else '"standard"'
    patch_vary_headers(response, ["Cookie"])
    if request.headers.get("If-None-Match") == response["ETag"]:
        not_modified = HttpResponseNotModified()
        for header in ("Cache-Control", "ETag", "Vary"):
            not_modified[header] = response[header]
        return not_modified
    return response
