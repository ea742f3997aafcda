"""Seed a fresh production stack for the smoke test and the benchmarks (run inside the stack's environment).

Creates an authorised analyst with a known password and one announced meeting open for questions, and
prints them as JSON. Reference data must be loaded first (`manage.py load_reference`).
"""

import datetime as dt
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from kezdesu.meetings.models import Meeting  # noqa: E402
from kezdesu.meetings.tests.factories import MeetingFactory  # noqa: E402
from kezdesu.registry.models import Body, Region  # noqa: E402
from kezdesu.users.models import Membership, Role, User  # noqa: E402

PASSWORD = "stack-analyst-Pa55-word"  # noqa: S105 — a throwaway stack on loopback

analyst, _ = User.objects.get_or_create(username="stack-analyst", defaults={"email": "analyst@example.kz"})
analyst.set_password(PASSWORD)
analyst.save()
Membership.objects.get_or_create(user=analyst, role=Role.AUTHORIZED_ANALYST)
meeting = Meeting.objects.filter(status=Meeting.Status.ANNOUNCED, starts_at__gt=timezone.now()).first()
if meeting is None:
    meeting = MeetingFactory(body=Body.objects.get(slug="health"), region=Region.objects.get(slug="turkistan"),
                             status=Meeting.Status.ANNOUNCED, starts_at=timezone.now() + dt.timedelta(days=30))
print(json.dumps({"username": analyst.username, "password": PASSWORD, "meeting": meeting.pk}))
