import datetime as dt

import factory
from django.utils import timezone

from kezdesu.meetings.models import Commitment, Meeting, MeetingResult
from kezdesu.registry.tests.factories import BodyFactory, HeadFactory, RegionFactory


def at(day: dt.date, hour: int = 11) -> dt.datetime:
    """Return an aware datetime on `day` at `hour` in Asia/Almaty."""
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour), timezone.get_default_timezone())


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting in any state, written straight to the database (tests of services use the services)."""

    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    head = factory.SubFactory(HeadFactory, body=factory.SelfAttribute("..body"))
    region = factory.SubFactory(RegionFactory)
    settlement = "Түркістан қ."
    venue = "Қалалық мәдениет үйі"
    starts_at = factory.LazyFunction(lambda: at(dt.date(2026, 8, 12)))
    topics = "Ауыз су, жол жөндеу"
    status = Meeting.Status.DRAFT
    agreed_at = factory.LazyAttribute(
        lambda m: m.starts_at - dt.timedelta(days=20)
        if m.status in ("agreed", "announced", "held", "reported") else None)
    held_at = factory.LazyAttribute(lambda m: m.starts_at if m.status in ("held", "reported") else None)


class MeetingResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingResult

    meeting = factory.SubFactory(MeetingFactory, status=Meeting.Status.REPORTED)
    attendance = 180
    speakers = 12
    summary = "Тұрғындар ауыз су мен жолдар туралы сұрады."


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    meeting = factory.SubFactory(MeetingFactory, status=Meeting.Status.REPORTED)
    text = "Ауылға ауыз су құбырын 2026 жылдың соңына дейін тарту"
    responsible_body = factory.SelfAttribute("meeting.body")
    deadline = dt.date(2026, 12, 31)
