"""Report test data, made the way people make it: through the meetings and questions services."""

import datetime as dt

import factory
from django.utils import timezone

from kezdesu.meetings.models import Meeting
from kezdesu.meetings.services import (
    commitment_create,
    meeting_create,
    meeting_record_results,
    meeting_transition,
)
from kezdesu.meetings.tests.factories import at
from kezdesu.questions.services import question_raise_at_meeting
from kezdesu.reports.models import ProcedureDocument

KAZAKH_LETTERS = "әғқңөұүһі"
# A promise whose words hold every Kazakh-specific letter, so each file can be searched for all of them.
PROMISE = "Әулиекөл ауданы Үшқоңыр ауылындағы ұңғыманы жөндеу, Шаһар көшесіндегі мәселені түзету"
assert set(KAZAKH_LETTERS) <= set(PROMISE)


def held_meeting(*, body, head, region, day: dt.date, coordinator, akimat, attendance: int, online: int = 0,
                 questions=(), commitments=(), kind: str = Meeting.Kind.SCHEDULED, media_links=(),
                 settlement: str = "Түркістан қ.") -> Meeting:
    """Drafts, agrees, holds and reports a meeting as its coordinator and akimat would; returns it.

    `questions`: (handling, text) pairs raised at the meeting; `commitments`: (text, deadline, akimat?).
    """
    meeting = meeting_create(actor=coordinator, body=body, head=head, region=region, settlement=settlement,
                             venue="Мәдениет үйі", starts_at=at(day), kind=kind,
                             stream_url=f"https://video.example.kz/{body.slug}/{day:%Y%m%d}")
    when = at(day - dt.timedelta(days=30))
    for actor, target in ((coordinator, "proposed"), (akimat, "agreed"), (coordinator, "announced")):
        meeting = meeting_transition(actor=actor, meeting=meeting, target=target, at=when)
        when += dt.timedelta(days=1)
    meeting = meeting_transition(actor=coordinator, meeting=meeting, target="held",
                                 at=meeting.starts_at + dt.timedelta(hours=3))
    meeting_record_results(actor=coordinator, meeting=meeting, attendance=attendance, speakers=10,
                           online_viewers=online, media_links=list(media_links))
    for handling, text in questions:
        question_raise_at_meeting(actor=coordinator, meeting=meeting, text=text, handling=handling,
                                  answer="Түсініктеме берілді." if handling == "on_the_spot" else "")
    for text, deadline, by_akimat in commitments:
        commitment_create(actor=coordinator, meeting=meeting, text=text, deadline=deadline,
                          responsible_body=None if by_akimat else body,
                          responsible_region=region if by_akimat else None)
    return meeting_transition(actor=coordinator, meeting=meeting, target="reported",
                              at=meeting.starts_at + dt.timedelta(days=2))


class ProcedureDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureDocument

    version = factory.Sequence(lambda n: n + 1)
    title_kk = "Орталық атқарушы органдар басшыларының халықпен кездесулерін өткізу тәртібі"
    title_ru = "Порядок проведения встреч руководителей центральных исполнительных органов с населением"
    title_en = "Procedure for holding meetings of the heads of central executive bodies with the population"
    text_kk = f"1. Жалпы ережелер.\n\n2. Кездесу өңірдің әкімдігімен келісіледі. {PROMISE}."
    text_ru = "1. Общие положения.\n\n2. Встреча согласуется с акиматом региона."
    effective_from = dt.date(2026, 7, 1)
    published_at = factory.LazyFunction(lambda: timezone.make_aware(dt.datetime(2026, 6, 20, 10)))
