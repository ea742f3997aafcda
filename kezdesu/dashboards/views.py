from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kezdesu.compliance.half_years import half_year_context
from kezdesu.compliance.labels import STATUS_LABELS
from kezdesu.compliance.readings import reading_rows
from kezdesu.compliance.selectors import readings
from kezdesu.core.errors import ApplicationError
from kezdesu.core.models import AuditEvent, Notification
from kezdesu.core.parsing import parse_year
from kezdesu.core.views import form_refused
from kezdesu.dashboards import selectors
from kezdesu.meetings.forms import MEETING_FORM_FIELDS, MeetingForm
from kezdesu.meetings.services import meeting_create
from kezdesu.planning.recommend import recommend_regions
from kezdesu.registry.models import Body, Region, Sector
from kezdesu.users.roles import can


@login_required
def home(request):
    if not can(request.user, "compliance.view") and can(request.user, "question.moderate"):
        return redirect("questions:moderation")  # the moderator's work is the queue; meetings are not theirs
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), default=today.year)
    context = {}
    if can(request.user, "compliance.view"):
        regions, coverage_rows = selectors.coverage(request.user, year=year)
        visits, map_body = selectors.visits_map(regions=regions, coverage=coverage_rows, year=year,
                                                body_slug=request.GET.get("map_body", ""))
        context = {
            "matrix": selectors.compliance_matrix(request.user, year=year, today=today),
            "labels": STATUS_LABELS,
            "readings": reading_rows(readings()),
            "regions": regions, "coverage": coverage_rows, "visits_map": visits, "map_body": map_body,
            "deadlines": selectors.upcoming_deadlines(request.user, today=today),
            "overdue": selectors.overdue_commitments(request.user, today=today)[:50],
            "awaiting": selectors.awaiting_action(request.user)[:50],
            "obligations": selectors.obligations(request.user),
            **half_year_context(today),
        }
    return render(request, "dashboards/home.html", {
        **context, "year": year, "years": range(2024, today.year + 2),
        "today": today,
        "bodies_total": Body.objects.visible_to(request.user).valid_on(today).count(),
        "bodies_exempt": Body.objects.visible_to(request.user).valid_on(today).filter(exempt=True).count(),
        "regions_total": Region.objects.count(),
        "sectors_total": Sector.objects.count(),
    })


@login_required
def registry(request):
    if not can(request.user, "registry.view"):
        raise PermissionDenied
    today = timezone.localdate()
    bodies = Body.objects.visible_to(request.user).prefetch_related("heads", "sectors").order_by("-exempt", "slug")
    return render(request, "dashboards/registry.html", {
        "today": today, "bodies": bodies, "regions": Region.objects.all(),
        "sectors": Sector.objects.prefetch_related("bodies"),
    })


@login_required
def audit(request):
    if not can(request.user, "audit.view"):
        raise PermissionDenied
    page = Paginator(AuditEvent.objects.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(request, "dashboards/audit.html", {"page": page})


@login_required
def notifications(request):
    """The user's in-app notices, newest first; opening the page marks them read."""
    items = Notification.objects.filter(user=request.user).order_by("-created_at")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    unread = [n.pk for n in page if n.read_at is None]
    response = render(request, "dashboards/notifications.html", {"page": page, "unread": set(unread)})
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response


MEETING_FIELDS = ("head", "region", "settlement", "venue", "starts_at", "duration_minutes", "format", "kind", "topics",
                  "rationale_text", "stream_url", "capacity")


@login_required
def meeting_new(request):
    """Draft a meeting with the regions ranked by evidence beside the form (clauses 1.1 and 1.2); it lives
    here because it needs both meetings and planning's recommendations."""
    if not can(request.user, "meeting.propose"):
        raise PermissionDenied
    body = request.user.membership.body
    form = MeetingForm(request.POST if request.method == "POST" else None, body=body,
                       initial={"region": request.GET.get("region"), "kind": request.GET.get("kind", "scheduled")})
    recommendations = recommend_regions(body=body)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next((r for r in recommendations if r.region_slug == data["region"].slug), None)
        try:
            meeting = meeting_create(actor=request.user, body=body, **{k: data[k] for k in MEETING_FIELDS},
                                     rationale=chosen.as_dict() if chosen else {}, cohosts=list(data["cohosts"]))
        except ApplicationError as err:
            status = form_refused(form, err, fields=MEETING_FORM_FIELDS)
        else:
            messages.success(request, _("The draft meeting is saved. Propose it to the akimat when ready."))
            return redirect("meetings:detail", pk=meeting.pk)
    elif request.method == "POST":
        status = form_refused(form)
    return render(request, "meetings/form.html", {"form": form, "body": body, "recommendations": recommendations},
                  status=status)
