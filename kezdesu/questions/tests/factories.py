import factory

from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.questions.models import Question


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    meeting = factory.SubFactory(MeetingFactory, status="announced")
    region = factory.SelfAttribute("meeting.region")
    text = "Біздің ауылда ауыз су қашан болады?"
    author_name = "Сәуле Омарова"
    author_contact = "+7 701 000 00 00"
