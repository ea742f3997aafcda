import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kezdesu.core.audit import audit_verify
from kezdesu.core.models import AuditChainHead, AuditEvent
from kezdesu.registry.models import Region

pytestmark = pytest.mark.django_db


def test_reference_load_writes_an_intact_chain(reference):
    assert AuditEvent.objects.count() >= 20 + 22 + 21
    assert audit_verify() is None
    first = AuditEvent.objects.get(seq=1)
    assert first.action == "region.load"
    assert first.before is None and first.after["slug"]


def test_altered_row_is_named(reference):
    AuditEvent.objects.filter(seq=5).update(comment="quietly edited")
    problem = audit_verify()
    assert (problem.seq, problem.reason) == (5, "altered")
    with pytest.raises(CommandError, match="seq=5"):
        call_command("verify_audit", stdout=io.StringIO())


def test_deleted_row_is_named(reference):
    AuditEvent.objects.filter(seq=7).delete()
    assert (audit_verify().seq, audit_verify().reason) == (7, "missing")


def test_deleted_newest_rows_are_noticed(reference):
    last = AuditChainHead.objects.get().seq
    AuditEvent.objects.filter(seq__gte=last - 1).delete()
    assert audit_verify().reason == "truncated"


def test_change_in_before_after_is_detected(reference):
    event = AuditEvent.objects.get(seq=3)
    event.after = {**event.after, "population": 1}
    event.save()
    assert audit_verify().seq == 3


def test_admin_edit_is_audited_with_before_and_after(reference, admin_client):
    region = Region.objects.get(slug="ulytau")
    data = {f.name: getattr(region, f.attname) for f in Region._meta.concrete_fields
            if f.name not in ("id", "created_at", "updated_at")}
    data["population"] = 222000
    response = admin_client.post(f"/admin/registry/region/{region.pk}/change/", data)
    assert response.status_code == 302, response.content[:500]
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "region.change"
    assert (event.before["population"], event.after["population"]) == (region.population, 222000)
    assert audit_verify() is None


def test_verify_audit_json_reports_ok(reference):
    out = io.StringIO()
    call_command("verify_audit", "--json", stdout=out)
    assert '"ok": true' in out.getvalue()


def test_audit_admin_is_read_only(reference, admin_client):
    event = AuditEvent.objects.first()
    assert admin_client.get("/admin/core/auditevent/add/").status_code == 403
    response = admin_client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
