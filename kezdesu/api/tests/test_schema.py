"""The OpenAPI schema: valid, warning-free, complete, and without private fields on public endpoints."""

import pytest
import yaml
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    GENERATOR_STATS.reset()
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert not GENERATOR_STATS  # no warnings or errors while generating
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)
    assert {"/api/v1/meetings/", "/api/v1/meetings/{id}/", "/api/v1/commitments/", "/api/v1/questions/",
            "/api/v1/questions/track/{code}/", "/api/v1/staff/meetings/", "/api/v1/staff/meetings/{id}/transition/",
            "/api/v1/staff/questions/", "/api/v1/staff/questions/{id}/transition/"} <= set(schema["paths"])
    assert {"MeetingStatusEnum", "QuestionStatusEnum", "CommitmentStatusEnum"} <= set(schema["components"]["schemas"])


def test_public_components_have_no_private_fields(schema):
    components = schema["components"]["schemas"]
    for name in ("Meeting", "MeetingDetail", "PublicQuestion", "TrackedQuestion", "QuestionReceipt", "Commitment"):
        assert not {"author_name", "author_contact"} & set(components[name]["properties"]), name
    assert "author_contact" in components["StaffQuestion"]["properties"]
    submit = components["QuestionSubmit"]["properties"]
    assert submit["author_contact"]["writeOnly"] is True


def test_documented_errors(schema):
    create = schema["paths"]["/api/v1/questions/"]["post"]
    assert {"201", "400", "429"} <= set(create["responses"])
    transition = schema["paths"]["/api/v1/staff/meetings/{id}/transition/"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(transition["responses"])
    assert transition["security"] and {"tokenAuth": []} in transition["security"]
    assert schema["paths"]["/api/v1/meetings/"]["get"]["security"] == [{}]
