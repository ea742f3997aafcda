import datetime as dt

import pytest
from django.utils import timezone

from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory, MeetingResultFactory
from kezdesu.questions.models import Question
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region


@pytest.fixture
def portal_data(reference):
    """An announced meeting ahead, a reported one behind (with results, questions, commitments) and a draft."""
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    turkistan, abai = Region.objects.get(slug="turkistan"), Region.objects.get(slug="abai")
    now = timezone.now()
    upcoming = MeetingFactory(
        body=health, region=turkistan, status=Meeting.Status.ANNOUNCED, capacity=2,
        starts_at=(now + dt.timedelta(days=10)).replace(hour=6, minute=0, second=0, microsecond=0),
        stream_url="https://video.example.kz/live/health", topics="Ауылдық емханалар",
    )
    past = MeetingFactory(body=energy, region=abai, status=Meeting.Status.REPORTED,
                          starts_at=now - dt.timedelta(days=30), topics="Жылу беру маусымы")
    MeetingResultFactory(meeting=past, attendance=240, summary="Тұрғындар жылу туралы сұрады.")
    answered = QuestionFactory(meeting=past, region=abai, status=Question.Status.ANSWERED,
                               text="Жылу қашан қосылады?", answer="Қазан айының 1-інен бастап.",
                               author_name="Бақыт Жұмабаев", author_contact="bakyt@example.kz")
    received = QuestionFactory(meeting=past, region=abai, text="Модерациядан өтпеген сұрақ")
    rejected = QuestionFactory(meeting=past, region=abai, status=Question.Status.REJECTED,
                               text="Қабылданбаған сұрақ", rejection_reason="Тақырыптан тыс")
    commitment = CommitmentFactory(meeting=past, text="Қазандықты жөндеу", progress=40,
                                   status="in_progress", deadline=dt.date(2099, 12, 1))
    overdue = CommitmentFactory(meeting=past, text="Жолды жөндеу", deadline=dt.date(2024, 6, 1))
    draft = MeetingFactory(body=health, region=turkistan, status=Meeting.Status.DRAFT,
                           starts_at=now + dt.timedelta(days=20), venue="Жасырын жоба")
    return {"upcoming": upcoming, "past": past, "draft": draft, "answered": answered, "received": received,
            "rejected": rejected, "commitment": commitment, "overdue": overdue, "health": health,
            "energy": energy, "turkistan": turkistan, "abai": abai}

