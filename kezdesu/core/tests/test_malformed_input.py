"""Malformed input gets a 400 or 404 with a message, never a server error."""

import pytest
from rest_framework.authtoken.models import Token

from kezdesu.meetings.tests.factories import MeetingFactory
from kezdesu.registry.models import Body, Region
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@pytest.mark.parametrize("year", ["99999", "0", "-1", "1999", "2101", "9" * 40])
def test_dashboard_year_out_of_range(client, reference, year):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    english(client)
    response = client.get("/staff/", {"year": year})
    assert response.status_code == 400
    assert "The year must be a number from 2000 to 2100." in response.content.decode()


def test_dashboard_year_message_is_translated(client, reference):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    page = client.get("/staff/", {"year": "99999"}).content.decode()  # Kazakh first
    assert "Жыл 2000 бен 2100 аралығындағы сан болуы керек." in page


def test_dashboard_year_in_range_and_words(client, reference):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    assert client.get("/staff/", {"year": "2026"}).status_code == 200
    assert client.get("/staff/", {"year": ""}).status_code == 200
    assert client.get("/staff/", {"year": "twenty"}).status_code == 400


@pytest.mark.parametrize("period", ["0-Q1", "9999-Q4", "2026-Q5", "x"])
def test_impossible_quarters(client, reference, period):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    english(client)
    response = client.get(f"/staff/reports/quarterly/health/{period}/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    assert client.get("/staff/reports/", {"period": period}).status_code == 200  # falls back to the last quarter


@pytest.mark.parametrize("period", ["0-H1", "9999-H2", "2026-H3"])
def test_impossible_half_years(client, reference, period):
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    assert client.get(f"/staff/reports/half-year/{period}/").status_code == 404
    assert client.get(f"/staff/reports/half-year/{period}/download", {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("query", [{"limit": "9223372036854775808"}, {"limit": "10" * 30},
                                   {"offset": "9223372036854775808"}, {"limit": "-1"}, {"offset": "x"}])
def test_api_pagination_bounds(client, reference, query):
    response = client.get("/api/v1/regions/", query)
    assert response.status_code in (200, 400), response.content[:200]
    if response.status_code == 400:
        assert response.json()["code"] == "invalid"
    else:
        assert len(response.json()["results"]) <= 500


def test_huge_offset_is_refused(client, reference):
    response = client.get("/api/v1/regions/", {"offset": "9223372036854775808"})
    assert response.status_code == 400 and "offset" in response.json()["detail"]
    assert client.get("/api/v1/regions/", {"limit": "9223372036854775808"}).json()["count"] == 20


def test_lone_surrogate_and_nul_in_api_json(client, reference):
    meeting = MeetingFactory(body=Body.objects.get(slug="health"), region=Region.objects.get(slug="abai"),
                             status="announced")
    for text in ('"\\ud800 сұрақ сұрақ сұрақ"', '"сұрақ\\u0000 сұрақ сұрақ"'):
        body = '{"meeting": ' + str(meeting.pk) + ', "text": ' + text + '}'
        response = client.post("/api/v1/questions/", body, content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == "parse_error"
    user = staff(Role.MODERATOR)
    auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}
    response = client.post("/api/v1/staff/questions/1/transition/", '{"target": "published", "reason": "\\udfff"}',
                           content_type="application/json", **auth)
    assert response.status_code == 400


@pytest.mark.parametrize("version", ["abc", "", "9223372036854775808", "0", "-5"])
def test_meeting_edit_with_a_broken_version(client, reference, version):
    health = Body.objects.get(slug="health")
    coordinator = staff(Role.BODY_COORDINATOR, body=health)
    meeting = MeetingFactory(body=health, region=Region.objects.get(slug="abai"))
    client.force_login(coordinator)
    english(client)
    page = client.get(f"/staff/meetings/{meeting.pk}/edit/")
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["version"] = version
    response = client.post(f"/staff/meetings/{meeting.pk}/edit/", data)
    assert response.status_code == 400, response.status_code
    assert "must be a whole number" in response.content.decode()


@pytest.mark.parametrize("field", ["attendance", "online_viewers", "speakers"])
def test_numbers_beyond_the_column_range_are_refused_by_the_form(client, reference, field):
    from kezdesu.meetings.models import MeetingResult

    health = Body.objects.get(slug="health")
    meeting = MeetingFactory(body=health, region=Region.objects.get(slug="abai"), status="held")
    client.force_login(staff(Role.BODY_COORDINATOR, body=health))
    english(client)
    data = {"attendance": "10", "online_viewers": "0", "speakers": "1", "summary": "", "media_links": ""}
    data[field] = str(2**63)
    response = client.post(f"/staff/meetings/{meeting.pk}/results/", data)
    assert response.status_code == 400  # the form comes back with the message beside the field
    assert "less than or equal to" in response.content.decode()
    assert not MeetingResult.objects.filter(meeting=meeting).exists()
