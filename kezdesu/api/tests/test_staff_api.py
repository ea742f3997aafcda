"""Staff API with token authentication, scoped exactly like the pages."""

import pytest
from rest_framework.authtoken.models import Token

from kezdesu.meetings.models import Meeting
from kezdesu.questions.models import Question
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def token(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}


def test_staff_endpoints_need_a_token(client, api_data):
    response = client.get("/api/v1/staff/meetings/")
    assert response.status_code == 401 and set(response.json()) == {"detail", "code"}
    assert client.get("/api/v1/staff/meetings/", HTTP_AUTHORIZATION="Token wrong").status_code == 401


def test_body_coordinator_sees_only_its_body(client, api_data):
    auth = token(staff(Role.BODY_COORDINATOR, body=api_data["health"]))
    listed = client.get("/api/v1/staff/meetings/", **auth).json()
    assert {m["id"] for m in listed["results"]} == {api_data["upcoming"].pk, api_data["agreed"].pk}
    agreed = next(m for m in listed["results"] if m["id"] == api_data["agreed"].pk)
    assert agreed["version"] == 1 and "announced" in agreed["next_statuses"]
    assert client.get(f'/api/v1/staff/meetings/{api_data["past"].pk}/', **auth).status_code == 404
    assert client.get("/api/v1/staff/meetings/?status=agreed", **auth).json()["count"] == 1


def test_transition_through_the_api(client, api_data):
    auth = token(staff(Role.BODY_COORDINATOR, body=api_data["health"]))
    agreed = api_data["agreed"]
    url = f"/api/v1/staff/meetings/{agreed.pk}/transition/"
    stale = client.post(url, {"target": "announced", "expected_version": 7}, content_type="application/json",
                        **auth)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    done = client.post(url, {"target": "announced", "expected_version": 1}, content_type="application/json",
                       **auth)
    assert done.status_code == 200 and done.json()["status"] == "announced" and done.json()["version"] == 2
    assert Meeting.objects.get(pk=agreed.pk).status == Meeting.Status.ANNOUNCED
    illegal = client.post(url, {"target": "draft"}, content_type="application/json", **auth)
    assert illegal.status_code == 400 and illegal.json()["code"] == "illegal_transition"
    other = client.post(f'/api/v1/staff/meetings/{api_data["past"].pk}/transition/', {"target": "cancelled"},
                        content_type="application/json", **auth)
    assert other.status_code == 404  # outside the scope: not even found


def test_akimat_cannot_hold_a_meeting(client, api_data):
    auth = token(staff(Role.AKIMAT_COORDINATOR, region=api_data["turkistan"]))
    response = client.post(f'/api/v1/staff/meetings/{api_data["upcoming"].pk}/transition/', {"target": "held"},
                           content_type="application/json", **auth)
    assert response.status_code == 403 and response.json()["code"] == "role_cannot"


def test_moderators_get_questions_with_authors(client, api_data):
    auth = token(staff(Role.MODERATOR))
    assert client.get("/api/v1/staff/meetings/", **auth).status_code == 403
    listed = client.get("/api/v1/staff/questions/?status=received", **auth).json()
    assert [q["id"] for q in listed["results"]] == [api_data["received"].pk]
    assert listed["results"][0]["author_contact"] == "+7 701 000 00 00"
    url = f'/api/v1/staff/questions/{api_data["received"].pk}/transition/'
    refused = client.post(url, {"target": "rejected"}, content_type="application/json", **auth)
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    published = client.post(url, {"target": "published"}, content_type="application/json", **auth)
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert Question.objects.public().filter(pk=api_data["received"].pk).exists()


def test_others_cannot_moderate(client, api_data):
    auth = token(staff(Role.BODY_COORDINATOR, body=api_data["energy"]))
    assert client.get("/api/v1/staff/questions/", **auth).status_code == 403
