"""Following a meeting, a region or a body by e-mail: double opt-in, news after the commit, one-click unsubscribe."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone

from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.services import commitment_update, meeting_transition, meeting_update
from kezdesu.meetings.tests.factories import CommitmentFactory
from kezdesu.portal.errors import PortalError
from kezdesu.portal.models import Subscription
from kezdesu.portal.services import SUBSCRIPTIONS_PER_HOUR, subscription_request, subscriptions_purge
from kezdesu.questions.intake import contact_hash
from kezdesu.questions.models import AnswerMode, Question
from kezdesu.questions.services import question_answer
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
IP = "203.0.113.30"
CONFIRM_LINK = re.compile(r"/(kk|ru|en)/follow/(\d+)/confirm/([0-9a-f]+)/")
UNSUBSCRIBE_LINK = re.compile(r"/(kk|ru|en)/follow/(\d+)/unsubscribe/([0-9a-f]+)/")


def _follow(client, email, capture, *, lang="kk", **target):
    """Subscribe through the form and confirm through the mailed link's button; returns the subscription."""
    with capture(execute=True):
        answer = client.post(f"/{lang}/follow/", {"email": email, "website": "", **target}, REMOTE_ADDR=IP)
    assert answer.status_code == 302 and answer["Location"] == f"/{lang}/follow/sent/"
    link = CONFIRM_LINK.search(mail.outbox[-1].body).group(0)
    assert client.post(link).status_code == 200
    return Subscription.objects.get(contact_hash=contact_hash(email.strip().lower()), **{
        name: value for name, value in (("meeting_id", target.get("meeting")),) if value} or {
        "pk": CONFIRM_LINK.search(mail.outbox[-1].body).group(2)})


def _citizens():
    """The mail sent to citizens (staff are notified of the same changes by their own notices)."""
    return [m for m in mail.outbox if m.to[0].endswith("@example.kz") and not m.to[0].startswith("user")]


def _coordinator(meeting):
    return staff(Role.BODY_COORDINATOR, body=meeting.body)


def test_double_opt_in(client, portal_data, django_capture_on_commit_callbacks):
    up = portal_data["upcoming"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/ru/follow/", {"email": "Dana@Example.kz", "website": "", "meeting": up.pk}, REMOTE_ADDR=IP)
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.language, subscription.email) == ("pending", "ru", "dana@example.kz")
    message = mail.outbox[0]
    assert message.to == ["dana@example.kz"] and message.subject.startswith("Подтвердите подписку")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert UNSUBSCRIBE_LINK.search(message.extra_headers["List-Unsubscribe"])
    link = CONFIRM_LINK.search(message.body).group(0)
    # Opening the link (a mail scanner does) starts nothing; the button does.
    assert "Да, присылайте мне новости" in client.get(link).content.decode()
    subscription.refresh_from_db()
    assert subscription.status == "pending"
    assert client.post(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == "active" and subscription.confirmed_at is not None
    assert client.get(f"/ru/follow/{subscription.pk}/confirm/{'0' * 64}/").status_code == 404


def test_confirmation_link_expires(client, portal_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscription_request(email="dana@example.kz", client_ip=IP, region=portal_data["abai"])
    Subscription.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    answer = client.post(CONFIRM_LINK.search(mail.outbox[0].body).group(0))
    assert answer.status_code == 409 and Subscription.objects.get().status == "pending"
    # Never confirmed in time: the address is forgotten.
    assert subscriptions_purge() == 1 and not Subscription.objects.exists()


def test_schedule_change_mailed_after_commit_in_the_subscribers_language(client, portal_data,
                                                                        django_capture_on_commit_callbacks):
    up = portal_data["upcoming"]
    _follow(client, "dana@example.kz", django_capture_on_commit_callbacks, lang="ru", meeting=up.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        meeting_transition(actor=_coordinator(up), meeting=up, target=Meeting.Status.POSTPONED,
                           comment="Әкімдік залы жөнделуде")
    assert not mail.outbox  # nothing before the commit
    for callback in callbacks:
        callback()
    assert len(_citizens()) == 1
    message = _citizens()[0]
    assert message.subject == "Новости встреч, на которые вы подписаны"
    assert "Перенесена" in message.body or "перенес" in message.body.lower()
    assert "Әкімдік залы жөнделуде" in message.body
    assert "/ru/follow/" in message.body and "List-Unsubscribe" in message.extra_headers


def test_pending_subscribers_get_no_news(portal_data, django_capture_on_commit_callbacks):
    up = portal_data["upcoming"]
    with django_capture_on_commit_callbacks(execute=True):
        subscription_request(email="dana@example.kz", client_ip=IP, meeting=up)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_transition(actor=_coordinator(up), meeting=up, target=Meeting.Status.CANCELLED, comment="Дауыл")
    assert not _citizens()


def test_several_changes_in_one_transaction_one_mail_per_address(client, portal_data,
                                                                 django_capture_on_commit_callbacks):
    up = portal_data["upcoming"]
    _follow(client, "dana@example.kz", django_capture_on_commit_callbacks, meeting=up.pk)
    _follow(client, "dana@example.kz", django_capture_on_commit_callbacks, region="turkistan")
    _follow(client, "aset@example.kz", django_capture_on_commit_callbacks, lang="en", body="health")
    mail.outbox.clear()
    # Moving an announced meeting is two changes in one transaction: the new time, and back to the akimat.
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(actor=_coordinator(up), meeting=up, expected_version=up.version,
                       starts_at=up.starts_at + dt.timedelta(hours=2), venue="Жаңа мәдениет үйі")
    assert sorted(m.to[0] for m in _citizens()) == ["aset@example.kz", "dana@example.kz"]
    dana = next(m for m in _citizens() if m.to == ["dana@example.kz"])
    assert dana.body.count("Жаңа мәдениет үйі") == 1
    # The most particular subscription carries the unsubscribe link.
    assert f"/follow/{Subscription.objects.get(meeting=up).pk}/unsubscribe/" in dana.extra_headers["List-Unsubscribe"]


def test_rolled_back_change_sends_nothing(client, portal_data, django_capture_on_commit_callbacks):
    up = portal_data["upcoming"]
    _follow(client, "dana@example.kz", django_capture_on_commit_callbacks, meeting=up.pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            meeting_transition(actor=_coordinator(up), meeting=up, target=Meeting.Status.CANCELLED, comment="Дауыл")
            raise RuntimeError("rolled back")
    assert not mail.outbox


def test_answers_and_commitment_progress_reach_followers(client, portal_data, django_capture_on_commit_callbacks):
    past = portal_data["past"]
    _follow(client, "dana@example.kz", django_capture_on_commit_callbacks, lang="en", meeting=past.pk)
    mail.outbox.clear()
    question = QuestionFactory(meeting=past, region=past.region, status=Question.Status.PUBLISHED,
                               author_contact="+77010000000")
    coordinator = _coordinator(past)
    with django_capture_on_commit_callbacks(execute=True):
        question_answer(actor=coordinator, question=question, mode=AnswerMode.IN_WRITING,
                        answer="Су құбыры 2027 жылы тартылады.")
    assert len(_citizens()) == 1 and "has an answer" in _citizens()[0].body
    assert f"/en/track/{question.tracking_code}/" in _citizens()[0].body
    commitment = CommitmentFactory(meeting=past, text="Мектеп салу", deadline=dt.date(2099, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        commitment_update(actor=coordinator, commitment=commitment, expected_version=commitment.version, progress=60)
    news = _citizens()
    assert len(news) == 2 and "“Мектеп салу”" in news[1].body and "60% done" in news[1].body


def test_one_click_unsubscribe_without_csrf(portal_data, django_capture_on_commit_callbacks):
    strict = Client(enforce_csrf_checks=True)
    with django_capture_on_commit_callbacks(execute=True):
        subscription_request(email="dana@example.kz", client_ip=IP, meeting=portal_data["upcoming"])
    subscription = Subscription.objects.get()
    url = UNSUBSCRIBE_LINK.search(mail.outbox[0].extra_headers["List-Unsubscribe"]).group(0)
    # The page asks (GET changes nothing); a POST without the one-click body needs the page's CSRF token.
    assert "Жазылудан бас тартып" in strict.get(url).content.decode()
    assert strict.post(url, {}).status_code == 403
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    # A mail program's one-click POST (RFC 8058) carries no token.
    assert strict.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.exists()
    assert strict.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 404
    event = AuditEvent.objects.get(action="subscription.cancel")
    assert event.after is None and "dana" not in str(event.before) and "email" not in event.before


def test_unsubscribe_button_on_the_page(client, portal_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        subscription_request(email="dana@example.kz", client_ip=IP, body=portal_data["health"])
    url = UNSUBSCRIBE_LINK.search(mail.outbox[0].body).group(0)
    assert client.post(url).status_code == 200 and not Subscription.objects.exists()


def test_refusals(client, portal_data):
    with pytest.raises(ApplicationError) as closed:
        subscription_request(email="dana@example.kz", client_ip=IP, meeting=portal_data["draft"])
    assert closed.value.code == PortalError.FOLLOW_CLOSED
    with pytest.raises(ApplicationError) as none:
        subscription_request(email="dana@example.kz", client_ip=IP)
    assert none.value.code == PortalError.FOLLOW_TARGET_REQUIRED
    with pytest.raises(ApplicationError) as bad:
        subscription_request(email="8 701 000 00 00", client_ip=IP, region=portal_data["abai"])
    assert bad.value.code == PortalError.BAD_EMAIL
    for n in range(SUBSCRIPTIONS_PER_HOUR - 3):
        subscription_request(email=f"c{n}@example.kz", client_ip=IP, region=portal_data["abai"])
    with pytest.raises(ApplicationError) as limited:
        subscription_request(email="late@example.kz", client_ip=IP, region=portal_data["abai"])
    assert limited.value.code == PortalError.TOO_MANY_SUBSCRIPTIONS


def test_follow_links_on_the_cached_pages_lead_to_the_form(client, portal_data):
    up = portal_data["upcoming"]
    page = client.get(f"/kk/meetings/{up.pk}/").content.decode()
    assert f'href="/kk/follow/?meeting={up.pk}"' in page and 'action="/kk/follow/"' not in page
    assert "csrfmiddlewaretoken" not in page
    listed = client.get("/ru/meetings/?region=turkistan").content.decode()
    assert 'href="/ru/follow/?region=turkistan"' in listed and "Следить за встречами в регионе" in listed
    assert "csrfmiddlewaretoken" not in listed and "<form method=\"post\"" not in listed
    assert "/ru/follow/?" not in client.get("/ru/meetings/").content.decode()
    own_page = client.get("/en/follow/?body=health")
    text = own_page.content.decode()
    assert own_page.status_code == 200 and 'name="body"' in text and 'value="health"' in text
    assert "csrfmiddlewaretoken" in text


def test_follow_form_needs_its_csrf_token(portal_data, django_capture_on_commit_callbacks):
    strict = Client(enforce_csrf_checks=True)
    up = portal_data["upcoming"]
    data = {"email": "dana@example.kz", "website": "", "meeting": up.pk}
    # Without the page's token (a form on another site) nothing is asked and nothing is mailed.
    assert strict.post("/kk/follow/", data, REMOTE_ADDR=IP).status_code == 403
    assert not Subscription.objects.exists() and not mail.outbox
    page = strict.get(f"/kk/follow/?meeting={up.pk}")
    assert page.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        answer = strict.post("/kk/follow/", {**data, "csrfmiddlewaretoken": token}, REMOTE_ADDR=IP)
    assert answer.status_code == 302 and answer["Location"] == "/kk/follow/sent/"
    assert Subscription.objects.get().meeting_id == up.pk and mail.outbox[0].to == ["dana@example.kz"]


def test_no_address_or_hash_on_public_pages_or_the_api(client, portal_data, django_capture_on_commit_callbacks):
    up = portal_data["upcoming"]
    question = QuestionFactory(meeting=up, region=up.region, status=Question.Status.PUBLISHED)
    _follow(client, "dana@example.kz", django_capture_on_commit_callbacks, meeting=up.pk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/kk/meetings/{up.pk}/questions/{question.pk}/support/", {"email": "dana@example.kz",
                    "website": ""}, REMOTE_ADDR=IP)
    client.post(re.search(r"/kk/support/[\w-]+/", mail.outbox[-1].body).group(0))
    digest = contact_hash("dana@example.kz")
    subscription = Subscription.objects.get()
    for url in (f"/kk/meetings/{up.pk}/", "/kk/meetings/", "/ru/meetings/?region=turkistan", "/kk/",
                "/kk/open-data/questions.json", "/kk/open-data/questions.csv", "/api/v1/questions/",
                f"/api/v1/questions/{question.pk}/", "/api/v1/meetings/", f"/kk/track/{question.tracking_code}/"):
        answer = client.get(url)
        content = b"".join(answer.streaming_content) if answer.streaming else answer.content
        text = content.decode()
        assert answer.status_code == 200, url
        assert "dana@" not in text and digest not in text and subscription.secret not in text, url
    for event in AuditEvent.objects.filter(action__startswith="subscription"):
        assert "dana" not in f"{event.before} {event.after}" and digest not in f"{event.before} {event.after}"
    # The open API shows how many supported, never who.
    assert client.get(f"/api/v1/questions/{question.pk}/").json()["support_count"] == 1


def test_purge_command_forgets_unconfirmed_addresses(portal_data):
    from io import StringIO

    from django.core.management import call_command

    subscription_request(email="dana@example.kz", client_ip=IP, region=portal_data["abai"])
    subscription_request(email="aset@example.kz", client_ip=IP, region=portal_data["abai"])
    Subscription.objects.filter(email="dana@example.kz").update(expires_at=timezone.now() - dt.timedelta(hours=1))
    out = StringIO()
    call_command("purge_subscriptions", "--json", stdout=out)
    assert out.getvalue().strip() == '{"purged": 1}'
    assert list(Subscription.objects.values_list("email", flat=True)) == ["aset@example.kz"]
    assert AuditEvent.objects.filter(action="subscription.expire").count() == 1
