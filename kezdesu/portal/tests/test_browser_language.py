"""The language switch in a real browser: on a public page it moves to the same page under the other
language's address and is remembered; on a staff page the address stays and the page changes language."""

import pytest
from django.urls import reverse

from kezdesu.core.testing.browser import PHONE, axe_violations, login, open_page
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_switch_on_public_and_staff_pages(browser, live_server, portal_data, screenshot_dir):
    page = open_page(browser, live_server.url, viewport=PHONE)
    page.goto(f"{live_server.url}/kk/meetings/?when=past")
    page.click('.langswitch a[lang="ru"]')
    page.wait_for_url(f"{live_server.url}/ru/meetings/?when=past")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator('.langswitch [aria-current="true"]').inner_text() == "Русский"
    page.screenshot(path=str(screenshot_dir / "portal-language-switch-ru-phone.png"))
    # The header with the switch fits a phone (the page's own width is the business of each page).
    header = page.locator("header.topbar")
    assert header.evaluate("e => e.scrollWidth - e.clientWidth") == 0
    assert header.bounding_box()["width"] <= PHONE["width"]
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/ru/"

    desk = open_page(browser, live_server.url)
    queue = reverse("questions:moderation")
    login(desk, live_server.url, staff(Role.MODERATOR), next_url=queue)
    desk.click('.langswitch a[lang="en"]')
    desk.wait_for_url(f"{live_server.url}{queue}")
    assert desk.locator("html").get_attribute("lang") == "en"
    desk.screenshot(path=str(screenshot_dir / "moderation-language-switch-en.png"))
    assert page.csp_errors == [] and desk.csp_errors == []
