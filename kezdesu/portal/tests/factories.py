import factory

from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.portal.models import Registration


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory, status="announced", capacity=10)
    name = "Ерлан Сейітов"
    contact = factory.Sequence(lambda n: f"+7701{n:07d}")
    status = Registration.Status.CONFIRMED
