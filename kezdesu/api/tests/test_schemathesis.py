"""Property-based checks of the public API against its own OpenAPI schema (Schemathesis).

Every generated request must answer without a server error and with a body the schema describes.
The schema is read from the app itself through WSGI (no server, no network).
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# Loaded while collecting: the schema view reads no database. (`schemathesis.pytest.from_fixture` would
# load it inside the test, but it does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.mark.django_db
@schema.exclude(path_regex=r"^/api/v1/staff/").parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_public_api_conforms_to_its_schema(case, api_data):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
