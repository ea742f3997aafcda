"""Template helpers of the public portal: dates in Almaty time written the way each language writes them."""

from __future__ import annotations

import datetime as dt
import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

from kezdesu.core.locale import language, local_zone
from kezdesu.users.roles import can as _can

register = template.Library()


def _local(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(local_zone())
    return value


@register.filter
def day(value) -> str:
    """12 August 2026 / 12 августа 2026 г. / 2026 жылғы 12 тамыз."""
    if not value:
        return ""
    value = _local(value)
    lang = language()
    if lang == "kk":
        return f"{value.year} жылғы {value.day} {formats.date_format(value, 'F').lower()}"
    if lang == "ru":
        return formats.date_format(value, "j E Y г.")
    return formats.date_format(value, "j F Y")


@register.filter
def clock(value) -> str:
    return _local(value).strftime("%H:%M") if value else ""


@register.filter
def weekday(value) -> str:
    return formats.date_format(_local(value), "l") if value else ""


@register.filter
def can(user, capability: str) -> bool:
    return _can(user, capability)


@register.filter
def utc_offset(value) -> str:
    """The Almaty offset from UTC at that moment, as "UTC+5" (or "UTC+5:30")."""
    if not value:
        return ""
    minutes = int(_local(value).utcoffset().total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "−"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """The language switch: a link per language to the same page in it (through the switch, which
    remembers the choice). The links depend on the address only, so a cached public page may hold them."""
    request = context.get("request")
    here = request.get_full_path() if request is not None else "/"
    current = language()
    return [{"code": code, "name": get_language_info(code)["name_local"], "current": code == current,
             "url": reverse("language-switch", args=[code]) + "?" + urlencode({"next": here})}
            for code, _name in settings.LANGUAGES]


# As `json_script` escapes them: the text can then never close the script element or open a comment.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data) -> str:
    """`data` as a JSON-LD script element (`application/ld+json`: data the browser never runs, so the
    content security policy has nothing to allow)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 escaped above
