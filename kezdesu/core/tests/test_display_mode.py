"""The large-text, high-contrast view: a cookie set by a plain link, applied by a private stylesheet."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from kezdesu.core.views import DISPLAY_COOKIE


def test_the_switch_sets_the_cookie_and_goes_back():
    client = Client()
    response = client.get(reverse("display"), {"mode": "contrast", "next": "/meetings/?region=abai"})
    assert response.status_code == 302 and response["Location"] == "/meetings/?region=abai"
    cookie = response.cookies[DISPLAY_COOKIE]
    assert cookie.value == "contrast" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "no-cache" in response["Cache-Control"]

    response = client.get(reverse("display"), {"mode": "standard", "next": "/"})
    assert response.cookies[DISPLAY_COOKIE].value == ""  # deleted
    assert DISPLAY_COOKIE not in {k for k, v in client.cookies.items() if v.value}


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_the_switch_never_sends_the_reader_to_another_site(target):
    response = Client().get(reverse("display"), {"mode": "contrast", "next": target})
    assert response["Location"] == "/"


def test_the_switch_works_as_a_form_post_too():
    client = Client(enforce_csrf_checks=False)
    response = client.post(reverse("display"), {"mode": "contrast", "next": "/commitments/"})
    assert response["Location"] == "/commitments/" and response.cookies[DISPLAY_COOKIE].value == "contrast"


def test_the_stylesheet_follows_the_cookie_and_stays_private():
    client = Client()
    plain = client.get(reverse("display-css"))
    assert plain.status_code == 200 and plain["Content-Type"].startswith("text/css")
    assert "font-size" not in plain.content.decode()
    assert "private" in plain["Cache-Control"] and "Cookie" in plain["Vary"]

    client.cookies[DISPLAY_COOKIE] = "contrast"
    contrast = client.get(reverse("display-css"))
    css = contrast.content.decode()
    assert "font-size: 21px" in css and ".display-standard { display: inline" in css
    again = client.get(reverse("display-css"), HTTP_IF_NONE_MATCH=contrast["ETag"])
    assert again.status_code == 304


def _without_tokens(html: bytes) -> bytes:
    """The page without its per-request CSRF token and CSP nonce, which differ for every response anyway."""
    return re.sub(rb'(X-CSRFToken": "|csrfmiddlewaretoken" value="|nonce=")[^"]*', rb"\1", html)


@pytest.mark.django_db
def test_pages_are_the_same_for_every_reader(reference):
    """The choice lives in the stylesheet, not in the page, so a shared cache may serve the page to anyone."""
    plain = Client().get(reverse("portal:commitments"))
    reader = Client()
    reader.cookies[DISPLAY_COOKIE] = "contrast"
    contrast = reader.get(reverse("portal:commitments"))
    assert plain.status_code == contrast.status_code == 200
    assert _without_tokens(plain.content) == _without_tokens(contrast.content)
    assert reverse("display-css").encode() in plain.content
    assert b"mode=contrast" in plain.content and b"mode=standard" in plain.content
