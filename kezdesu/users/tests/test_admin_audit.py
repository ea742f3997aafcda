"""Writes made in the admin that used to leave no trace: accounts, roles, memberships, heads, unlocks."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group

from kezdesu.core.audit import audit_verify
from kezdesu.core.models import AuditEvent
from kezdesu.registry.models import Body, Head
from kezdesu.users.models import Membership, Role, User
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def form_data(response) -> dict:
    """The admin change form as the browser would post it back unchanged (with its inlines)."""
    data = {}

    def put(form, name):
        field = form.fields[name]
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            return
        if hasattr(field.widget, "widgets"):  # split date and time
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{i}"] = "" if part is None else part
        elif value is True:
            data[key] = "on"
        else:
            data[key] = value

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for each in formset.forms:
            for name in each.fields:
                put(each, name)
    return data


def newest(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def test_user_and_membership_changes_are_audited(reference, admin_client):
    user = staff(Role.AUTHORIZED_ANALYST)
    url = f"/admin/users/user/{user.pk}/change/"
    data = form_data(admin_client.get(url))
    data["is_staff"] = "on"
    data["groups"] = [Group.objects.create(name="Auditors").pk]
    data["memberships-0-role"] = Role.MODERATOR
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    changed = newest("user.change")
    assert (changed.before["is_staff"], changed.after["is_staff"]) == (False, True)
    assert changed.after["groups"] == data["groups"] and "password" not in changed.after
    membership = newest("membership.change")
    assert (membership.before["role"], membership.after["role"]) == (Role.AUTHORIZED_ANALYST, Role.MODERATOR)
    assert membership.actor.is_superuser
    # Removing the role is audited too.
    data = form_data(admin_client.get(url))
    data["memberships-0-DELETE"] = "on"
    assert admin_client.post(url, data).status_code == 302
    assert not Membership.objects.filter(user=user).exists()
    assert newest("membership.delete").before["role"] == Role.MODERATOR
    assert audit_verify() is None


def test_new_user_and_password_change_are_audited(reference, admin_client):
    response = admin_client.post("/admin/users/user/add/", {
        "username": "new.coordinator", "password1": "a-long-Secret-2026", "password2": "a-long-Secret-2026",
        "usable_password": "true", "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0})
    assert response.status_code == 302
    user = User.objects.get(username="new.coordinator")
    assert newest("user.add").object_id == str(user.pk)
    response = admin_client.post(f"/admin/users/user/{user.pk}/password/", {
        "password1": "another-Secret-2027", "password2": "another-Secret-2027", "usable_password": "true"})
    assert response.status_code == 302
    event = newest("user.password_change")
    assert event.object_id == str(user.pk) and event.after is None  # never the hash


def test_head_inline_on_the_body_page_is_audited(reference, admin_client):
    body = Body.objects.get(slug="health")
    url = f"/admin/registry/body/{body.pk}/change/"
    data = form_data(admin_client.get(url))
    total = int(data["heads-TOTAL_FORMS"])
    data.update({"heads-TOTAL_FORMS": total + 1, f"heads-{total}-full_name_kk": "Жаңа Министр",
                 f"heads-{total}-full_name_ru": "Новый Министр", f"heads-{total}-full_name_en": "New Minister",
                 f"heads-{total}-is_first_head": "on", f"heads-{total}-start": "2026-11-02"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:300]
    head = Head.objects.get(full_name_en="New Minister")
    added = newest("head.add")
    assert added.object_id == str(head.pk) and added.after["start"] == dt.date(2026, 11, 2).isoformat()
    assert audit_verify() is None


def test_unlocking_in_the_admin_is_audited(reference, admin_client):
    attempt = AccessAttempt.objects.create(username="victim", ip_address="203.0.113.5", failures_since_start=9,
                                           user_agent="", get_data="", post_data="", http_accept="", path_info="")
    response = admin_client.post("/admin/axes/accessattempt/", {
        "action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert newest("accessattempt.delete").before["username"] == "victim"
