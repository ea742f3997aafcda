"""iCalendar (RFC 5545) feeds of public meetings, written by hand: the format is small and strict.

Lines end in CRLF and are folded at 75 octets without splitting a UTF-8 character; times are UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//Kezdesu//Meetings of ministers with the population//KK"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Event:
    uid: str
    stamp: dt.datetime
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str
    url: str
    description: str
    sequence: int = 0


def escape_text(value: str) -> str:
    """Escape a TEXT value (§3.3.11): backslash, semicolon, comma and line breaks; drop control characters."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value.replace("\t", " "))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """Return one content line as UTF-8, folded into lines of at most 75 octets, each ending in CRLF."""
    lines, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            lines.append(current)
            current = b" "  # a continuation line starts with one space, which counts toward its 75 octets
        current += encoded
    lines.append(current)
    return b"".join(part + b"\r\n" for part in lines)


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], *, name: str, language: str = "") -> bytes:
    """Return a VCALENDAR with one VEVENT per event; `language` (kk, ru, en) marks the language of its texts."""
    lang = f";LANGUAGE={language}" if language else ""
    out = [fold(line) for line in (
        "BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}", "X-WR-TIMEZONE:Asia/Almaty",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H", "X-PUBLISHED-TTL:PT6H",
    )]
    for event in events:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc(event.stamp)}",
            f"DTSTART:{utc(event.start)}",
            f"DTEND:{utc(event.end)}",
            f"SEQUENCE:{event.sequence}",
            f"SUMMARY{lang}:{escape_text(event.summary)}",
            f"LOCATION{lang}:{escape_text(event.location)}",
            f"URL:{event.url}",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
        ]
        if event.description:
            lines.append(f"DESCRIPTION{lang}:{escape_text(event.description)}")
        lines.append("END:VEVENT")
        out.extend(fold(line) for line in lines)
    out.append(fold("END:VCALENDAR"))
    return b"".join(out)
