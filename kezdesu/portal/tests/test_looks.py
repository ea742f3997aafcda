"""How the public pages look in a real browser: no sideways scrolling on a phone in any language, the map of
regions, the large-text view, print, and letters the installed fonts can draw."""

import pytest
from django.urls import reverse
from django.utils import translation

from kezdesu.core.testing.browser import DESKTOP, PHONE, axe_violations, open_page, overflow
from kezdesu.portal.tests.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _public_pages(data) -> dict[str, str]:
    upcoming, past, answered = data["upcoming"], data["past"], data["answered"]
    registration = RegistrationFactory(meeting=upcoming)
    return {
        "home": reverse("portal:home"),
        "meetings": reverse("portal:meetings"),
        "meetings-past": reverse("portal:meetings") + "?when=past",
        "meeting-upcoming": reverse("portal:meeting", args=[upcoming.pk]),
        "meeting-held": reverse("portal:meeting", args=[past.pk]),
        "ask": reverse("portal:ask", args=[upcoming.pk]),
        "register": reverse("portal:register", args=[upcoming.pk]),
        "registration": reverse("portal:registration", args=[registration.code]),
        "commitments": reverse("portal:commitments"),
        "track-form": reverse("portal:track-form"),
        "track": reverse("portal:track", args=[answered.tracking_code]),
        "open-data": reverse("portal:open-data"),
        "not-found": "/no-such-page/",
    }


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_no_public_page_scrolls_sideways_on_a_phone(browser, live_server, portal_data, lang, screenshot_dir):
    page = open_page(browser, live_server.url, lang=lang, viewport=PHONE)
    wide = {}
    for name, path in _public_pages(portal_data).items():
        page.goto(live_server.url + path)
        page.screenshot(path=str(screenshot_dir / f"phone-{name}-{lang}.png"), full_page=True)
        if (extra := overflow(page)) > 0:
            wide[path] = extra
    assert wide == {}
    page.context.close()


def test_the_map_filters_the_meetings_by_region(browser, live_server, portal_data, screenshot_dir):
    page = open_page(browser, live_server.url, lang="en", viewport=DESKTOP)
    with translation.override("en"):
        home, meetings = reverse("portal:home"), reverse("portal:meetings")
    page.goto(live_server.url + home)
    tiles = page.locator(".regionmap svg a")
    assert tiles.count() == 20
    turkistan = page.locator('.regionmap svg a[href$="region=turkistan"]')
    # The figure is written on the tile, not only coloured; the whole statement is its title.
    assert turkistan.locator("text").all_text_contents() == ["Turkistan", "1"]
    assert turkistan.locator("title").text_content() == "Turkistan Region: 1 upcoming meeting"
    assert page.locator('.regionmap svg a[href$="region=abai"] title').text_content() \
        == "Abai Region: 0 upcoming meetings"
    assert page.get_by_role("link", name="Turkistan Region: 1 upcoming meeting", exact=True).count() == 1
    page.screenshot(path=str(screenshot_dir / "portal-map-en.png"), full_page=True)
    assert axe_violations(page) == []
    turkistan.click()
    page.wait_for_url(f"**{meetings}?region=turkistan")
    assert portal_data["upcoming"].body.short_en in page.inner_text("main")
    page.context.close()


def test_the_map_works_without_javascript_and_prints(browser, live_server, portal_data, screenshot_dir):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("portal:home"))
    page.click('.regionmap svg a[href$="region=turkistan"]')
    page.wait_for_url("**?region=turkistan")
    page.goto(live_server.url + reverse("portal:home"))
    page.emulate_media(media="print")
    assert page.locator(".regionmap svg").is_visible()
    assert not page.locator(".topnav").is_visible() and not page.locator(".a11ybar").is_visible()
    page.pdf(path=str(screenshot_dir / "portal-home-print.pdf"))
    context.close()


def test_large_text_high_contrast_view(browser, live_server, portal_data, screenshot_dir):
    page = open_page(browser, live_server.url, lang="kk", viewport=PHONE)
    meeting = reverse("portal:meeting", args=[portal_data["past"].pk])
    page.goto(live_server.url + meeting)
    normal = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.click(".a11ybar .display-contrast")
    page.wait_for_url(f"**{meeting}")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") > normal * 1.25
    assert page.evaluate("() => getComputedStyle(document.querySelector('.topbar')).backgroundColor") \
        == "rgb(0, 0, 0)"
    assert page.locator(".a11ybar .display-standard").is_visible()
    assert not page.locator(".a11ybar .display-contrast").is_visible()
    page.screenshot(path=str(screenshot_dir / "phone-meeting-contrast-kk.png"), full_page=True)
    assert overflow(page) == 0
    assert axe_violations(page) == []
    page.click(".a11ybar .display-standard")
    page.wait_for_url(f"**{meeting}")
    assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") == normal
    page.context.close()


@pytest.mark.parametrize("name", ["meeting-held", "commitments"])
def test_meeting_page_and_commitments_print_without_the_controls(browser, live_server, portal_data, name,
                                                                 screenshot_dir):
    path = {"meeting-held": reverse("portal:meeting", args=[portal_data["past"].pk]),
            "commitments": reverse("portal:commitments")}[name]
    page = open_page(browser, live_server.url, lang="ru", viewport=DESKTOP)
    page.goto(live_server.url + path)
    page.emulate_media(media="print")
    assert not page.locator(".topnav").is_visible() and not page.locator(".langswitch").is_visible()
    assert page.locator("main form").evaluate_all("forms => forms.every(f => getComputedStyle(f).display == 'none')")
    assert page.locator("h1").is_visible()
    assert page.locator("table.data").first.is_visible()  # the commitments themselves are printed
    page.screenshot(path=str(screenshot_dir / f"print-{name}-ru.png"), full_page=True)
    page.pdf(path=str(screenshot_dir / f"print-{name}-ru.pdf"))
    page.context.close()
