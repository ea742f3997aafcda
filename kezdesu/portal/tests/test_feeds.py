"""RSS 2.0 and Atom feeds of meetings and commitments: parsed back as XML, in the language of their address."""

import datetime as dt
import email.utils
import xml.etree.ElementTree as ET

import pytest

from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory
from kezdesu.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 the project's own answer, no entities
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description", "language"):
        assert channel.findtext(name), name
    for item in channel.findall("item"):
        for name in ("title", "link", "description", "guid", "pubDate"):
            assert item.findtext(name), name
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).tzinfo is not None  # RFC 822
    return channel


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 the project's own answer, no entities
    assert root.tag == f"{ATOM}feed"
    for name in ("title", "id", "updated", "author/" + ATOM + "name"):
        assert root.findtext(ATOM + name), name
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("title", "id", "updated", "published", "summary"):
            assert entry.findtext(ATOM + name), name
        for name in ("updated", "published"):
            assert dt.datetime.fromisoformat(entry.findtext(ATOM + name)).tzinfo is not None  # RFC 3339
        assert entry.find(f"{ATOM}link").get("href").startswith("http://testserver/")
    return root


def test_meetings_feed_holds_public_meetings_in_the_page_language(client, portal_data):
    channel = rss(client, "/ru/feeds/meetings.rss")
    assert channel.findtext("language") == "ru"
    assert channel.findtext("title") == "Встречи министров с населением"
    items = {item.findtext("link"): item for item in channel.findall("item")}
    up, past, draft = portal_data["upcoming"], portal_data["past"], portal_data["draft"]
    assert set(items) == {f"http://testserver/ru/meetings/{up.pk}/", f"http://testserver/ru/meetings/{past.pk}/"}
    item = items[f"http://testserver/ru/meetings/{up.pk}/"]
    assert item.findtext("title").startswith("Министерство здравоохранения — Туркестанская область, ")
    assert "Ауылдық емханалар" in item.findtext("description") and "время Алматы" in item.findtext("description")
    assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == up.agreed_at.replace(microsecond=0)
    assert {c.text for c in item.findall("category")} >= {"Министерство здравоохранения", "Объявлена"}
    assert str(draft.pk) not in " ".join(items)


def test_meetings_feed_leaves_out_meetings_long_past(client, portal_data):
    old = MeetingFactory(status=Meeting.Status.REPORTED,
                         starts_at=portal_data["past"].starts_at - dt.timedelta(days=200))
    channel = rss(client, "/kk/feeds/meetings.rss")
    links = [item.findtext("link") for item in channel.findall("item")]
    assert len(links) == 2 and not any(link.endswith(f"/meetings/{old.pk}/") for link in links)


def test_atom_feed_in_kazakh_with_rfc3339_dates(client, portal_data):
    root = atom(client, "/kk/feeds/meetings.atom")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "kk"
    assert root.findtext(f"{ATOM}title") == "Министрлердің халықпен кездесулері"
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert len(titles) == 2 and any(t.startswith("Денсаулық сақтау министрлігі — Түркістан облысы") for t in titles)
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://testserver/kk/feeds/meetings.atom"


def test_feeds_filter_by_region_and_body(client, portal_data):
    up, past = portal_data["upcoming"], portal_data["past"]
    by_region = rss(client, "/en/feeds/meetings.rss?region=abai")
    assert [i.findtext("link") for i in by_region.findall("item")] == [f"http://testserver/en/meetings/{past.pk}/"]
    assert by_region.findtext("link") == "http://testserver/en/meetings/?region=abai"
    by_body = rss(client, "/en/feeds/meetings.rss?body=health")
    assert [i.findtext("link") for i in by_body.findall("item")] == [f"http://testserver/en/meetings/{up.pk}/"]
    assert rss(client, "/en/feeds/meetings.rss?body=health&region=abai").findall("item") == []
    assert client.get("/en/feeds/meetings.rss?region=atlantis").status_code == 404
    assert client.get("/en/feeds/commitments.atom?body=no-such-body").status_code == 404
    assert len(rss(client, "/kk/feeds/commitments.rss?region=abai").findall("item")) == 2
    assert rss(client, "/kk/feeds/commitments.rss?region=turkistan").findall("item") == []


def test_commitments_feed_carries_status_and_progress(client, portal_data):
    hidden = CommitmentFactory(meeting=portal_data["draft"], text="Жобадағы уәде")
    channel = rss(client, "/ru/feeds/commitments.rss")
    assert channel.findtext("title") == "Обязательства, данные на встречах"
    items = {item.findtext("guid"): item for item in channel.findall("item")}
    past, commitment = portal_data["past"], portal_data["commitment"]
    link = f"http://testserver/ru/meetings/{past.pk}/#commitment-{commitment.pk}"
    assert set(items) == {link, f"http://testserver/ru/meetings/{past.pk}/#commitment-{portal_data['overdue'].pk}"}
    item = items[link]
    assert item.findtext("title") == "Қазандықты жөндеу (В работе, 40%)"
    assert "40%" in item.findtext("description") and "В работе" in item.findtext("description")
    assert hidden.text not in channel.findtext("title") + "".join(i.findtext("title") for i in items.values())
    atom(client, "/en/feeds/commitments.atom")


def test_feeds_hold_nothing_personal(client, portal_data):
    """The meeting's author and the authors of its questions never reach a feed."""
    creator = UserFactory(email="creator.private@example.kz", first_name="Жасырын")
    Meeting.objects.filter(pk=portal_data["past"].pk).update(created_by=creator)
    answered = portal_data["answered"]
    for url in ("/kk/feeds/meetings.rss", "/kk/feeds/meetings.atom", "/kk/feeds/commitments.rss",
                "/kk/feeds/commitments.atom"):
        body = client.get(url).content.decode()
        for private in (answered.author_name, answered.author_contact, creator.email, "Жасырын"):
            assert private not in body, (url, private)


def test_pages_link_their_feeds(client, portal_data):
    home = client.get("/ru/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" href="/ru/feeds/meetings.rss"' in home
    assert 'href="/ru/feeds/meetings.atom" type="application/atom+xml">Atom</a>' in home
    listed = client.get("/kk/meetings/?region=abai&month=bad").content.decode()
    assert 'type="application/atom+xml" href="/kk/feeds/meetings.atom?region=abai"' in listed
    assert 'href="/kk/feeds/meetings.rss?region=abai" type="application/rss+xml">RSS</a>' in listed
    commitments = client.get("/en/commitments/?body=energy").content.decode()
    assert 'type="application/rss+xml" href="/en/feeds/commitments.rss?body=energy"' in commitments
    assert 'href="/en/feeds/commitments.atom?body=energy" type="application/atom+xml">Atom</a>' in commitments
