"""Property-based checks of the API against its own OpenAPI schema (Schemathesis): the public endpoints
without an account, the staff endpoints (reads and writes) with a token of each kind of staff user.

Every generated request must answer without a server error and with a body the schema describes.
The schema is read from the app itself through WSGI (no server, no network).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

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


@pytest.fixture(params=[Role.BODY_COORDINATOR, Role.MODERATOR, Role.AKIMAT_COORDINATOR])
def staff_token(request, api_data):
    """A token of a staff user, so that the staff endpoints' writes (transitions) run past the permission check."""
    role = request.param
    scope = {"body": api_data["health"]} if role == Role.BODY_COORDINATOR else \
        {"region": api_data["turkistan"]} if role == Role.AKIMAT_COORDINATOR else {}
    return Token.objects.create(user=staff(role, **scope)).key


@pytest.mark.django_db
@pytest.mark.usefixtures("test_connection_kept")
@schema.include(path_regex=r"^/api/v1/staff/").parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_staff_api_with_a_token_never_fails_on_the_server(case, staff_token):
    case.call_and_validate(headers={"Authorization": f"Token {staff_token}"},
                           checks=[not_a_server_error, response_schema_conformance])
