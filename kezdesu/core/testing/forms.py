"""Checks for a refused form (0104): the page comes back with what was typed and the message beside the field,
in the reader's language."""

from __future__ import annotations

import html
import re

from django import forms
from django.conf import settings
from django.test import Client
from django.utils import translation

LANGUAGES = ("kk", "ru", "en")


def said(lang: str, message) -> str:
    """`message` (a lazy string) as a reader of `lang` reads it; for Kazakh and Russian it must not be the
    English text, so a missing translation fails the test instead of passing it."""
    with translation.override(lang):
        text = str(message)
    if lang != "en":
        with translation.override("en"):
            assert text != str(message), f"not translated into {lang}: {text}"
    return text


def field_error(lang: str, field: forms.Field, value) -> str:
    """The message `field` gives for `value` in `lang` (Django's own messages, with their figures); for Kazakh
    and Russian it must differ from the English one."""

    def message(code: str) -> str:
        with translation.override(code):
            try:
                field.clean(value)
            except forms.ValidationError as err:
                return err.messages[0]
        raise AssertionError(f"{value!r} is valid")

    text = message(lang)
    if lang != "en":
        assert text != message("en"), f"not translated into {lang}: {text}"
    return text


def in_language(client, lang: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def signed_in(user, lang: str):
    """A test client signed in as `user`, reading pages in `lang`."""
    client = in_language(Client(), lang)
    client.force_login(user)
    return client


def form_around(page: str, marker: str) -> str:
    """The `<form>…</form>` of `page` that holds `marker` (a typed value, a field's name or the action)."""
    for match in re.finditer(r"(?s)<form\b.*?</form>", page):
        if marker in match.group(0):
            return match.group(0)
    raise AssertionError(f"no form holds {marker!r}")


def assert_refused(response, *, typed: list[str], message: str, status: int = 400, marker: str | None = None):
    """The page answers `status`; the form that holds `marker` (default: the first typed value) shows each
    `typed` value again and `message` in an error list or alert inside it."""
    assert response.status_code == status, response.status_code
    page = html.unescape(response.content.decode())
    form = form_around(page, marker or typed[0])
    for value in typed:
        assert value in form, f"{value!r} is not in the form again"
    assert message in form, f"{message!r} is not beside the field"
    assert 'class="errorlist' in form or 'role="alert"' in form
    return form
