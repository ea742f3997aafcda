"""Property-based checks of the public API against its own OpenAPI schema (Schemathesis).

Every generated request must answer without a server error and with a body the schema describes.
The schema is read from the app itself through WSGI (no server, no network).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# Loaded while collecting: the schema view reads no database. (`schemathesis.pytest.from_fixture` would
# load it inside the test, but it does not run under pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


@pytest.fixture
def test_connection_kept():
    """Requests go through the WSGI handler, whose signals close "old" database connections; inside a
    test transaction that would close the test's own connection (as Django's test client also avoids)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("test_connection_kept")
@schema.exclude(path_regex=r"^/api/v1/staff/").parametrize()
@settings(max_examples=25, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_public_api_conforms_to_its_schema(case, api_data):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
