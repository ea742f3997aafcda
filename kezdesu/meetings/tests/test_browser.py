"""The akimat's support checklist and the action panel walked in a real browser, with screenshots: the
akimat names who is responsible without ticking, ticks an item and the page says who ticked it and when;
the body's coordinator sees that, and cancelling asks for confirmation in a dialog (going back changes
nothing); the akimat declines a proposed meeting with its own reason box and button."""

import datetime as dt

import pytest

from kezdesu.core.testing.browser import DESKTOP, axe_violations, login, open_page, overflow
from kezdesu.meetings.models import Meeting, Status, SupportItem
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TABLET = {"width": 768, "height": 1024}  # staff pages are used down to this width


@pytest.fixture
def people(reference):
    health, turkistan = Body.objects.get(slug="health"), Region.objects.get(slug="turkistan")
    return {"health": health, "turkistan": turkistan, "head": HeadFactory(body=health),
            "coordinator": staff(Role.BODY_COORDINATOR, body=health),
            "akimat": staff(Role.AKIMAT_COORDINATOR, region=turkistan)}


def meeting(people, status) -> Meeting:
    m = MeetingFactory(body=people["health"], head=people["head"], region=people["turkistan"], status=status,
                       starts_at=at(dt.date(2030, 5, 14)))
    if status == Status.AGREED:
        for kind in SupportItem.Kind.values:
            SupportItem.objects.create(meeting=m, kind=kind)
    return m


def test_the_akimat_works_the_checklist_and_the_body_cancels_after_confirming(browser, live_server, people,
                                                                             screenshot_dir):
    m = meeting(people, Status.AGREED)
    item = m.support_items.get(kind=SupportItem.Kind.SIGN_LANGUAGE)
    base, url = live_server.url, f"/staff/meetings/{m.pk}/"
    page = open_page(browser, base, lang="kk", viewport=DESKTOP)
    login(page, base, people["akimat"], next_url=url)
    page.fill(f"#id_support{item.pk}_owner", "Ішкі саясат бөлімі")
    page.click(f"#support-{item.pk} form[action$='/owner/'] button")
    page.wait_for_selector(".msg--success")
    item.refresh_from_db()
    assert (item.owner, item.done) == ("Ішкі саясат бөлімі", False)
    page.click(f"#support-{item.pk} form:not([action$='/owner/']) button")
    page.wait_for_selector(f"#support-{item.pk} .support-done")
    item.refresh_from_db()
    assert item.done and item.done_by == people["akimat"]
    page.screenshot(path=screenshot_dir / "meetings-support-akimat-kk.png", full_page=True)
    assert axe_violations(page) == []
    page.context.close()

    page = open_page(browser, base, lang="en", viewport=TABLET)
    login(page, base, people["coordinator"], next_url=url)
    who = people["akimat"].get_full_name()
    assert f"ticked by {who}" in page.inner_text(f"#support-{item.pk}")
    assert overflow(page) == 0
    cancel = page.locator("form.action", has=page.locator("input[name=target][value=cancelled]"))
    cancel.locator("textarea").fill("Су тасқыны")
    cancel.locator("button").click()
    page.wait_for_selector("#confirm-dialog[open]")
    page.screenshot(path=screenshot_dir / "meetings-cancel-confirm-en-768.png")
    page.click("#confirm-dialog button[value=cancel]")  # going back changes nothing
    m.refresh_from_db()
    assert m.status == Status.AGREED
    cancel.locator("button").click()
    page.wait_for_selector("#confirm-dialog[open]")
    page.click("#confirm-dialog [data-confirm-ok]")
    page.wait_for_selector(".msg--success")
    m.refresh_from_db()
    assert (m.status, m.status_reason) == (Status.CANCELLED, "Су тасқыны")
    page.screenshot(path=screenshot_dir / "meetings-cancelled-en-768.png", full_page=True)
    assert page.problems == [] and page.csp_errors == [], page.problems
    page.context.close()


def test_the_akimat_declines_with_the_reason_box_of_the_decline_button(browser, live_server, people,
                                                                      screenshot_dir):
    m = meeting(people, Status.PROPOSED)
    base = live_server.url
    page = open_page(browser, base, lang="ru", viewport=DESKTOP)
    login(page, base, people["akimat"], next_url=f"/staff/meetings/{m.pk}/")
    boxes = page.locator("form.action fieldset")
    assert boxes.count() == 4  # agree, counter-propose, decline, postpone: each its own box and button
    for i in range(boxes.count()):
        assert boxes.nth(i).locator("button[type=submit]").count() == 1
    page.screenshot(path=screenshot_dir / "meetings-action-panel-akimat-ru.png", full_page=True)
    decline = page.locator("form.action", has=page.locator("input[name=target][value=declined]"))
    decline.locator("textarea").fill("Зал на ремонте")
    decline.locator("button").click()
    page.wait_for_selector("#confirm-dialog[open]")
    page.click("#confirm-dialog [data-confirm-ok]")
    page.wait_for_selector(".msg--success")
    m.refresh_from_db()
    assert (m.status, m.status_reason) == (Status.DECLINED, "Зал на ремонте")
    assert page.problems == []
    page.context.close()
