"""Notices are written in each recipient's own language, whatever language the person who caused them uses."""

import datetime as dt

import pytest
from django.utils import translation

from kezdesu.core.models import Notification
from kezdesu.meetings.services import meeting_transition
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_a_meeting_notice_reaches_each_coordinator_in_their_language(reference):
    health, turkistan = Body.objects.get(slug="health"), Region.objects.get(slug="turkistan")
    meeting = MeetingFactory(body=health, head=HeadFactory(body=health), region=turkistan, status="proposed",
                             starts_at=at(dt.date(2030, 5, 14)))
    readers = {}
    for lang in ("kk", "ru", "en"):
        user = staff(Role.BODY_COORDINATOR, body=health)
        user.language = lang
        user.save(update_fields=["language"])
        readers[lang] = user
    akimat = staff(Role.AKIMAT_COORDINATOR, region=turkistan)
    with translation.override("kk"):  # the akimat works in Kazakh
        meeting_transition(actor=akimat, meeting=meeting, target="agreed", comment="Келісілді")

    notices = {n.user.language: n for n in Notification.objects.filter(user__in=readers.values())}
    assert notices["en"].subject == "The akimat agreed the meeting"
    assert "Turkistan Region" in notices["en"].body and "Ministry of Healthcare" in notices["en"].body
    assert "Туркестанская область" in notices["ru"].body and notices["ru"].subject != notices["en"].subject
    assert "Түркістан облысы" in notices["kk"].body
    assert all("Келісілді" in n.body for n in notices.values())  # what the akimat wrote stays as written
