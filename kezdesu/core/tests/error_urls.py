"""The site's URLs plus two that fail on purpose, to see the error pages the way visitors would."""

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401 - the handlers under test


def broken(request):
    raise DatabaseError("the database went away")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [path("broken/", broken), path("forbidden/", forbidden), *urlpatterns]
