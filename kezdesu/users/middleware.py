"""Staff sessions: they end after SESSION_IDLE_MINUTES without a request, and, when STAFF_2FA_REQUIRED,
reach nothing but the sign-in pages until a one-time code is confirmed."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from kezdesu.users.auth import needs_second_factor
from kezdesu.users.errors import UsersError
from kezdesu.users.services import has_second_factor

LAST_SEEN = "kezdesu_last_seen"
# Pages a half-signed-in user may reach: signing in and out, the second factor, assets, the language switch.
OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/jsi18n/")
# The session is written at most this often just to move the idle clock on.
TOUCH_SECONDS = 30


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session to expire or to verify; not reading it keeps public answers free of `Vary: Cookie`.
            return self.get_response(request)
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN)
            if last is not None and now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": str(UsersError.SESSION_EXPIRED.label),
                                         "code": UsersError.SESSION_EXPIRED.value}, status=401)
                return redirect(reverse("login") + "?" + urlencode({"next": request.get_full_path(),
                                                                    "expired": 1}))
            if last is None or now - last >= TOUCH_SECONDS:
                request.session[LAST_SEEN] = now
            if (needs_second_factor(user) and not user.is_verified()
                    and not request.path.startswith(OPEN_PREFIXES)):
                return self._second_factor(request, user)
        return self.get_response(request)

    @staticmethod
    def _second_factor(request, user):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(UsersError.OTP_REQUIRED.label),
                                 "code": UsersError.OTP_REQUIRED.value}, status=403)
        name = "users:2fa-verify" if has_second_factor(user) else "users:2fa-enrol"
        return redirect(reverse(name) + "?" + urlencode({"next": request.get_full_path()}))
