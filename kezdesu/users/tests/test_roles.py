"""The role matrix: every role × every staff resource × read/write, through HTTP."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from kezdesu.core.models import Job
from kezdesu.meetings.models import Meeting, SupportItem
from kezdesu.meetings.tests.factories import CommitmentFactory, MeetingFactory
from kezdesu.planning.models import Plan
from kezdesu.questions.tests.factories import QuestionFactory
from kezdesu.registry.models import Body, Region
from kezdesu.registry.tests.factories import BodyFactory, RegionFactory, SectorFactory
from kezdesu.reports.models import BriefingPack
from kezdesu.reports.tasks import generate_briefing
from kezdesu.reports.tests.factories import ProcedureDocumentFactory
from kezdesu.tension.models import ImportBatch, Obligation, TensionAlert
from kezdesu.tension.tasks import scan_tension
from kezdesu.users.models import Membership, Role
from kezdesu.users.roles import CAPABILITIES, can
from kezdesu.users.tests.factories import UserFactory, staff

pytestmark = pytest.mark.django_db

PAGES = {"registry.view": "/staff/registry/", "audit.view": "/staff/audit/"}


@pytest.fixture
def users(reference):
    health = Body.objects.get(slug="health")
    turkistan = Region.objects.get(slug="turkistan")
    return {
        role: staff(role, body=health if role == Role.BODY_COORDINATOR else None,
                    region=turkistan if role == Role.AKIMAT_COORDINATOR else None)
        for role in Role.values
    }


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("capability", sorted(PAGES))
def test_staff_pages_follow_the_capability_table(client, users, role, capability):
    client.force_login(users[role])
    response = client.get(PAGES[capability])
    expected = 200 if role in CAPABILITIES[capability] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("path", [*PAGES.values(), "/staff/"])
def test_anonymous_is_sent_to_login(client, path, reference):
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("role", Role.values)
def test_only_superusers_reach_the_reference_admin(client, users, role):
    client.force_login(users[role])
    response = client.post("/admin/registry/region/add/", {"slug": "x"})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not Region.objects.filter(slug="x").exists()


def test_user_without_membership_has_no_capability(reference):
    user = UserFactory()
    assert not any(can(user, cap) for cap in CAPABILITIES)


def test_unknown_capability_is_refused(users):
    assert can(users[Role.AUTHORIZED_ADMIN], "nonexistent.thing") is False


@pytest.mark.parametrize(("role", "body", "region"), [
    (Role.BODY_COORDINATOR, False, False),
    (Role.BODY_COORDINATOR, True, True),
    (Role.AKIMAT_COORDINATOR, False, False),
    (Role.AKIMAT_COORDINATOR, True, False),
    (Role.AUTHORIZED_ANALYST, True, False),
    (Role.MODERATOR, False, True),
])
def test_scope_must_match_role(reference, role, body, region):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=UserFactory(), role=role,
            body=Body.objects.get(slug="health") if body else None,
            region=Region.objects.get(slug="abai") if region else None,
        )


def test_one_active_membership_per_user(reference):
    user = staff(Role.MODERATOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, role=Role.AUTHORIZED_ANALYST)


# --- every staff URL, for every role ------------------------------------------------------------

# Staff resources: the back office (moderation included) and the staff API.
STAFF_PREFIXES = ("staff/", "api/v1/^staff/")
# Only another organisation's rows carry this; a body or an akimat must never be shown it.
MARK = "ZQXOTHERORGZQX"
TEXT = ("text/", "application/json")


def _staff_patterns(patterns=None, prefix="", namespace=""):
    """(route, URL name, path parameters) of every staff URL pattern, format-suffix variants left out."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _staff_patterns(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            continue
        params = set(pattern.pattern.regex.groupindex)
        route = prefix + str(pattern.pattern)
        if pattern.name and "format" not in params and route.startswith(STAFF_PREFIXES):
            yield route, ":".join(filter(None, [namespace, pattern.name])), params


@pytest.fixture
def world():
    """Our body and region (of the signed-in coordinators), and another organisation's rows."""
    ours_body, ours_region = BodyFactory(), RegionFactory()
    body, region, sector = BodyFactory(), RegionFactory(), SectorFactory()
    meeting = MeetingFactory(body=body, region=region, status=Meeting.Status.AGREED, venue=f"{MARK} hall")
    alert = TensionAlert.objects.create(fingerprint="x", region=region, sector=sector, level="mandatory",
                                        peak_level="mandatory", score=9.0, week_start=dt.date(2026, 6, 1),
                                        opened_on=dt.date(2026, 6, 3), evidence={"note": MARK})
    return {
        "ours_body": ours_body, "ours_region": ours_region, "body": body, "meeting": meeting,
        "support": SupportItem.objects.create(meeting=meeting, kind=SupportItem.Kind.VENUE, note=MARK),
        "commitment": CommitmentFactory(meeting=meeting, text=f"{MARK} promise"),
        "question": QuestionFactory(meeting=meeting, text=f"{MARK} question about water", status="received"),
        "alert": alert, "obligation": Obligation.objects.create(alert=alert, body=body, deadline=dt.date(2026, 7, 1)),
        "plan": Plan.objects.create(year=2026, half=2),
        "batch": ImportBatch.objects.create(file_name=f"{MARK}.csv", file_format="csv"),
        "procedure": ProcedureDocumentFactory(),
        "job": Job.objects.create(task=scan_tension.module_path, arguments={"cells": [MARK]}),
        "briefing_job": Job.objects.create(task=generate_briefing.module_path, arguments={"meeting_id": meeting.pk}),
        "pack": _pack(meeting),
    }


def _pack(meeting) -> BriefingPack:
    """A stored briefing file of the other organisation's meeting."""
    pack = BriefingPack(meeting=meeting, language="kk", format="pdf", checksum="0" * 64,
                        meeting_version=meeting.version, generated_at=timezone.now())
    pack.file.save("briefing.pdf", ContentFile(f"%PDF-1.4 {MARK}".encode()), save=False)
    pack.save()
    return pack


# Which row a `pk` stands for, by the URL name's prefix.
PK_ROWS = {"meetings:": "meeting", "staff-meeting-": "meeting", "planning:": "plan", "tension:alert": "alert",
           "tension:batch": "batch", "tension:rejected": "batch", "tension:appeals": "alert",
           "tension:review": "alert", "tension:scan-job": "job", "staff-question-": "question",
           "questions:": "question", "reports:briefing": "meeting"}


def _url(name: str, params: set[str], world) -> str:
    """`name` reversed with its path parameters filled by the other organisation's rows."""
    values = {"item_id": world["support"].pk, "commitment_id": world["commitment"].pk,
              "body_slug": world["body"].slug, "version": world["procedure"].version,
              "period": "2026-Q2" if "quarterly" in name else "2026-H1",
              "job_pk": world["briefing_job"].pk, "pack_pk": world["pack"].pk}
    if "pk" in params:
        values["pk"] = next(world[row].pk for prefix, row in PK_ROWS.items() if name.startswith(prefix))
    return reverse(name, kwargs={k: v for k, v in values.items() if k in params})


def _rows(world) -> tuple:
    """What another organisation's rows look like now: none of the requests may change them."""
    m, c, q = (type(world[k]).objects.get(pk=world[k].pk) for k in ("meeting", "commitment", "question"))
    return (m.status, m.version, m.venue), (c.version, c.progress, c.status), (q.status, q.answer)


def test_the_walk_covers_every_staff_pattern():
    names = {name for _route, name, _params in _staff_patterns()}
    assert {"meetings:detail", "meetings:support", "meetings:commitment-progress", "planning:action",
            "tension:alert", "tension:batch", "reports:quarterly-download", "reports:procedure-acknowledge",
            "dashboards:audit", "staff-meeting-transition", "staff-question-transition", "questions:reject",
            "questions:answer", "tension:review", "tension:scan-job"} <= names
    assert len(names) >= 40


def _check(response, *, where: str, role: str | None) -> None:
    assert response.status_code < 500, where
    if role is None:
        assert response.status_code in (302, 401, 403, 405), where
        if response.status_code == 302:
            assert "/accounts/login/" in response.url or "/admin/login/" in response.url, where
    scoped = role in (None, Role.BODY_COORDINATOR, Role.AKIMAT_COORDINATOR)
    if response.streaming:
        assert not scoped or response.status_code != 200, where  # files of other organisations are not served
        b"".join(response.streaming_content)  # read to the end: the test client then closes the file
    elif scoped and response.get("Content-Type", "").startswith(TEXT):
        assert MARK not in response.content.decode(), where


@pytest.mark.parametrize("role", [None, *Role.values])
def test_every_staff_url_refuses_or_scopes_for_every_role(client, world, role):
    """A role without the right gets 401/403/404/405 or the sign-in page, never a server error; a body or
    an akimat never sees another organisation's rows, and nobody but the roles acting on them changes them."""
    if role is not None:
        client.force_login(staff(role, body=world["ours_body"] if role == Role.BODY_COORDINATOR else None,
                                 region=world["ours_region"] if role == Role.AKIMAT_COORDINATOR else None))
    before = _rows(world)
    for _route, name, params in _staff_patterns():
        url = _url(name, params, world)
        for method in (client.get, client.post):
            _check(method(url), where=f"{method.__name__.upper()} {url} as {role}", role=role)
    after = _rows(world)
    if role != Role.AUTHORIZED_ADMIN:
        assert after[:2] == before[:2], role
    if role not in (Role.MODERATOR, Role.AUTHORIZED_ADMIN):
        assert after[2] == before[2], role
