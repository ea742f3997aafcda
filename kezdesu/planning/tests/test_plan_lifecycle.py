"""The plan's status machine (clause 3.1) through HTTP: the declared table, history and audit rows, and an
approved plan that nothing moves back."""

import datetime as dt

import pytest

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent
from kezdesu.core.responses import http_status
from kezdesu.planning.models import Plan, PlanAgreement
from kezdesu.planning.services import plan_agree, plan_create
from kezdesu.registry.models import Body
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_bodies(reference):
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    for body in (health, energy):
        HeadFactory(body=body)
    plan = plan_create(actor=staff(Role.AUTHORIZED_ANALYST), year=2027, half=1)
    for body in (health, energy):
        PlanAgreement.objects.create(plan=plan, body=body)
    return {
        "plan": plan,
        "health": staff(Role.BODY_COORDINATOR, body=health),
        "energy": staff(Role.BODY_COORDINATOR, body=energy),
        "analyst": staff(Role.AUTHORIZED_ANALYST),
        "government": staff(Role.GOVERNMENT_VIEWER),
    }


def act(client, user, plan, **data):
    """Post an action as the page does; submitting is confirmed (the confirmation step has its own test)."""
    client.force_login(user)
    if data.get("action") == "submit":
        data.setdefault("confirmed", "true")
    return client.post(f"/staff/plans/{plan.pk}/action/", data)


def approve(client, people):
    plan = people["plan"]
    assert act(client, people["health"], plan, action="agree").status_code == 302
    assert act(client, people["energy"], plan, action="agree").status_code == 302
    assert act(client, people["analyst"], plan, action="submit").status_code == 302
    assert act(client, people["government"], plan, action="approve", decree_number="12",
               decree_date="2026-12-10").status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_each_move_leaves_a_history_row_an_audit_row_and_a_new_version(client, two_bodies):
    approve(client, two_bodies)
    plan = two_bodies["plan"]
    assert [(t.source, t.target, t.actor) for t in plan.transitions.all()] == [
        ("draft", "agreed", two_bodies["energy"]), ("agreed", "submitted", two_bodies["analyst"]),
        ("submitted", "approved", two_bodies["government"])]
    assert list(AuditEvent.objects.filter(object_type="planning.plan", object_id=str(plan.pk))
                .values_list("action", flat=True)) == ["plan.create", "plan.agreed", "plan.submitted", "plan.approved"]
    assert plan.row_version == 4 and (plan.decree_number, plan.decree_date) == ("12", dt.date(2026, 12, 10))


def test_an_approved_plan_is_never_moved_back(client, two_bodies):
    approve(client, two_bodies)
    plan = two_bodies["plan"]
    before = AuditEvent.objects.count()
    changes = act(client, two_bodies["health"], plan, action="changes", comment="Наурызда іссапар")
    assert changes.status_code == 409
    assert "can no longer change" in changes.content.decode() or "енді өзгертуге" in changes.content.decode()
    again = act(client, two_bodies["health"], plan, action="agree")
    assert again.status_code == 409
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and plan.agreements.get(body__slug="health").decision == "agreed"
    assert AuditEvent.objects.count() == before
    with pytest.raises(ApplicationError) as err:
        plan_agree(actor=two_bodies["health"], plan=plan, agree=True)
    assert err.value.code == "agreement_closed" and http_status(err.value) == 409


def test_a_body_withdrawing_agreement_before_submission_sends_the_plan_back_to_draft(client, two_bodies):
    plan = two_bodies["plan"]
    act(client, two_bodies["health"], plan, action="agree")
    act(client, two_bodies["energy"], plan, action="agree")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    act(client, two_bodies["energy"], plan, action="changes", comment="Сәуірде министр іссапарда")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT
    assert act(client, two_bodies["analyst"], plan, action="submit").status_code == 400
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_agreeing_a_plan_without_agreement_rows_is_a_clear_error(client, two_bodies):
    bare = plan_create(actor=SYSTEM, year=2027, half=2)
    response = act(client, two_bodies["health"], bare, action="agree")
    assert response.status_code == 400
    bare.refresh_from_db()
    assert bare.status == Plan.Status.DRAFT and not bare.agreements.exists()
    with pytest.raises(ApplicationError) as err:
        plan_agree(actor=two_bodies["health"], plan=bare, agree=True)
    assert err.value.code == "no_agreement"


def test_submitting_twice_is_refused_by_the_table(client, two_bodies):
    plan = two_bodies["plan"]
    act(client, two_bodies["health"], plan, action="agree")
    act(client, two_bodies["energy"], plan, action="agree")
    assert act(client, two_bodies["analyst"], plan, action="submit").status_code == 302
    second = act(client, two_bodies["analyst"], plan, action="submit")
    assert second.status_code == 409
    assert plan.transitions.filter(target="submitted").count() == 1
