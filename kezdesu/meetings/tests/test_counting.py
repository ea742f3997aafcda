"""Issue 10 through the services, the command and the pages, with the reference data and dates pinned:
agreement before the start, the head on the day (and frozen when held), renamed bodies, joint meetings
and the open readings."""

import datetime as dt
import io
import json
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from kezdesu.core.actors import SYSTEM
from kezdesu.core.errors import ApplicationError
from kezdesu.meetings.models import AkimatAgreement, Meeting, Status
from kezdesu.meetings.services import meeting_create, meeting_transition, meeting_update
from kezdesu.meetings.tests.factories import at
from kezdesu.registry.models import Body, Head, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 8, 12)  # Wednesday in Q3


@pytest.fixture
def w(reference):
    health, energy = Body.objects.get(slug="health"), Body.objects.get(slug="energy")
    turkistan, abai = Region.objects.get(slug="turkistan"), Region.objects.get(slug="abai")
    return {
        "health": health, "energy": energy, "turkistan": turkistan, "abai": abai,
        "minister": HeadFactory(body=health, full_name_kk="Әлназарова Ақмарал", start=dt.date(2024, 1, 1)),
        "energy_minister": HeadFactory(body=energy, full_name_kk="Аккенженов Ерлан", start=dt.date(2024, 1, 1)),
        "coordinator": staff(Role.BODY_COORDINATOR, body=health),
        "energy_coordinator": staff(Role.BODY_COORDINATOR, body=energy),
        "akimat": staff(Role.AKIMAT_COORDINATOR, region=turkistan),
        "abai_akimat": staff(Role.AKIMAT_COORDINATOR, region=abai),
    }


def create(w, *, starts_at=None, body="health", head="minister", region="turkistan", **kw) -> Meeting:
    coordinator = "coordinator" if body == "health" else "energy_coordinator"
    return meeting_create(actor=w[coordinator], body=w[body], head=w[head] if isinstance(head, str) else head,
                          region=w[region], settlement="Кентау", venue="Мәдениет үйі",
                          starts_at=starts_at or at(DAY), **kw)


def move(w, meeting, target, who="coordinator", when=None, **kw) -> Meeting:
    meeting.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=when or meeting.starts_at - dt.timedelta(days=10)):
        return meeting_transition(actor=w[who], meeting=meeting, target=target, expected_version=meeting.version,
                                  **kw)


def hold(w, meeting, *, agreed_when=None) -> Meeting:
    move(w, meeting, Status.PROPOSED)
    move(w, meeting, Status.AGREED, who="akimat" if meeting.region.slug == "turkistan" else "abai_akimat",
         when=agreed_when)
    move(w, meeting, Status.ANNOUNCED)
    return move(w, meeting, Status.HELD, when=meeting.starts_at + dt.timedelta(hours=3))


def compliance(*args) -> dict:
    out = io.StringIO()
    call_command("compliance", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def row(data, body, quarter="2026-Q3"):
    return next(r for r in data["quarters"] if r["body"] == body and r["quarter"] == quarter)


# --- rule 1: agreement comes first -------------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "counted"), [(-1, True), (0, True), (1, False)])
def test_agreement_recorded_after_the_start_does_not_count(w, offset, counted):
    m = create(w, starts_at=at(DAY, 11))
    hold(w, m, agreed_when=m.starts_at + dt.timedelta(seconds=offset))
    data = compliance("--year", "2026", "--quarter", "3", "--as-of", "2026-10-01", "--body", "health")
    h = row(data, "health")
    if counted:
        assert h["counted"] == [m.pk] and h["status"] == "met"
    else:
        assert h["not_counted"] == [{"id": m.pk, "reason": "agreed_after_start"}] and h["status"] == "missed"


def test_moving_an_agreed_meeting_sends_it_to_the_new_regions_akimat(w):
    m = create(w)
    move(w, m, Status.PROPOSED)
    move(w, m, Status.AGREED, who="akimat")
    move(w, m, Status.ANNOUNCED)
    m.refresh_from_db()
    m = meeting_update(actor=w["coordinator"], meeting=m, expected_version=m.version, region=w["abai"])
    assert (m.status, m.agreed_at) == (Status.PROPOSED, None)
    last = m.agreements.order_by("-round").first()
    assert (last.round, last.region, last.decision) == (2, w["abai"], AkimatAgreement.Decision.PENDING)
    # Turkistan's akimat no longer sees it; Abai's agrees it.
    with pytest.raises(ApplicationError) as err:
        move(w, m, Status.AGREED, who="akimat")
    assert err.value.code == "not_yours"
    move(w, m, Status.AGREED, who="abai_akimat")
    m.refresh_from_db()
    assert m.status == Status.AGREED and m.agreed_at is not None


def test_a_new_time_after_agreement_needs_agreement_again_but_new_topics_do_not(w):
    m = create(w)
    move(w, m, Status.PROPOSED)
    move(w, m, Status.AGREED, who="akimat")
    m.refresh_from_db()
    m = meeting_update(actor=w["coordinator"], meeting=m, expected_version=m.version, topics="Су, жол")
    assert m.status == Status.AGREED
    m = meeting_update(actor=w["coordinator"], meeting=m, expected_version=m.version,
                       starts_at=m.starts_at + dt.timedelta(hours=2))
    assert m.status == Status.PROPOSED and m.transitions.last().comment


def test_the_body_cannot_move_an_agreed_meeting_back_by_hand(w):
    m = create(w)
    move(w, m, Status.PROPOSED)
    move(w, m, Status.AGREED, who="akimat")
    with pytest.raises(ApplicationError) as err:
        move(w, m, Status.PROPOSED)
    assert err.value.code == "reagree_only"


def test_a_body_cannot_accept_its_own_change_while_returned(w):
    m = create(w)
    move(w, m, Status.PROPOSED)
    move(w, m, Status.RETURNED, who="akimat", comment="Зал бос емес",
         proposed_starts_at=at(DAY + dt.timedelta(days=1), 15), proposed_venue="Филармония")
    m.refresh_from_db()
    # Editing the venue while the akimat's counter-proposal stands voids it: back to the akimat.
    m = meeting_update(actor=w["coordinator"], meeting=m, expected_version=m.version, venue="Спорт кешені")
    assert m.status == Status.PROPOSED
    with pytest.raises(ApplicationError) as err:
        move(w, m, Status.AGREED)  # the body's role cannot agree a proposal
    assert err.value.code == "role_cannot"
    assert m.agreements.order_by("-round").first().requested_venue == "Спорт кешені"


def test_accepting_the_akimats_counter_proposal_still_works(w):
    m = create(w)
    move(w, m, Status.PROPOSED)
    move(w, m, Status.RETURNED, who="akimat", comment="Зал бос емес",
         proposed_starts_at=at(DAY + dt.timedelta(days=1), 15), proposed_venue="Филармония")
    move(w, m, Status.AGREED)
    m.refresh_from_db()
    assert (m.status, m.venue, m.starts_at) == (Status.AGREED, "Филармония", at(DAY + dt.timedelta(days=1), 15))


def test_a_stale_counter_proposal_cannot_be_accepted(w):
    m = create(w)
    move(w, m, Status.PROPOSED)
    move(w, m, Status.RETURNED, who="akimat", comment="Зал бос емес", proposed_venue="Филармония")
    # Moved to another region outside the services (an import): the counter no longer applies.
    Meeting.objects.filter(pk=m.pk).update(region=w["abai"])
    with pytest.raises(ApplicationError) as err:
        move(w, m, Status.AGREED)
    assert err.value.code == "counter_superseded"


# --- rule 2: the first head on the day ----------------------------------------------------------------------


def test_a_head_whose_tenure_ended_the_day_before_cannot_be_chosen(w):
    former = HeadFactory(body=w["health"], full_name_en="Former Minister", start=dt.date(2024, 1, 1),
                         end=DAY - dt.timedelta(days=1))
    with pytest.raises(ApplicationError) as err:
        create(w, head=former)
    assert err.value.code == "head_not_in_office" and "12.08.2026" in err.value.message
    assert create(w, head=former, starts_at=at(DAY - dt.timedelta(days=1))).head == former


def test_tenure_is_judged_on_the_almaty_date_not_the_utc_one(w):
    # 01:00 in Almaty on 1 October 2026 is still 30 September in UTC.
    new_head = HeadFactory(body=w["health"], start=dt.date(2026, 10, 1))
    old_head = HeadFactory(body=w["health"], start=dt.date(2024, 1, 1), end=dt.date(2026, 9, 30))
    starts = at(dt.date(2026, 10, 1), 1)
    assert starts.astimezone(dt.UTC).date() == dt.date(2026, 9, 30)
    assert create(w, head=new_head, starts_at=starts).head == new_head
    with pytest.raises(ApplicationError) as err:
        create(w, head=old_head, starts_at=starts)
    assert err.value.code == "head_not_in_office"


def test_a_meeting_at_one_in_the_morning_on_the_first_belongs_to_the_new_quarter(w):
    m = create(w, starts_at=at(dt.date(2026, 10, 1), 1))
    hold(w, m)
    data = compliance("--year", "2026", "--as-of", "2027-01-20", "--body", "health")
    assert row(data, "health", "2026-Q4")["counted"] == [m.pk]
    assert row(data, "health", "2026-Q3")["status"] == "missed"


def test_the_form_shows_the_head_not_in_office_error(client, w):
    former = HeadFactory(body=w["health"], full_name_ru="Бывший Министр", start=dt.date(2024, 1, 1),
                         end=DAY - dt.timedelta(days=1))
    client.force_login(w["coordinator"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.post("/staff/meetings/new/", {
        "head": former.pk, "region": w["turkistan"].pk, "settlement": "Кентау", "venue": "Зал",
        "starts_at": "2026-08-12T11:00", "duration_minutes": 120, "format": "in_person", "kind": "scheduled",
    }).content.decode()
    assert "is not in office as a head of this body on 12.08.2026" in page
    assert not Meeting.objects.exists()


def test_a_held_meetings_verdict_survives_later_edits_of_the_head(w, client):
    m = create(w)
    hold(w, m)
    m.refresh_from_db()
    assert (m.head_in_office, m.head_was_first, m.head_was_acting, m.head_name_kk) == (
        True, True, False, "Әлназарова Ақмарал")
    Head.objects.filter(pk=w["minister"].pk).update(is_first_head=False, acting=True, full_name_kk="Басқа адам",
                                                    end=DAY - dt.timedelta(days=30))
    data = compliance("--year", "2026", "--quarter", "3", "--as-of", "2026-10-01", "--body", "health")
    assert row(data, "health")["counted"] == [m.pk]
    client.force_login(w["coordinator"])
    page = client.get(f"/staff/meetings/{m.pk}/").content.decode()
    assert "Әлназарова Ақмарал" in page and "Басқа адам" not in page


def test_an_unheld_meeting_is_judged_on_todays_head_rows(w):
    m = create(w)
    move(w, m, Status.PROPOSED)
    move(w, m, Status.AGREED, who="akimat")
    Head.objects.filter(pk=w["minister"].pk).update(is_first_head=False)
    data = compliance("--year", "2026", "--quarter", "3", "--as-of", "2026-08-01", "--body", "health")
    assert row(data, "health")["planned"] == []


# --- rule 3: renamed bodies ---------------------------------------------------------------------------------


@pytest.fixture
def renamed(reference):
    old = Body.objects.get(slug="digital-development")
    new = Body.objects.get(slug="ai-digital-development")
    assert (old.valid_to, new.valid_from, new.predecessor) == (dt.date(2025, 9, 17), dt.date(2025, 9, 18), old)
    return {"old": old, "new": new, "old_head": HeadFactory(body=old, start=dt.date(2024, 1, 1),
                                                             end=dt.date(2025, 9, 17)),
            "new_head": HeadFactory(body=new, start=dt.date(2025, 9, 18)),
            "old_coordinator": staff(Role.BODY_COORDINATOR, body=old),
            "new_coordinator": staff(Role.BODY_COORDINATOR, body=new),
            "region": Region.objects.get(slug="abai"), "akimat": staff(Role.AKIMAT_COORDINATOR,
                                                                       region=Region.objects.get(slug="abai"))}


def _renamed_meeting(r, who, day):
    body, head = (r["old"], r["old_head"]) if who == "old" else (r["new"], r["new_head"])
    return meeting_create(actor=r[f"{who}_coordinator"], body=body, head=head, region=r["region"],
                          settlement="Семей", venue="Абай театры", starts_at=at(day))


def test_no_meeting_for_a_body_outside_its_validity_dates(renamed):
    assert _renamed_meeting(renamed, "old", dt.date(2025, 9, 17))
    with pytest.raises(ApplicationError) as err:
        _renamed_meeting(renamed, "old", dt.date(2025, 9, 18))
    assert err.value.code == "body_not_in_office"
    with pytest.raises(ApplicationError) as err:
        _renamed_meeting(renamed, "new", dt.date(2025, 9, 17))
    assert err.value.code == "body_not_in_office"
    assert _renamed_meeting(renamed, "new", dt.date(2025, 9, 18))


def _held(r, who, day):
    m = _renamed_meeting(r, who, day)
    actor = r[f"{who}_coordinator"]
    for target, by in ((Status.PROPOSED, actor), (Status.AGREED, r["akimat"]), (Status.ANNOUNCED, actor)):
        m.refresh_from_db()
        with mock.patch("django.utils.timezone.now", return_value=m.starts_at - dt.timedelta(days=5)):
            meeting_transition(actor=by, meeting=m, target=target, expected_version=m.version)
    m.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=m.starts_at + dt.timedelta(hours=3)):
        return meeting_transition(actor=actor, meeting=m, target=Status.HELD, expected_version=m.version)


def test_the_successor_carries_the_quarter_of_the_renaming(renamed):
    m = _held(renamed, "old", dt.date(2025, 8, 20))
    data = compliance("--year", "2025", "--quarter", "3", "--as-of", "2025-10-20")
    lines = [r for r in data["quarters"] if "digital-development" in r["line"]]
    assert [(r["body"], r["status"], r["counted"], r["line"]) for r in lines] == [
        ("ai-digital-development", "met", [m.pk], ["digital-development", "ai-digital-development"])]
    assert not [r for r in data["quarters"] if r["body"] == "digital-development"]


def test_the_successors_quarterly_report_lists_the_predecessors_meetings(renamed):
    from kezdesu.compliance.rules import Quarter
    from kezdesu.reports.renderers.layout import lay_out
    from kezdesu.reports.selectors import live_quarterly_data

    before = _held(renamed, "old", dt.date(2025, 9, 17))
    after = _held(renamed, "new", dt.date(2025, 9, 18))
    data = live_quarterly_data(user=renamed["new_coordinator"], body=renamed["new"], quarter=Quarter(2025, 3),
                               today=dt.date(2025, 10, 20))
    assert [m.id for m in data.meetings] == [before.pk, after.pk]
    assert data.meetings[0].host.en.startswith("Ministry of Digital Development")
    assert data.meetings[1].host is None and data.counted_total == 2
    text = " ".join(p.text for s in lay_out(data, "ru").sections for p in s.blocks if hasattr(p, "text"))
    assert "Министерство цифрового развития" in text


def test_one_quarterly_report_for_the_line_by_the_body_in_office_on_the_deadline(renamed):
    from kezdesu.compliance.rules import Quarter
    from kezdesu.reports.services import quarterly_report_submit

    _held(renamed, "old", dt.date(2025, 8, 20))
    when = at(dt.date(2025, 10, 6))
    with pytest.raises(ApplicationError) as err:
        quarterly_report_submit(actor=renamed["old_coordinator"], body=renamed["old"], quarter=Quarter(2025, 3),
                                now=when)
    assert err.value.code == "not_owed"
    report = quarterly_report_submit(actor=renamed["new_coordinator"], body=renamed["new"],
                                     quarter=Quarter(2025, 3), now=when)
    assert report.status == "submitted"


# --- rule 4: joint meetings ---------------------------------------------------------------------------------


def test_a_joint_meeting_counts_for_each_co_host_and_is_shown_to_it(w, client):
    m = create(w, cohosts=[w["energy_minister"]])
    hold(w, m)
    cohost = m.cohosts.get()
    assert (cohost.body, cohost.head_in_office, cohost.head_was_first) == (w["energy"], True, True)
    assert set(Meeting.objects.hosted_by(w["energy"])) == {m}
    data = compliance("--year", "2026", "--quarter", "3", "--as-of", "2026-10-01")
    assert row(data, "health")["counted"] == [m.pk] and row(data, "health")["joint"] == []
    assert row(data, "energy")["counted"] == [m.pk] and row(data, "energy")["joint"] == [m.pk]
    client.force_login(w["energy_coordinator"])
    assert "Аккенженов Ерлан" in client.get(f"/staff/meetings/{m.pk}/").content.decode()
    # The co-host reads it but cannot run it.
    assert client.get(f"/staff/meetings/{m.pk}/edit/").status_code == 403


def test_a_co_host_must_have_its_head_in_office_that_day(w):
    gone = HeadFactory(body=w["energy"], start=dt.date(2024, 1, 1), end=DAY - dt.timedelta(days=1))
    with pytest.raises(ApplicationError) as err:
        create(w, cohosts=[gone])
    assert err.value.code == "head_not_in_office"
    with pytest.raises(ApplicationError) as err:
        create(w, cohosts=[HeadFactory(body=w["health"])])
    assert err.value.code == "cohost_is_host"


def test_the_api_lists_co_hosts(w, client):
    m = create(w, cohosts=[w["energy_minister"]])
    hold(w, m)
    Meeting.objects.filter(pk=m.pk).update(status=Status.ANNOUNCED)
    data = client.get(f"/api/v1/meetings/{m.pk}/").json()
    assert data["cohosts"] == [{"body": "energy", "body_name": w["energy"].short_name,
                                "head": "Аккенженов Ерлан", "head_is_first": True, "head_in_office": True}]


# --- rule 8: open readings ----------------------------------------------------------------------------------


def test_readings_are_printed_with_the_figures(w, settings):
    data = compliance("--year", "2026", "--quarter", "3", "--as-of", "2026-10-01", "--body", "health")
    assert {k: v["value"] for k, v in data["readings"].items()} == {
        "ACTING_HEAD_COUNTS": True, "ONLINE_MEETINGS_COUNT": False, "UNSCHEDULED_COUNT_FOR_QUARTER": True,
        "QUARTER_MIN_DAYS_IN_OFFICE": 0, "HALF_YEAR_DEADLINE_INCLUSIVE": True}
    assert data["readings"]["ONLINE_MEETINGS_COUNT"]["decision"].startswith("docs/decisions/0014")


def test_the_online_reading_changes_the_verdict(w, settings):
    m = create(w, format=Meeting.Format.ONLINE)
    hold(w, m)
    args = ("--year", "2026", "--quarter", "3", "--as-of", "2026-10-01", "--body", "health")
    assert row(compliance(*args), "health")["not_counted"] == [{"id": m.pk, "reason": "online_only"}]
    settings.KEZDESU = {**settings.KEZDESU, "ONLINE_MEETINGS_COUNT": True}
    data = compliance(*args)
    assert row(data, "health")["counted"] == [m.pk] and data["readings"]["ONLINE_MEETINGS_COUNT"]["value"] is True


def test_the_dashboard_shows_the_readings_next_to_the_matrix(w, client, settings):
    settings.KEZDESU = {**settings.KEZDESU, "QUARTER_MIN_DAYS_IN_OFFICE": 30}
    client.force_login(staff(Role.AUTHORIZED_ANALYST))
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/staff/").content.decode()
    assert 'id="readings"' in page and "ONLINE_MEETINGS_COUNT" in page
    assert "if in office at least 30 days of the quarter" in page


def test_the_quarterly_document_footnotes_the_readings(w):
    from kezdesu.compliance.rules import Quarter
    from kezdesu.reports.renderers.layout import lay_out
    from kezdesu.reports.selectors import live_quarterly_data

    m = create(w)
    hold(w, m)
    data = live_quarterly_data(user=SYSTEM, body=w["health"], quarter=Quarter(2026, 3), today=dt.date(2026, 10, 1))
    assert {r.key: r.value for r in data.readings}["ONLINE_MEETINGS_COUNT"] == 0
    from django.utils import translation

    with translation.override("en"):
        doc = lay_out(data, "en")
    notes = [b.text for s in doc.sections for b in s.blocks if getattr(b, "style", "") == "note"]
    assert any("Readings applied" in n and "held online only counts toward the quota: no" in n for n in notes)


def test_timezone_setting_is_almaty():
    assert str(timezone.get_default_timezone()) == "Asia/Almaty"


def test_the_half_year_counts_a_joint_meeting_once_and_under_each_host(w):
    from kezdesu.reports.builders import HalfYear
    from kezdesu.reports.selectors import half_year_data

    m = create(w, cohosts=[w["energy_minister"]])
    hold(w, m)
    data = half_year_data(user=SYSTEM, half=HalfYear(2026, 2), today=dt.date(2026, 12, 20))
    by_slug = {b.slug: b for b in data.bodies}
    assert (by_slug["health"].meetings_held, by_slug["energy"].meetings_held) == (1, 1)
    assert (by_slug["health"].by_first_head, by_slug["energy"].by_first_head) == (1, 1)
    assert (by_slug["health"].counted, by_slug["energy"].counted) == (1, 1)
    assert data.meetings_total == 1


def test_the_api_refuses_to_propose_a_meeting_whose_head_left_office(w, client):
    from rest_framework.authtoken.models import Token

    from kezdesu.meetings.tests.factories import MeetingFactory

    # A draft made before the head's tenure was closed in the registry.
    m = MeetingFactory(body=w["health"], head=w["minister"], region=w["turkistan"], starts_at=at(DAY))
    Head.objects.filter(pk=w["minister"].pk).update(end=DAY - dt.timedelta(days=1))
    auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=w['coordinator']).key}"}
    response = client.post(f"/api/v1/staff/meetings/{m.pk}/transition/", {"target": "proposed"},
                           content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["code"] == "head_not_in_office"
    m.refresh_from_db()
    assert m.status == Status.DRAFT


def test_meeting_verdicts_judge_a_joint_meeting_for_each_host_on_its_own_head(w):
    from kezdesu.compliance.rules import Readings
    from kezdesu.compliance.selectors import meeting_verdicts

    deputy = HeadFactory(body=w["energy"], is_first_head=False)
    m = create(w, cohosts=[deputy], kind=Meeting.Kind.UNSCHEDULED, format=Meeting.Format.ONLINE)
    hold(w, m)
    assert meeting_verdicts(body=w["health"], meetings=Meeting.objects.all())[m.pk].reason == "online_only"
    assert meeting_verdicts(body=w["health"], meetings=Meeting.objects.all(),
                            reading=Readings(online_counts=True))[m.pk].counted
    assert meeting_verdicts(body=w["energy"], meetings=Meeting.objects.all(),
                            reading=Readings(online_counts=True))[m.pk].reason == "not_first_head"
    assert meeting_verdicts(body=Body.objects.get(slug="finance"), meetings=Meeting.objects.all()) == {}


def test_the_text_output_names_the_readings_and_the_line(renamed):
    out = io.StringIO()
    call_command("compliance", "--year", "2025", "--quarter", "3", "--as-of", "2025-10-20", stdout=out)
    text = out.getvalue()
    assert "# ONLINE_MEETINGS_COUNT=false" in text
    assert "(with digital-development)" in next(line for line in text.splitlines()
                                                if line.startswith("ai-digital-development"))
