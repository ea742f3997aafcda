"""Writes about staff accounts themselves: enrolling and using the second factor, resetting it."""

from __future__ import annotations

from django.db import transaction
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kezdesu.core.actors import Actor
from kezdesu.core.audit import audit_record
from kezdesu.core.errors import ApplicationError
from kezdesu.users.errors import UsersError
from kezdesu.users.models import User

RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def has_second_factor(user: User) -> bool:
    """Return whether the user has a confirmed authenticator (recovery codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_device_start(*, user: User) -> TOTPDevice:
    """Return the user's pending (unconfirmed) authenticator, creating one with a fresh secret.

    Raises ApplicationError(ALREADY_ENROLLED) when a confirmed one exists: replacing it takes the
    administrator's reset, so that a stolen password alone cannot enrol the thief's phone.
    """
    if has_second_factor(user):
        raise ApplicationError(UsersError.ALREADY_ENROLLED)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code from it; returns the device and new recovery codes.

    The recovery codes are returned once, to be shown once; any older recovery codes stop working.
    Raises ApplicationError(ALREADY_ENROLLED) or ApplicationError(BAD_OTP).
    """
    device = totp_device_start(user=user)
    if not device.verify_token((token or "").strip()):
        raise ApplicationError(UsersError.BAD_OTP)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = _new_recovery_codes(user)
    audit_record(actor=user, action="user.2fa_enrol", obj=user, before=None,
                 after={"device": device.persistent_id, "recovery_codes": len(codes)})
    return device, codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def second_factor_verify(*, user: User, token: str) -> Device:
    """Check a one-time code against the user's confirmed devices; returns the device that accepted it.

    A recovery code works once. Raises ApplicationError(OTP_NOT_ENROLLED) or ApplicationError(BAD_OTP).
    """
    token = (token or "").strip().replace(" ", "").lower()
    if not has_second_factor(user):
        raise ApplicationError(UsersError.OTP_NOT_ENROLLED)
    if not token:
        raise ApplicationError(UsersError.OTP_REQUIRED)
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(token):
                break
        else:
            device = None
    if device is None:
        raise ApplicationError(UsersError.BAD_OTP)
    if isinstance(device, StaticDevice):
        audit_record(actor=user, action="user.2fa_recovery_used", obj=user, before=None,
                     after={"recovery_codes_left": device.token_set.count()})
    return device


@transaction.atomic
def second_factor_reset(*, actor: Actor, user: User) -> int:
    """Remove every second-factor device of `user` (a lost phone); returns how many were removed.

    The user enrols again at the next sign-in.
    """
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    audit_record(actor=actor, action="user.2fa_reset", obj=user, before=None, after={"devices_removed": removed})
    return removed
