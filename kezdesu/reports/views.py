"""Staff pages for reports: thin views over `reports.selectors`, `reports.services` and the renderers."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kezdesu.compliance.half_years import half_year_items, item_rows, reading_label
from kezdesu.compliance.models import QuarterlyReport
from kezdesu.compliance.rules import Quarter
from kezdesu.core.errors import ApplicationError
from kezdesu.core.locale import language
from kezdesu.core.models import Job
from kezdesu.core.responses import http_status
from kezdesu.core.views import confirm_page, conflict_page, form_refused
from kezdesu.meetings.states import Status
from kezdesu.planning.selectors import annex_plan
from kezdesu.reports import renderers, selectors, services
from kezdesu.reports.builders import HalfYear
from kezdesu.reports.errors import ReportError
from kezdesu.reports.forms import ProcedureForm, ResultsForm, SubmitForm
from kezdesu.reports.models import ProcedureDocument
from kezdesu.reports.renderers import FORMATS, LANGUAGES
from kezdesu.reports.renderers.layout import COMPLIANCE, REPORT, Chart, Paragraph, Table, cell_text, lay_out, numbered
from kezdesu.reports.tasks import briefing_job_waiting, generate_briefing
from kezdesu.users.roles import can

CHART_WIDTH = 360  # pixels of the longest bar in the page previews


def _quarter(period: str) -> Quarter:
    try:
        return Quarter.parse(period)
    except ValueError:
        raise Http404(period) from None


def _half(period: str) -> HalfYear:
    try:
        return HalfYear.parse(period)
    except ValueError:
        raise Http404(period) from None


def _page_language() -> str:
    return language()


def _cells(values, table: Table) -> list[dict]:
    return [{"text": cell_text(v, c), "num": c.kind in ("number", "percent")}
            for v, c in zip(values, table.columns, strict=True)]


def _preview(data) -> dict:
    """The document as the files show it, in the page's language, ready for `reports/_document.html`."""
    document = lay_out(data, _page_language())
    sections = []
    for heading, section in numbered(document.sections):
        blocks = []
        for block in section.blocks:
            if isinstance(block, Table):
                blocks.append({"table": block, "rows": [_cells(r, block) for r in block.rows],
                               "totals": _cells(block.totals, block) if block.totals is not None else None})
            elif isinstance(block, Chart):
                peak = max(block.values, default=0) or 1
                bars = [{"label": c, "value": v, "y": 4 + 22 * i, "width": round(CHART_WIDTH * v / peak)}
                        for i, (c, v) in enumerate(zip(block.categories, block.values, strict=True))]
                blocks.append({"chart": block, "bars": bars, "height": 8 + 22 * len(bars)})
            elif isinstance(block, Paragraph):
                blocks.append({"paragraph": block})
        sections.append({"heading": heading, "blocks": blocks})
    return {"preview": {"document": document, "sections": sections}}


def _download_links(name: str, *args) -> list[dict]:
    url = reverse(f"reports:{name}", args=args)
    return [{"format": fmt.upper(), "links": [{"lang": lang, "url": f"{url}?format={fmt}&lang={lang}"}
                                              for lang in LANGUAGES]} for fmt in FORMATS]


def _file(request, data) -> HttpResponse:
    page_lang = _page_language()
    fmt = request.GET.get("format", "pdf")
    lang = request.GET.get("lang", page_lang if page_lang in LANGUAGES else "kk")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(str(ApplicationError(ReportError.BAD_FORMAT, value=fmt)))
    if lang not in LANGUAGES:
        return HttpResponseBadRequest(str(ApplicationError(ReportError.BAD_LANGUAGE, value=lang)))
    rendered = renderers.render(data, fmt=fmt, lang=lang)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def _last_ended_quarter(today: dt.date) -> Quarter:
    return Quarter.of(Quarter.of(today).start - dt.timedelta(days=1))


@login_required
def index(request):
    """The authorized body's inbox, a body coordinator's own reports, or the Government's results."""
    user, today = request.user, timezone.localdate()
    if can(user, "report.receive"):
        try:
            quarter = Quarter.parse(request.GET["period"]) if request.GET.get("period") else _last_ended_quarter(today)
        except ValueError:
            quarter = _last_ended_quarter(today)
        rows = selectors.inbox(user=user, quarter=quarter, today=today)
        counts = Counter(row.status.report_status for row in rows)
        return render(request, "reports/inbox.html", {
            "quarter": quarter, "quarters": selectors.reportable_quarters(today), "rows": [
                {"row": row, "downloads": _download_links("quarterly-download", row.body.slug, str(quarter))}
                for row in rows],
            "counts": [(key, REPORT[key], counts.get(key, 0)) for key in ("on_time", "late", "missing", "due",
                                                                          "not_due")],
            "compliance_labels": COMPLIANCE, "report_labels": REPORT,
            "halves": selectors.reportable_halves(today),
        })
    if can(user, "report.submit"):
        rows = selectors.own_quarters(user=user, today=today)
        return render(request, "reports/body.html", {
            "body": user.membership.body, "rows": rows, "compliance_labels": COMPLIANCE, "report_labels": REPORT,
            "pending_procedure": selectors.procedure_unacknowledged(user),
        })
    if selectors.can_read_results(user):
        return render(request, "reports/government.html", {
            "halves": selectors.reportable_halves(today),
            "procedure": selectors.procedure_current(user, today=today),
        })
    raise PermissionDenied


def _quarterly_scope(request, body_slug: str, period: str):
    if not (can(request.user, "report.receive") or can(request.user, "report.submit")):
        raise PermissionDenied
    quarter = _quarter(period)
    body = selectors.quarterly_body(request.user, body_slug)
    if body is None:
        raise Http404(body_slug)
    return body, quarter


@login_required
def quarterly(request, body_slug: str, period: str):
    """Review the quarterly information (a draft from today's data until submitted) and submit it."""
    body, quarter = _quarterly_scope(request, body_slug, period)
    today = timezone.localdate()
    form = SubmitForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not can(request.user, "report.submit"):
            raise PermissionDenied
        if not form.is_valid():
            status = form_refused(form)
        else:
            try:
                services.quarterly_report_submit(actor=request.user, body=body, quarter=quarter,
                                                 comment=form.cleaned_data["comment"])
            except ApplicationError as err:
                status = form_refused(form, err)
            else:
                messages.success(request, _("The quarterly information is submitted to the authorized body."))
                return redirect("reports:quarterly", body_slug=body.slug, period=str(quarter))
    data = selectors.quarterly_data(user=request.user, body=body, quarter=quarter, today=today)
    if data is None:
        raise Http404(period)
    report = selectors.quarterly_report_row(body=body, quarter=quarter)
    submitted = report is not None and report.status == QuarterlyReport.Status.SUBMITTED
    return render(request, "reports/quarterly.html", {
        "body": body, "quarter": quarter, "data": data, "report": report, "submitted": submitted,
        "form": form, "can_submit": can(request.user, "report.submit") and not submitted,
        "quarter_over": today > quarter.end, **_preview(data),
        "downloads": _download_links("quarterly-download", body.slug, str(quarter)),
        "report_label": REPORT.get(data.report_status, data.report_status),
        "compliance_label": COMPLIANCE.get(data.compliance_status, data.compliance_status),
    }, status=status)


@login_required
def quarterly_download(request, body_slug: str, period: str):
    body, quarter = _quarterly_scope(request, body_slug, period)
    data = selectors.quarterly_data(user=request.user, body=body, quarter=quarter, today=timezone.localdate())
    if data is None:
        raise Http404(period)
    return _file(request, data)


def _results_reader(request) -> None:
    if not selectors.can_read_results(request.user):
        raise PermissionDenied


@login_required
def half_year(request, period: str):
    """The half-year results (clause 3.3): a draft from today's data until the authorized body sends them
    to the Office of the Government, the frozen figures afterwards; with the half-year's deadlines and their
    statuses (`compliance.half_years`) and the annex of its schedule once the bodies agreed one."""
    _results_reader(request)
    half = _half(period)
    status = 200
    form = ResultsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can(request.user, "report.send_results"):
            raise PermissionDenied
        if form.is_valid() and not form.cleaned_data["confirmed"]:
            return confirm_page(
                request, question=_("Send the results of %(half)s to the Office of the Government?") % {"half": half},
                consequence=_("The figures as of now are frozen and become the document the Office of the "
                              "Government reads; they cannot be sent again."),
                action_url=reverse("reports:half-year", args=[str(half)]),
                fields={"comment": form.cleaned_data["comment"]}, button=_("Send the results"),
                back_url=reverse("reports:half-year", args=[str(half)]))
        if not form.is_valid():
            status = form_refused(form)
        else:
            try:
                services.half_year_results_submit(actor=request.user, half=half, comment=form.cleaned_data["comment"])
            except ApplicationError as err:
                status = form_refused(form, err)
            else:
                messages.success(request, _("The half-year results are sent to the Office of the Government."))
                return redirect("reports:half-year", period=str(half))
    today = timezone.localdate()
    data, submission = selectors.half_year_document(user=request.user, half=half, today=today)
    sent = submission is not None and submission.status == submission.Status.SUBMITTED
    plan = annex_plan(half.year, half.number)
    return render(request, "reports/half_year.html", {
        "submission": submission, "sent": sent, "form": form,
        "can_send": can(request.user, "report.send_results") and not sent,
        "reading": reading_label(),
        "half_year_rows": item_rows(half_year_items(today=today, halves=[(half.year, half.number)])),
        "half_year_reading": reading_label(),
        "half": half, "data": data, **_preview(data), "halves": selectors.reportable_halves(today),
        "downloads": _download_links("half-year-download", str(half)),
        "annex_plan": plan, "annex_downloads": _download_links("annex-download", str(half)) if plan else None,
    }, status=status)


@login_required
def half_year_download(request, period: str):
    _results_reader(request)
    data, _submission = selectors.half_year_document(user=request.user, half=_half(period),
                                                     today=timezone.localdate())
    return _file(request, data)


def _annex_reader(request) -> None:
    """The annex of a decree is read by those who read the results and by everyone who works on the plans."""
    if not (selectors.can_read_results(request.user) or can(request.user, "plan.agree")):
        raise PermissionDenied


def _annex(half: HalfYear):
    try:
        return selectors.annex_data(half=half, today=timezone.localdate())
    except ApplicationError as err:
        raise Http404(err.message) from err


@login_required
def annex(request, period: str):
    """The schedule of the half-year as the annex of the Government decree (clause 3.1), with its files."""
    _annex_reader(request)
    half = _half(period)
    data = _annex(half)
    return render(request, "reports/annex.html", {
        "half": half, "data": data, "plan": annex_plan(half.year, half.number), **_preview(data),
        "downloads": _download_links("annex-download", str(half)),
    })


@login_required
def annex_download(request, period: str):
    _annex_reader(request)
    return _file(request, _annex(_half(period)))


def _procedure_reader(request) -> None:
    if not can(request.user, "meeting.view") and not can(request.user, "procedure.publish"):
        raise PermissionDenied


@login_required
def procedure_list(request):
    _procedure_reader(request)
    today = timezone.localdate()
    versions = list(selectors.procedure_versions(request.user))
    current = selectors.procedure_current(request.user, today=today)
    return render(request, "reports/procedures.html", {
        "versions": versions, "current": current, "today": today,
        "can_publish": can(request.user, "procedure.publish"),
        "receipts": {d.pk: selectors.procedure_receipts(d) for d in versions}
        if can(request.user, "report.receive") else {},
    })


@login_required
def procedure_detail(request, version: int):
    _procedure_reader(request)
    document = get_object_or_404(selectors.procedure_versions(request.user), version=version)
    today = timezone.localdate()
    own = document.acknowledgements.filter(user=request.user).first()
    return render(request, "reports/procedure_detail.html", {
        "document": document, **_preview(selectors.procedure_data(document, today=today)),
        "in_force": document.effective_from <= today, "acknowledged": own,
        "can_acknowledge": own is None and request.user.role in selectors.PROCEDURE_RECIPIENTS,
        "receipts": selectors.procedure_receipts(document) if can(request.user, "report.receive") else None,
        "downloads": _download_links("procedure-download", version),
    })


@login_required
def procedure_new(request):
    if not can(request.user, "procedure.publish"):
        raise PermissionDenied
    latest = ProcedureDocument.objects.order_by("-version").values_list("version", flat=True).first() or 0
    form = ProcedureForm(request.POST if request.method == "POST" else None, initial={"based_on": latest})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            document = services.procedure_publish(actor=request.user, **form.cleaned_data)
        except ApplicationError as err:
            if http_status(err) == 409:
                return conflict_page(request, err, back_url=reverse("reports:procedures"))
            status = form_refused(form, err)
        else:
            messages.success(request, _("Version %(version)s is published and the body coordinators are notified.")
                             % {"version": document.version})
            return redirect("reports:procedure-detail", version=document.version)
    elif request.method == "POST":
        status = form_refused(form)
    return render(request, "reports/procedure_form.html", {"form": form}, status=status)


@login_required
@require_POST
def procedure_acknowledge(request, version: int):
    _procedure_reader(request)
    document = get_object_or_404(selectors.procedure_versions(request.user), version=version)
    try:
        services.procedure_acknowledge(actor=request.user, document=document)
    except ApplicationError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, _("Thank you: receipt of the procedure is confirmed."))
    return redirect("reports:procedure-detail", version=version)


@login_required
def procedure_download(request, version: int):
    _procedure_reader(request)
    document = get_object_or_404(selectors.procedure_versions(request.user), version=version)
    return _file(request, selectors.procedure_data(document, today=timezone.localdate()))


# --- briefing packs -----------------------------------------------------------------------------------------


def _briefing_meeting(request, pk: int):
    meeting = selectors.briefing_meeting(request.user, pk)
    if meeting is None:
        raise Http404
    return meeting


def _briefing_files(request, meeting) -> list[dict]:
    return [{"pack": p, "url": reverse("reports:briefing-download", args=[meeting.pk, p.pk])}
            for p in selectors.briefing_files(user=request.user, meeting=meeting)]


@login_required
def briefing(request, pk: int):
    """The briefing pack of a meeting: its files per language and format, and a button to make it anew."""
    meeting = _briefing_meeting(request, pk)
    return render(request, "reports/briefing.html", {
        "meeting": meeting, "files": _briefing_files(request, meeting),
        "current": selectors.briefing_is_current(meeting), "waiting": briefing_job_waiting(meeting),
        "can_generate": meeting.status in Status.AGREED_STATES,
        "days_before": settings.KEZDESU["BRIEFING_DAYS_BEFORE"],
    })


@login_required
@require_POST
def briefing_generate(request, pk: int):
    """Queue the making of the pack (never made in the request) and follow the job."""
    meeting = _briefing_meeting(request, pk)
    try:
        job = services.briefing_pack_request(actor=request.user, meeting=meeting)
    except ApplicationError as err:
        messages.error(request, err.message)
        return redirect("reports:briefing", pk=meeting.pk)
    return redirect("reports:briefing-job", pk=meeting.pk, job_pk=job.pk)


@login_required
def briefing_job(request, pk: int, job_pk: int):
    """How the making of a pack is going; the files once it is done."""
    meeting = _briefing_meeting(request, pk)
    job = get_object_or_404(Job, pk=job_pk, task=generate_briefing.module_path, arguments__meeting_id=meeting.pk)
    files = _briefing_files(request, meeting) if job.status == Job.Status.DONE else []
    template = "reports/briefing_job_status.html" if request.htmx else "reports/briefing_job.html"
    return render(request, template, {"meeting": meeting, "job": job, "files": files})


@login_required
def briefing_download(request, pk: int, pack_pk: int):
    """One file of the pack, for whoever sees the meeting; every download is audited."""
    pack = selectors.briefing_pack(request.user, meeting_pk=pk, pk=pack_pk)
    if pack is None:
        raise Http404
    services.briefing_pack_download(actor=request.user, pack=pack)
    return FileResponse(pack.file.open("rb"), as_attachment=True, content_type=FORMATS[pack.format][1],
                        filename=f"kezdesu-briefing-{pack.meeting_id}-{pack.language}.{pack.format}")
