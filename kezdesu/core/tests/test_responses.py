"""Services raise codes; the web and API layers answer each code with one HTTP status."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from kezdesu.api.errors import exception_handler
from kezdesu.core.errors import ApplicationError, CoreError, TransitionError
from kezdesu.core.middleware import InvalidRecordMiddleware
from kezdesu.core.responses import http_status
from kezdesu.meetings.errors import MeetingError
from kezdesu.planning.errors import PlanError
from kezdesu.reports.errors import ReportError
from kezdesu.reports.services import procedure_publish
from kezdesu.tension.errors import ImportError_
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff


@pytest.mark.django_db
def test_a_service_refusal_carries_no_status_and_the_layer_maps_its_code():
    with pytest.raises(ApplicationError) as err:
        procedure_publish(actor=staff(Role.MODERATOR), title_kk="a", title_ru="a", text_kk="a", text_ru="a",
                          effective_from=dt.date(2026, 1, 1))
    assert err.value.code == ReportError.ROLE_CANNOT
    assert not hasattr(err.value, "status")
    assert http_status(err.value) == 403


@pytest.mark.parametrize(("code", "status"), [
    (CoreError.CONFLICT, 409), (TransitionError.ILLEGAL, 409), (TransitionError.ROLE_CANNOT, 403),
    (TransitionError.REASON_REQUIRED, 400), (MeetingError.NOT_YOURS, 403), (MeetingError.CONFLICT, 409),
    (MeetingError.NOT_STARTED, 400), (PlanError.NOT_ALLOWED, 403), (PlanError.AGREEMENT_CLOSED, 409),
    (ReportError.NO_AGREED_PLAN, 404), (ReportError.ALREADY_SUBMITTED, 409), (ImportError_.NOT_ALLOWED, 403),
    (ImportError_.UNKNOWN_FORMAT, 400),
])
def test_each_code_has_one_status(code, status):
    assert http_status(ApplicationError(code)) == status


def test_the_same_value_in_two_apps_keeps_each_apps_status():
    # "illegal_transition" is a conflict in the shared transition function, a plain refusal for meetings.
    assert TransitionError.ILLEGAL.value == MeetingError.ILLEGAL_TRANSITION.value
    assert http_status(ApplicationError(TransitionError.ILLEGAL)) == 409
    assert http_status(ApplicationError(MeetingError.ILLEGAL_TRANSITION)) == 400


def test_the_api_answers_an_invalid_record_with_its_fields():
    response = exception_handler(ValidationError({"capacity": ["Too many seats."], "__all__": ["Bad."]}), {})
    assert response.status_code == 400
    assert response.data == {"detail": str(CoreError.INVALID.label), "code": "invalid",
                             "fields": {"capacity": ["Too many seats."], "__all__": ["Bad."]}}


def test_a_page_answers_an_invalid_record_with_400_and_its_messages(rf: RequestFactory):
    middleware = InvalidRecordMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get("/staff/meetings/1/"),
                                            ValidationError({"venue": ["The venue is too long."]}))
    assert response.status_code == 400 and "The venue is too long." in response.content.decode()
    api = middleware.process_exception(rf.get("/api/v1/meetings/"), ValidationError("Not a date."))
    assert api.status_code == 400 and b'"fields": {"__all__": ["Not a date."]}' in api.content
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None
