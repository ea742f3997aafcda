"""What the meeting page says to machines: a schema.org `Event` (JSON-LD) and links safe to render.

https://schema.org/Event as search engines read it: dates with the Almaty offset, the status of the event,
where it happens (the hall, the stream or both) and who holds it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils import timezone

from kezdesu.core.locale import local_zone
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.states import Status

SCHEMA = "https://schema.org/"
EVENT_STATUS = {
    Status.POSTPONED: "EventPostponed",
    Status.CANCELLED: "EventCancelled",
}


def http_url(value: str) -> str:
    """`value` if it is an absolute http(s) address with a host, else "" (a `javascript:` or `data:` address,
    or one with spaces or control characters, is never rendered as a link)."""
    value = (value or "").strip()
    if not value or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return ""
    parts = urlsplit(value)
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def http_urls(values) -> list[str]:
    """The http(s) addresses of `values`, in order (see `http_url`)."""
    return [url for url in map(http_url, values or []) if url]


def _local(value) -> str:
    return timezone.localtime(value, local_zone()).isoformat()


def meeting_event(meeting: Meeting, *, url: str, language: str, rescheduled: bool) -> dict:
    """The schema.org Event of a meeting. `rescheduled`: its date or place changed after it was announced."""
    stream = http_url(meeting.stream_url)
    status = EVENT_STATUS.get(meeting.status, "EventRescheduled" if rescheduled else "EventScheduled")
    place = {
        "@type": "Place",
        "name": meeting.venue,
        "address": {"@type": "PostalAddress", "addressLocality": meeting.settlement,
                    "addressRegion": meeting.region.name, "addressCountry": "KZ"},
    }
    if meeting.format == Meeting.Format.ONLINE:
        mode, location = "OnlineEventAttendanceMode", []
    elif stream or meeting.format == Meeting.Format.HYBRID:
        mode, location = "MixedEventAttendanceMode", [place]
    else:
        mode, location = "OfflineEventAttendanceMode", [place]
    if stream or not location:
        # An online meeting whose stream is not known yet: its page is where the link will appear.
        location.append({"@type": "VirtualLocation", "url": stream or url})
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"{meeting.body.short_name} — {meeting.region.name}",
        "startDate": _local(meeting.starts_at),
        "endDate": _local(meeting.ends_at),
        "eventStatus": SCHEMA + status,
        "eventAttendanceMode": SCHEMA + mode,
        "location": location[0] if len(location) == 1 else location,
        "organizer": {"@type": "GovernmentOrganization", "name": meeting.body.name},
        "inLanguage": language,
        "isAccessibleForFree": True,
        "url": url,
    }
    if meeting.topics:
        event["description"] = meeting.topics
    return event
