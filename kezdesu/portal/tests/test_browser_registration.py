"""A citizen cancels a registration with its code in a real browser; the first on the waiting list moves up."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kezdesu.core.testing.browser import PHONE, axe_violations, open_page, overflow, submit
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.portal.models import Registration
from kezdesu.portal.tests.factories import RegistrationFactory
from kezdesu.registry.models import Body, Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_cancel_with_the_code_gives_the_seat_to_the_first_waiting(browser, live_server, reference, screenshot_dir,
                                                                  lang):
    meeting = MeetingFactory(body=Body.objects.get(slug="health"), region=Region.objects.get(slug="turkistan"),
                             status=Meeting.Status.ANNOUNCED, capacity=1,
                             starts_at=timezone.now() + dt.timedelta(days=4))
    seated = RegistrationFactory(meeting=meeting, contact="seated@example.kz", language=lang)
    waiting = RegistrationFactory(meeting=meeting, contact="waiting@example.kz", status="waitlisted", language=lang)
    later = RegistrationFactory(meeting=meeting, contact="later@example.kz", status="waitlisted")
    base = live_server.url

    page = open_page(browser, base, lang=lang, viewport=PHONE)
    page.goto(f"{base}{reverse('portal:registration-find')}")
    page.fill("#id_code", seated.code.lower())  # typed in lower case: still found
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}{reverse('portal:registration', args=[seated.code])}")
    cancel = reverse("portal:registration-cancel", args=[seated.code])
    page.click(f'a[href="{cancel}"]')
    page.wait_for_url(f"{base}{cancel}")
    assert axe_violations(page) == [] and overflow(page) == 0
    page.screenshot(path=str(screenshot_dir / f"portal-registration-cancel-{lang}-phone.png"), full_page=True)

    submit(page)  # without ticking the box: nothing happens
    assert page.locator("#id_confirm_error").count() == 1
    assert Registration.objects.get(pk=seated.pk).status == "confirmed"

    page.check("#id_confirm")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}{reverse('portal:registration', args=[seated.code])}")
    assert page.locator(".badge.st-cancelled").count() == 1
    assert page.locator(f'a[href="{reverse("portal:registration-cancel", args=[seated.code])}"]').count() == 0
    assert overflow(page) == 0
    page.screenshot(path=str(screenshot_dir / f"portal-registration-cancelled-{lang}-phone.png"), full_page=True)

    statuses = dict(Registration.objects.filter(meeting=meeting).values_list("pk", "status"))
    assert (statuses[seated.pk], statuses[waiting.pk], statuses[later.pk]) == ("cancelled", "confirmed", "waitlisted")
    told = [m for m in mail.outbox if m.to == ["waiting@example.kz"]]
    assert len(told) == 1 and waiting.code in told[0].body
    page.goto(f"{base}{reverse('portal:registration', args=[waiting.code])}")
    assert page.locator(".badge.st-done").count() == 1
