"""The second factor: enrolment (QR code, secret, first code, recovery codes shown once) and verification."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login

from kezdesu.core.errors import ApplicationError
from kezdesu.core.views import form_refused
from kezdesu.users.errors import UsersError
from kezdesu.users.services import has_second_factor, second_factor_verify, totp_device_confirm, totp_device_start


class CodeForm(forms.Form):
    token = forms.CharField(label=_("One-time code"), max_length=16, strip=True,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))


# A wrong code is said beside the code's box (0104); other refusals (locked out) above the form.
TOKEN_FIELDS = {UsersError.BAD_OTP: "token", UsersError.OTP_REQUIRED: "token"}


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


@never_cache
@login_required
def enrol(request):
    """Set up an authenticator app; an account that has one is sent to the verify page instead."""
    if has_second_factor(request.user):
        return redirect("users:2fa-verify") if not request.user.is_verified() else redirect(_next(request))
    device = totp_device_start(user=request.user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = totp_device_confirm(user=request.user, token=form.cleaned_data["token"])
        except ApplicationError as err:
            status = form_refused(form, err, fields=TOKEN_FIELDS)
        else:
            otp_login(request, device)
            return render(request, "registration/2fa_recovery.html", {"codes": codes, "next": _next(request)})
    elif request.method == "POST":
        status = form_refused(form)
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(request, "registration/2fa_enrol.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "uri": device.config_url,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)), "next": _next(request),
    }, status=status)


@never_cache
@login_required
def verify(request):
    """Confirm a code from the authenticator app, or a recovery code, after the password."""
    if not has_second_factor(request.user):
        return redirect("users:2fa-enrol")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor_verify(user=request.user, token=form.cleaned_data["token"])
        except ApplicationError as err:
            status = form_refused(form, err, fields=TOKEN_FIELDS)
        else:
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(_next(request))
    elif request.method == "POST":
        status = form_refused(form)
    return render(request, "registration/2fa_verify.html", {"form": form, "next": _next(request)}, status=status)
