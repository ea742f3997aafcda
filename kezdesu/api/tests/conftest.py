import datetime as dt

import pytest
from django.utils import timezone

from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, MeetingResultFactory
from kezdesu.questions.models import Question
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region


@pytest.fixture
def api_data(reference):
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    turkistan, abai = Region.objects.get(slug="turkistan"), Region.objects.get(slug="abai")
    now = timezone.now()
    upcoming = MeetingFactory(body=health, region=turkistan, status=Meeting.Status.ANNOUNCED,
                              starts_at=now + dt.timedelta(days=10))
    agreed = MeetingFactory(body=health, region=turkistan, status=Meeting.Status.AGREED,
                            starts_at=now + dt.timedelta(days=40))
    past = MeetingFactory(body=energy, region=abai, status=Meeting.Status.REPORTED,
                          starts_at=now - dt.timedelta(days=30))
    MeetingResultFactory(meeting=past, attendance=240)
    answered = QuestionFactory(meeting=past, region=abai, status=Question.Status.ANSWERED, answer="Қазан айында.",
                               author_name="Бақыт Жұмабаев", author_contact="bakyt@example.kz")
    received = QuestionFactory(meeting=past, region=abai, text="Әлі модерацияда")
    commitment = CommitmentFactory(meeting=past, progress=30, status="in_progress")
    CommitmentFactory(meeting=agreed)  # not public: the meeting is not announced
    return {"upcoming": upcoming, "agreed": agreed, "past": past, "answered": answered, "received": received,
            "commitment": commitment, "health": health, "energy": energy, "turkistan": turkistan, "abai": abai}
