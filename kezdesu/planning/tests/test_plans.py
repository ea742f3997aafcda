"""Recommendations (clause 1.2) and the half-year plan's lifecycle (clause 3.1) through services."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from kezdesu.core.errors import ApplicationError
from kezdesu.meetings.models import Meeting
from kezdesu.meetings.tests.factories import MeetingFactory, at
from kezdesu.planning.errors import PlanError
from kezdesu.planning.messages import evidence_text
from kezdesu.planning.models import Plan, PlanAgreement
from kezdesu.planning.recommend import recommend_regions
from kezdesu.planning.services import plan_agree, plan_approve, plan_create, plan_item_move, plan_optimise, plan_submit
from kezdesu.planning.solver import Code
from kezdesu.registry.models import Body, Head, Region
from kezdesu.registry.tests.factories import HeadFactory
from kezdesu.tension.services import tension_scan
from kezdesu.tension.tests.factories import AS_OF
from kezdesu.users.models import Role
from kezdesu.users.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_recommendations_rank_by_evidence_and_say_why(cells):
    tension_scan(as_of=AS_OF)
    labour = Body.objects.get(slug="labour-social")
    ranked = recommend_regions(body=labour, today=AS_OF)
    assert ranked[0].region_slug == "mangystau"
    assert ranked[0].alerts == {"mandatory": 1}
    assert any("100" in line for line in ranked[0].evidence_lines)
    with translation.override("en"):  # the figures are kept, the words said in the reader's language
        assert ranked[0].evidence_lines[0].endswith("appeals per 100,000 people in 12 weeks "
                                                    f"(trend ×{ranked[0].trend:.2f})")
    with translation.override("ru"):
        assert "обращения на 100 000 человек за 12 недель" in ranked[0].evidence_lines[0]
    assert len(ranked) == 20 and ranked[0].score > ranked[-1].score


def test_recently_visited_region_ranks_lower(reference):
    health = Body.objects.get(slug="health")
    today = dt.date(2026, 11, 24)
    MeetingFactory(
        body=health,
        head=HeadFactory(body=health),
        region=Region.objects.get(slug="abai"),
        status="reported",
        starts_at=at(today - dt.timedelta(days=14)),
    )
    ranked = {r.region_slug: r for r in recommend_regions(body=health, today=today)}
    assert ranked["abai"].weeks_since_visit == 2
    assert ranked["abai"].score < ranked["akmola"].score


@pytest.fixture
def people(reference):
    for body in Body.objects.filter(exempt=False):
        HeadFactory(body=body)
    return {
        "analyst": staff(Role.AUTHORIZED_ANALYST),
        "government": staff(Role.GOVERNMENT_VIEWER),
        "health": staff(Role.BODY_COORDINATOR, body=Body.objects.get(slug="health")),
    }


def test_plan_from_optimiser_to_approved_decree(people):
    plan = plan_create(actor=people["analyst"], year=2027, half=1)
    result = plan_optimise(actor=people["analyst"], plan=plan, time_limit_s=20, today=dt.date(2026, 11, 24))
    assert result.status == "optimal"
    plan.refresh_from_db()
    bodies = set(
        Body.objects.valid_during(dt.date(2027, 1, 1), dt.date(2027, 6, 30))
        .filter(exempt=False)
        .values_list("slug", flat=True)
    )
    for quarter_months in ((1, 2, 3), (4, 5, 6)):
        covered = set(plan.items.filter(week_start__month__in=quarter_months).values_list("body__slug", flat=True))
        assert covered == bodies
    assert all(evidence_text(item.rationale) for item in plan.items.all())
    assert not any("evidence_lines" in item.rationale for item in plan.items.all())  # figures, not words
    with pytest.raises(ApplicationError) as err:
        plan_submit(actor=people["analyst"], plan=plan)
    assert err.value.code == "not_all_agreed"
    plan_agree(actor=people["health"], plan=plan, agree=False, comment="Наурызда министр іссапарда")
    assert plan.agreements.get(body__slug="health").decision == PlanAgreement.Decision.CHANGES
    for body in Body.objects.filter(slug__in=bodies):
        plan_agree(actor=staff(Role.BODY_COORDINATOR, body=body), plan=plan, agree=True)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED
    plan_submit(actor=people["analyst"], plan=plan)
    with pytest.raises(ApplicationError) as err:
        plan_approve(actor=people["government"], plan=plan, decree_number="", decree_date=dt.date(2026, 12, 20))
    assert err.value.code == PlanError.DECREE_REQUIRED
    plan_approve(actor=people["government"], plan=plan, decree_number="987", decree_date=dt.date(2026, 12, 20))
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED
    drafts = Meeting.objects.filter(plan_items__plan=plan)
    assert drafts.count() == plan.items.count() and set(drafts.values_list("status", flat=True)) == {"draft"}
    assert all(Head.objects.get(pk=m.head_id).is_first_head for m in drafts)


def test_manual_edit_is_rechecked(people):
    plan = plan_create(actor=people["analyst"], year=2027, half=1)
    plan_optimise(actor=people["analyst"], plan=plan, time_limit_s=20, today=dt.date(2026, 11, 24))
    item = plan.items.order_by("week_start").first()
    other = (
        plan.items.exclude(body=item.body).filter(week_start=item.week_start).first()
        or plan.items.exclude(body=item.body).first()
    )
    # Two ministers in one region in one week exceeds the akimat's capacity.
    with pytest.raises(ApplicationError) as err:
        plan_item_move(actor=people["analyst"], item=other, region=item.region, week_start=item.week_start)
    assert err.value.code == "edit_breaks_rules"
    with pytest.raises(ApplicationError) as err:
        plan_item_move(actor=people["health"], item=item, region=item.region, week_start=item.week_start)
    assert err.value.code == PlanError.NOT_ALLOWED


def test_agreed_meetings_are_pinned(people):
    health = Body.objects.get(slug="health")
    agreed = MeetingFactory(
        body=health,
        head=health.heads.first(),
        region=Region.objects.get(slug="ulytau"),
        status="agreed",
        starts_at=at(dt.date(2027, 2, 10)),
    )
    # A draft is not agreed yet, so it binds nothing: only the agreed meeting may be pinned.
    MeetingFactory(body=health, head=agreed.head, region=Region.objects.get(slug="abai"), status="draft",
                   starts_at=at(dt.date(2027, 5, 12)))
    plan = plan_create(actor=people["analyst"], year=2027, half=1)
    plan_optimise(actor=people["analyst"], plan=plan, time_limit_s=20, today=dt.date(2026, 11, 24))
    pinned = plan.items.get(pinned=True)
    assert (pinned.body, pinned.region.slug, pinned.week_start) == (health, "ulytau", dt.date(2027, 2, 8))


def test_infeasible_half_is_explained(people, client):
    plan = plan_create(actor=people["analyst"], year=2027, half=1)
    result = plan_optimise(
        actor=people["analyst"],
        plan=plan,
        time_limit_s=10,
        today=dt.date(2026, 11, 24),
        blocked={"health": frozenset(range(13))},
    )
    assert result.status == "infeasible"
    assert [(r.code, r.params["body"], r.params["quarter"]) for r in result.explanation] == [
        (Code.QUARTER_WITHOUT_WEEK, "health", 1)]
    plan.refresh_from_db()
    assert plan.solver["explanation"] == [r.as_dict() for r in result.explanation]
    # The page words the stored reason in the reader's language.
    client.force_login(people["analyst"])
    client.cookies["django_language"] = "ru"
    page = client.get(f"/staff/plans/{plan.pk}/?part=progress", HTTP_HX_REQUEST="true").content.decode()
    assert "health: в квартале 1 не осталось недели для встречи — из его недель (13) органом заблокировано 13" in page


def test_build_plan_command(people):
    out = io.StringIO()
    call_command("build_plan", "--half", "2027-H2", "--time-limit", "15", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["status"] == "optimal" and data["gap"] == 0
    assert set(data["terms"]) >= {"score", "coverage", "spread", "stability"}
    assert data["items"][0]["week_start"] >= "2027-07-05"


def test_plan_pages(client, people):
    plan = plan_create(actor=people["analyst"], year=2027, half=1)
    plan_optimise(actor=people["analyst"], plan=plan, time_limit_s=20, today=dt.date(2026, 11, 24))
    client.force_login(people["health"])
    page = client.get(f"/staff/plans/{plan.pk}/").content.decode()
    assert "plan-grid" in page and 'value="agree"' in page
    client.post(f"/staff/plans/{plan.pk}/action/", {"action": "agree"})
    assert plan.agreements.get(body__slug="health").decision == "agreed"
    client.force_login(staff(Role.AKIMAT_COORDINATOR, region=Region.objects.get(slug="abai")))
    assert client.get(f"/staff/plans/{plan.pk}/").status_code == 403


def test_half_weeks_count_working_days_and_quarters(reference):
    from kezdesu.planning.services import half_weeks

    weeks = half_weeks(2027, 1)
    assert weeks[0].start == dt.date(2027, 1, 4) and weeks[0].working_days == 3  # 4 and 7 January off
    assert {w.quarter for w in weeks if w.start < dt.date(2027, 4, 1)} == {1}
    assert {w.quarter for w in weeks if w.start >= dt.date(2027, 4, 1)} == {2}
    # 1 January 2030 is a Tuesday: that week began in 2029 and belongs to the second half of 2029.
    late = half_weeks(2030, 1)
    assert (late[0].start, late[-1].start, late[-1].quarter, len(late)) == (
        dt.date(2030, 1, 7), dt.date(2030, 6, 24), 2, 25)
    assert half_weeks(2029, 2)[-1].start == dt.date(2029, 12, 31)


def test_head_unavailability_blocks_weeks(people, client):
    client.force_login(people["health"])
    client.post("/staff/plans/", {"start": "2027-01-11", "end": "2027-03-31", "reason": "Ауруханалар реформасы"})
    plan = plan_create(actor=people["analyst"], year=2027, half=1)
    plan_optimise(actor=people["analyst"], plan=plan, time_limit_s=20, today=dt.date(2026, 11, 24))
    health_weeks = list(plan.items.filter(body__slug="health").values_list("week_start", flat=True))
    assert health_weeks and all(w == dt.date(2027, 1, 4) or w >= dt.date(2027, 4, 1) for w in health_weeks)


def test_an_optimiser_job_that_fails_leaves_the_plan_stopped_with_the_reason(
        people, django_capture_on_commit_callbacks):
    from kezdesu.core.models import Job
    from kezdesu.planning.tasks import plan_optimise_enqueue

    plan = plan_create(actor=people["analyst"], year=2027, half=1)
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.SUBMITTED)  # no longer a draft: the run is refused
    with django_capture_on_commit_callbacks(execute=True):
        job = plan_optimise_enqueue(actor=people["analyst"], plan=plan)
    plan.refresh_from_db()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and not plan.running
    assert plan.solver["status"] == "error" and plan.solver["explanation"] == [job.error] and job.error
