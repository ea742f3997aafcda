"""What the operators see of a running service: one JSON line per log record and per request, metrics.

A request's log line carries its id (from the proxy's X-Request-ID, or a new one), the user's id, the
path without its query string, the status and the duration. Nothing a citizen typed is logged: no query
strings, no form fields, no addresses of people.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from prometheus_client import Counter, Histogram

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
logger = logging.getLogger("kezdesu.request")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}

REQUESTS = Counter("kezdesu_http_requests", "HTTP requests answered", ["method", "view", "status"])
DURATION = Histogram("kezdesu_http_request_duration_seconds", "Time to answer an HTTP request", ["method", "view"],
                     buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request id, and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            data["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in data:
                data[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class RequestLogMiddleware:
    """Give each request an id, log one line when it is answered, and count it for /metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration = time.perf_counter() - started
            response["X-Request-ID"] = request_id
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            view = match.view_name if match else "<unmatched>"
            REQUESTS.labels(request.method, view, str(response.status_code)).inc()
            DURATION.labels(request.method, view).observe(duration)
            logger.info("%s %s %s", request.method, request.path, response.status_code, extra={
                "method": request.method, "path": request.path, "status": response.status_code,
                "duration_ms": round(duration * 1000, 1), "view": view,
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            })
            return response
        finally:
            request_id_var.reset(token)
