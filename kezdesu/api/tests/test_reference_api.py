import pytest

pytestmark = pytest.mark.django_db


def test_public_reference_endpoints(client, reference):
    regions = client.get("/api/v1/regions/?limit=100").json()
    assert regions["count"] == 20
    body = client.get("/api/v1/bodies/defence/").json()
    assert body["exempt"] is True and body["name_kk"].startswith("Қазақстан")
    renamed = client.get("/api/v1/bodies/ai-digital-development/").json()
    assert renamed["predecessor"] == "digital-development"


def test_errors_have_detail_and_code(client, reference):
    response = client.get("/api/v1/bodies/no-such-body/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"} and response.json()["code"] == "not_found"


def test_schema_is_served(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200 and b"openapi" in response.content
