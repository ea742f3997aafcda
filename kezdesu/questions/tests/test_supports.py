"""Citizens support published questions of an upcoming meeting, once per e-mail address, confirmed by a link."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.core.responses import http_status
from kezdesu.meetings.models import Meeting
from kezdesu.questions.errors import QuestionError
from kezdesu.questions.intake import contact_hash
from kezdesu.questions.models import Question, QuestionSupport, SupportRequest
from kezdesu.questions.selectors import questions_to_answer
from kezdesu.questions.services import (
    SUPPORTS_PER_HOUR,
    question_support_confirm,
    question_support_request,
)
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
IP = "203.0.113.7"
LINK = re.compile(r"/(kk|ru|en)/support/([A-Za-z0-9_-]+)/")


def _open_question(**extra) -> Question:
    starts = timezone.now() + dt.timedelta(days=10)
    return QuestionFactory(meeting__status=Meeting.Status.ANNOUNCED, meeting__starts_at=starts,
                           status=Question.Status.PUBLISHED, published_at=timezone.now(), **extra)


def _request(question, email="Dana@Example.kz", *, language="kk", ip=IP, capture) -> str:
    """Ask to support and return the token of the link mailed after the commit."""
    before = len(mail.outbox)
    with capture(execute=True):
        question_support_request(question=question, email=email, client_ip=ip, language=language)
    assert len(mail.outbox) == before + 1
    return LINK.search(mail.outbox[-1].body).group(2)


def test_support_counts_once_after_the_link_is_confirmed(django_capture_on_commit_callbacks):
    question = _open_question()
    token = _request(question, capture=django_capture_on_commit_callbacks)
    question.refresh_from_db()
    assert question.support_count == 0  # asking is not supporting
    supported = question_support_confirm(token=token)
    assert supported.support_count == 1
    question.refresh_from_db()
    assert question.support_count == 1 == question.supports.count()
    # The address is stored nowhere: only its keyed hash.
    support = QuestionSupport.objects.get()
    assert support.contact_hash == contact_hash("dana@example.kz") and "dana" not in support.contact_hash


def test_second_support_from_the_same_address_is_refused_politely(django_capture_on_commit_callbacks):
    question = _open_question()
    question_support_confirm(token=_request(question, capture=django_capture_on_commit_callbacks))
    # The request itself says nothing about the address (no oracle); the confirmation does.
    again = _request(question, email=" dana@EXAMPLE.kz ", capture=django_capture_on_commit_callbacks)
    with pytest.raises(ApplicationError) as err:
        question_support_confirm(token=again)
    assert err.value.code == QuestionError.ALREADY_SUPPORTED and http_status(err.value) == 409
    question.refresh_from_db()
    assert question.support_count == 1
    # Another address counts.
    question_support_confirm(token=_request(question, email="aset@example.kz",
                                            capture=django_capture_on_commit_callbacks))
    question.refresh_from_db()
    assert question.support_count == 2


def test_link_works_once_and_expires(django_capture_on_commit_callbacks):
    question = _open_question()
    token = _request(question, capture=django_capture_on_commit_callbacks)
    question_support_confirm(token=token)
    with pytest.raises(ApplicationError) as used:
        question_support_confirm(token=token)
    assert used.value.code == QuestionError.SUPPORT_LINK_USED
    late = _request(question, email="aset@example.kz", capture=django_capture_on_commit_callbacks)
    with pytest.raises(ApplicationError) as expired:
        question_support_confirm(token=late, now=timezone.now() + dt.timedelta(hours=49))
    assert expired.value.code == QuestionError.SUPPORT_LINK_EXPIRED
    with pytest.raises(ApplicationError) as unknown:
        question_support_confirm(token="not-a-token")
    assert unknown.value.code == QuestionError.SUPPORT_LINK_UNKNOWN and http_status(unknown.value) == 404
    question.refresh_from_db()
    assert question.support_count == 1
    # The token is not in the table: only its hash.
    assert not SupportRequest.objects.filter(token_hash=late).exists()


@pytest.mark.parametrize(("meeting_status", "question_status", "days"), [
    (Meeting.Status.ANNOUNCED, Question.Status.RECEIVED, 10),  # not published
    (Meeting.Status.ANNOUNCED, Question.Status.REJECTED, 10),
    (Meeting.Status.CANCELLED, Question.Status.PUBLISHED, 10),
    (Meeting.Status.HELD, Question.Status.PUBLISHED, -3),  # past
    (Meeting.Status.ANNOUNCED, Question.Status.PUBLISHED, -1),  # started
])
def test_refused_states(meeting_status, question_status, days):
    question = QuestionFactory(meeting__status=meeting_status, status=question_status,
                               meeting__starts_at=timezone.now() + dt.timedelta(days=days))
    with pytest.raises(ApplicationError) as err:
        question_support_request(question=question, email="dana@example.kz", client_ip=IP)
    assert err.value.code == QuestionError.NOT_SUPPORTABLE and http_status(err.value) == 409
    assert not SupportRequest.objects.exists() and not mail.outbox


def test_link_refused_once_the_meeting_is_cancelled(django_capture_on_commit_callbacks):
    question = _open_question()
    token = _request(question, capture=django_capture_on_commit_callbacks)
    Meeting.objects.filter(pk=question.meeting_id).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(ApplicationError) as err:
        question_support_confirm(token=token)
    assert err.value.code == QuestionError.NOT_SUPPORTABLE
    assert not QuestionSupport.objects.exists()


def test_bad_address_and_rate_limit():
    question = _open_question()
    with pytest.raises(ApplicationError) as bad:
        question_support_request(question=question, email="+7 701 000 00 00", client_ip=IP)
    assert bad.value.code == QuestionError.BAD_EMAIL
    for n in range(SUPPORTS_PER_HOUR - 1):
        question_support_request(question=question, email=f"c{n}@example.kz", client_ip=IP)
    with pytest.raises(ApplicationError) as limited:
        question_support_request(question=question, email="late@example.kz", client_ip=IP)
    assert limited.value.code == QuestionError.TOO_MANY_SUPPORTS and http_status(limited.value) == 429
    # Another client is not limited by this one.
    question_support_request(question=question, email="other@example.kz", client_ip="198.51.100.9")


def test_mail_in_the_page_language_and_only_after_commit(django_capture_on_commit_callbacks):
    question = _open_question()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        question_support_request(question=question, email="dana@example.kz", client_ip=IP, language="ru")
    assert not mail.outbox  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    message = mail.outbox[0]
    assert message.to == ["dana@example.kz"] and "Подтвердите" in message.subject
    assert "/ru/support/" in message.body and question.tracking_code in message.subject


def test_every_write_is_audited_without_the_address(django_capture_on_commit_callbacks):
    question = _open_question()
    question_support_confirm(token=_request(question, capture=django_capture_on_commit_callbacks))
    actions = list(AuditEvent.objects.filter(action__startswith="question.support").values_list("action", flat=True))
    assert sorted(actions) == ["question.support", "question.support_request", "question.support_request_used"]
    for event in AuditEvent.objects.filter(action__startswith="question.support"):
        text = f"{event.before} {event.after} {event.object_repr}"
        assert "dana" not in text.lower() and contact_hash("dana@example.kz") not in text


def test_staff_see_the_most_supported_first(django_capture_on_commit_callbacks):
    first = _open_question(text="Бірінші жарияланған сұрақ")
    popular = _open_question(meeting=first.meeting, text="Көп қолдау тапқан сұрақ")
    Question.objects.filter(pk=popular.pk).update(support_count=3)
    coordinator = staff(Role.BODY_COORDINATOR, body=first.meeting.body)
    assert list(questions_to_answer(coordinator)) == [popular, first]
    client = Client()
    client.force_login(coordinator)
    page = client.get("/staff/questions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.index(popular.tracking_code) < page.index(first.tracking_code)
    assert re.search(r"3 (people support this question|адам бұл сұрақты қолдайды)", page)


# --- Pages -----------------------------------------------------------------------------------------------------

def _post(client, url, data):
    return client.post(url, data, REMOTE_ADDR=IP)


def test_meeting_page_orders_by_support_and_links_to_the_form(client):
    older = _open_question(text="Ертерек жарияланған сұрақ")
    popular = _open_question(meeting=older.meeting, text="Ең көп қолдау тапқан сұрақ")
    Question.objects.filter(pk=popular.pk).update(support_count=7)
    page = client.get(f"/ru/meetings/{older.meeting_id}/").content.decode()
    assert page.index("Ең көп қолдау") < page.index("Ертерек жарияланған")
    support_page = f"/ru/meetings/{older.meeting_id}/questions/{popular.pk}/support/"
    # The cached page carries a link to the form's own page, no form and no token.
    assert f'href="{support_page}"' in page and f'action="{support_page}"' not in page
    assert "csrfmiddlewaretoken" not in page
    assert "7 человек поддерживают этот вопрос" in page
    form_page = client.get(support_page).content.decode()
    assert "Ең көп қолдау тапқан сұрақ" in form_page and "csrfmiddlewaretoken" in form_page
    assert "7 человек поддерживают этот вопрос" in form_page


def test_support_through_the_pages(client, django_capture_on_commit_callbacks):
    question = _open_question()
    url = f"/kk/meetings/{question.meeting_id}/questions/{question.pk}/support/"
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(client, url, {"email": "dana@example.kz", "website": ""})
    assert answer.status_code == 302 and answer["Location"] == f"/kk/meetings/{question.meeting_id}/support/sent/"
    link = LINK.search(mail.outbox[0].body).group(0)
    # Opening the link (a mail scanner does) changes nothing.
    shown = client.get(link)
    assert shown.status_code == 200 and "Иә, мен бұл сұрақты қолдаймын" in shown.content.decode()
    question.refresh_from_db()
    assert question.support_count == 0
    done = client.post(link)
    assert done.status_code == 200
    question.refresh_from_db()
    assert question.support_count == 1
    again = client.post(link)
    assert again.status_code == 409
    # The meeting page shows the new count at once (its cached copy is replaced).
    assert "1 адам" in client.get(f"/kk/meetings/{question.meeting_id}/").content.decode()


def test_support_form_needs_its_csrf_token(django_capture_on_commit_callbacks):
    strict = Client(enforce_csrf_checks=True)
    question = _open_question()
    url = f"/kk/meetings/{question.meeting_id}/questions/{question.pk}/support/"
    data = {"email": "dana@example.kz", "website": ""}
    # Without the page's token (a form on another site) nothing is stored and nothing is mailed.
    refused = strict.post(url, data, REMOTE_ADDR=IP)
    assert refused.status_code == 403 and not SupportRequest.objects.exists() and not mail.outbox
    page = strict.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        sent = strict.post(url, {**data, "csrfmiddlewaretoken": token}, REMOTE_ADDR=IP)
    assert sent.status_code == 302 and sent["Location"] == f"/kk/meetings/{question.meeting_id}/support/sent/"
    assert SupportRequest.objects.count() == 1 and mail.outbox[0].to == ["dana@example.kz"]
    # The confirmation button is checked the same way.
    link = LINK.search(mail.outbox[0].body).group(0)
    assert strict.post(link).status_code == 403
    question.refresh_from_db()
    assert question.support_count == 0


def test_support_of_a_closed_question_is_refused_with_its_code(client):
    question = QuestionFactory(meeting__status=Meeting.Status.HELD, status=Question.Status.PUBLISHED,
                               meeting__starts_at=timezone.now() - dt.timedelta(days=2))
    answer = _post(client, f"/en/meetings/{question.meeting_id}/questions/{question.pk}/support/",
                   {"email": "dana@example.kz", "website": ""})
    assert answer.status_code == 409
    assert "Only published questions of an announced meeting" in answer.content.decode()
