"""Who must give a second factor, the client address used by the lock-out, and the lock-out answer."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from kezdesu.core import network
from kezdesu.users.errors import UsersError


def client_ip(request) -> str:
    """Return the client's address as the rate limits see it (`core.network.client_ip`: REMOTE_ADDR, or the
    address a trusted proxy appended), so that behind nginx one address never locks out everyone."""
    request = getattr(request, "_request", request)  # a DRF request wraps Django's
    return network.client_ip(request)


def needs_second_factor(user) -> bool:
    """Return whether `user` must confirm a one-time code after the password (STAFF_2FA_REQUIRED).

    Every account with a role or with admin access is staff: citizens have no accounts.
    """
    if not settings.STAFF_2FA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff or user.is_superuser or user.role)


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a locked-out login (django-axes calls it): JSON for the API, a translated page otherwise."""
    request = getattr(request, "_request", request)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(UsersError.LOCKED_OUT.label), "code": UsersError.LOCKED_OUT.value},
                            status=429)
    return render(request, "registration/lockout.html", {"minutes": minutes}, status=429)


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, first of the authentication backends.

    Every login door of the project (the login page, the admin's, the API token endpoint) passes the
    request, and is guarded. A call without a request (Django's test client `login()`, a shell) has no
    address to count against and is left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
