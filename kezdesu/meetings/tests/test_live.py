"""When a meeting is live: one rule, in Python (`Meeting.phase`) and in SQL (`Meeting.objects.live`)."""

import datetime as dt

import pytest

from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 8, 12, 6, 0, tzinfo=dt.UTC)  # 11:00 in Almaty


@pytest.mark.parametrize(("status", "at", "phase"), [
    ("announced", START - dt.timedelta(seconds=1), "before"),
    ("announced", START, "live"),
    ("announced", START + dt.timedelta(minutes=89), "live"),
    ("held", START + dt.timedelta(minutes=30), "live"),
    ("announced", START + dt.timedelta(minutes=90), "after"),
    ("reported", START + dt.timedelta(minutes=30), "after"),
    ("postponed", START + dt.timedelta(minutes=30), "after"),
])
def test_phase_and_live_agree_on_a_frozen_clock(status, at, phase):
    meeting = MeetingFactory(status=status, starts_at=START, duration_minutes=90)
    assert meeting.ends_at == START + dt.timedelta(minutes=90)
    assert meeting.phase(at) == phase
    assert list(Meeting.objects.live(at)) == ([meeting] if phase == "live" else [])
