"""The staff pages on questions over HTTP: who gets in, what they see, and what a decision does."""

import pytest
from django.urls import reverse

from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.questions.models import Question
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.tests.factories import BodyFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
MODERATION = reverse("questions:moderation")
ANSWERS = reverse("questions:answers")


@pytest.fixture
def moderator(client):
    user = staff(Role.MODERATOR)
    client.force_login(user)
    return user


@pytest.fixture
def queue():
    """Two meetings with questions waiting for moderation, and one already published."""
    first, second = MeetingFactory(status="announced"), MeetingFactory(status="announced")
    return {
        "first": QuestionFactory(meeting=first, text="Бірінші кездесуге сұрақ: жол қашан?"),
        "second": QuestionFactory(meeting=second, text="Екінші кездесуге сұрақ: мектеп қашан?"),
        "published": QuestionFactory(meeting=first, status="published", text="Жарияланған сұрақ бар"),
    }


def test_moderation_needs_a_moderator(client, queue):
    assert client.get(MODERATION).status_code == 302  # to the login page
    client.force_login(staff(Role.BODY_COORDINATOR, body=queue["first"].meeting.body))
    assert client.get(MODERATION).status_code == 403
    assert client.post(reverse("questions:publish", args=[queue["first"].pk])).status_code == 403
    assert client.get(reverse("questions:moderation-count")).status_code == 403
    assert Question.objects.get(pk=queue["first"].pk).status == "received"


def test_the_moderator_lands_on_the_queue_with_a_live_count(client, queue, moderator):
    response = client.get("/staff/", follow=True)
    assert response.redirect_chain == [(MODERATION, 302)]
    page = response.content.decode()
    assert "Бірінші кездесуге" in page and "Екінші кездесуге" in page and "Жарияланған" not in page
    assert "Сәуле Омарова" not in page and "+7 701 000 00 00" not in page
    assert reverse("meetings:list") not in page  # no link the moderator cannot open
    assert '<b class="count"' in page and reverse("questions:moderation-count") in page
    count = client.get(reverse("questions:moderation-count")).content.decode()
    assert '<b class="count"' in count and ">2<" in count


def test_filter_by_meeting(client, queue, moderator):
    page = client.get(MODERATION, {"meeting": queue["second"].meeting_id}).content.decode()
    assert "Екінші кездесуге" in page and "Бірінші кездесуге" not in page
    assert client.get(MODERATION, {"meeting": "999999"}).status_code == 200  # an unknown meeting: no filter


def test_publish_with_htmx_swaps_the_item_and_updates_the_count(client, queue, moderator):
    first = queue["first"]
    response = client.post(reverse("questions:publish", args=[first.pk]), {"text": first.text}, **HTMX)
    assert response.status_code == 200 and response["HX-Trigger"] == "moderated"
    assert response.content.decode().lstrip().startswith(f'<li class="card queue__item" id="q-{first.pk}">')
    first.refresh_from_db()
    assert first.status == "published" and first.text == "Бірінші кездесуге сұрақ: жол қашан?"


def test_redact_then_publish_over_http(client, queue, moderator):
    first = queue["first"]
    client.post(reverse("questions:publish", args=[first.pk]), {"text": "Жол қашан жөнделеді?"})
    first.refresh_from_db()
    assert (first.status, first.text) == ("published", "Жол қашан жөнделеді?")


def test_reject_needs_a_reason_and_a_confirmation(client, queue, moderator):
    first, url = queue["first"], reverse("questions:reject", args=[queue["first"].pk])
    fragment = client.post(url, {"reason": "Жеке деректер бар"}, **HTMX).content.decode()
    assert 'role="alert"' in fragment and Question.objects.get(pk=first.pk).status == "received"
    client.post(url, {"reason": " ", "confirm": "on"}, **HTMX)
    assert Question.objects.get(pk=first.pk).status == "received"
    response = client.post(url, {"reason": "Жеке деректер бар", "confirm": "on"})
    assert response.status_code == 302 and response.url == MODERATION
    first.refresh_from_db()
    assert (first.status, first.rejection_reason) == ("rejected", "Жеке деректер бар")


def test_bulk_publish_and_reject(client, queue, moderator):
    bulk = reverse("questions:moderate-bulk")
    ids = [queue["first"].pk, queue["second"].pk]
    client.post(bulk, {"questions": ids, "decision": "reject", "reason": "Спам"})  # no confirmation
    assert set(Question.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"received"}
    client.post(bulk, {"questions": [queue["published"].pk], "decision": "publish"})  # not in the queue
    assert Question.objects.get(pk=queue["published"].pk).transitions.count() == 0
    response = client.post(bulk, {"questions": ids, "decision": "reject", "reason": "Спам", "confirm": "on"})
    assert response.status_code == 302
    assert list(Question.objects.filter(pk__in=ids).values_list("status", "rejection_reason")) == [
        ("rejected", "Спам"), ("rejected", "Спам")]


def test_rejected_question_tracking_page_hides_the_text(client, queue, moderator):
    first = queue["first"]
    first.text = "Көршім Асан, телефоны +7 701 555 12 34, суды ұрлайды"
    first.save()
    client.post(reverse("questions:reject", args=[first.pk]), {"reason": "Басқа адамның деректері",
                                                               "confirm": "on"})
    page = client.get(reverse("portal:track", args=[first.tracking_code])).content.decode()
    assert "Басқа адамның деректері" in page and "555 12 34" not in page and "Асан" not in page


@pytest.fixture
def answering(client):
    """A body's coordinator signed in, a published question of its held meeting, and another body's."""
    own = QuestionFactory(meeting__status="held", status="published", text="Біздің ауылға су қашан келеді?")
    other = QuestionFactory(meeting__status="held", status="published", text="Басқа министрлікке сұрақ")
    coordinator = staff(Role.BODY_COORDINATOR, body=own.meeting.body)
    client.force_login(coordinator)
    return own, other, coordinator


def test_a_body_sees_only_its_meetings_questions(client, answering):
    own, other, _coordinator = answering
    page = client.get(ANSWERS).content.decode()
    assert own.text in page and other.text not in page and own.author_contact not in page
    assert f'<a href="{ANSWERS}">' in page and '<b class="count">1<' in page  # the header counts what waits
    assert client.get(reverse("questions:answer", args=[other.pk])).status_code == 404
    assert client.post(reverse("questions:answer", args=[other.pk]),
                       {"mode": "in_writing", "answer": "Жауап", "version": 1}).status_code == 404
    assert Question.objects.get(pk=other.pk).status == "published"


def test_answer_in_writing_reaches_the_tracking_and_meeting_pages(client, answering):
    own = answering[0]
    response = client.post(reverse("questions:answer", args=[own.pk]),
                           {"mode": "in_writing", "answer": "Су құбыры 2027 жылы тартылады.", "version": 1})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.status, own.handling) == ("answered", "in_writing")
    tracking = client.get(reverse("portal:track", args=[own.tracking_code])).content.decode()
    assert "Су құбыры 2027 жылы тартылады." in tracking
    own.meeting.status = "reported"
    own.meeting.save()
    meeting_page = client.get(reverse("portal:meeting", args=[own.meeting_id])).content.decode()
    assert "Су құбыры 2027 жылы тартылады." in meeting_page
    answered = client.get(ANSWERS, {"show": "answered"}).content.decode()
    assert "Су құбыры 2027 жылы тартылады." in answered


def test_referral_without_a_body_is_shown_next_to_the_field(client, answering):
    own = answering[0]
    url = reverse("questions:answer", args=[own.pk])
    response = client.post(url, {"mode": "referred", "answer": "Әкімдікке жіберілді", "version": 1})
    assert response.status_code == 400 and 'id="id_referred_to_error"' in response.content.decode()
    assert Question.objects.get(pk=own.pk).status == "published"
    body = BodyFactory()
    client.post(url, {"mode": "referred", "answer": "Әкімдікке жіберілді", "referred_to": body.pk, "version": 1})
    own.refresh_from_db()
    assert (own.status, own.referred_to) == ("referred", body)


def test_a_stale_answer_form_gets_the_conflict_page(client, answering):
    own = answering[0]
    response = client.post(reverse("questions:answer", args=[own.pk]),
                           {"mode": "in_writing", "answer": "Жауап", "version": 5})
    assert response.status_code == 409 and Question.objects.get(pk=own.pk).status == "published"
