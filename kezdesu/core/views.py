"""Error pages: translated, in the site's layout, saying what was wrong where it is safe to say."""

from __future__ import annotations

from django.shortcuts import render


def bad_request(request, exception=None):
    # A BadRequest raised by our own parsers carries a translated message meant for the visitor.
    message = str(exception) if exception is not None and exception.args else ""
    return render(request, "400.html", {"message": message}, status=400)


def page_not_found(request, exception=None):
    return render(request, "404.html", {}, status=404)
