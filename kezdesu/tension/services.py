"""Writes for clause 1.3: importing appeals and turning detector verdicts into alerts and obligations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.compliance.rules import obligation_deadline, unscheduled_verdict
from kezdesu.core.actors import SYSTEM, Actor
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.calendar import working_calendar
from kezdesu.core.errors import ApplicationError
from kezdesu.core.notifications import notify, per_reader
from kezdesu.core.transitions import Move, TransitionError, transition
from kezdesu.meetings.models import Meeting
from kezdesu.registry.models import Body, Region, Sector
from kezdesu.tension import bulk, detectors, store
from kezdesu.tension.detectors.escalation import keyword_categories
from kezdesu.tension.errors import ImportError_
from kezdesu.tension.importer import REQUIRED, Limits, Lookups, RejectedRow, detect_format, open_rows, validate
from kezdesu.tension.models import Appeal, ImportBatch, Obligation, TensionAlert
from kezdesu.tension.selectors import weekly_series
from kezdesu.users.roles import can
from kezdesu.users.selectors import coordinators

# Rejected rows kept for the report and the download (the batch counts all of them): enough to fix a
# file by, small enough for one JSON value.
STORED_REJECTS = 10_000


def lookups() -> Lookups:
    regions: dict[str, int] = {}
    for r in Region.objects.all():
        for key in (r.kato_code, r.slug, r.name_kk, r.name_ru, r.name_en):
            regions[key.casefold()] = r.pk
    sectors = {}
    for s in Sector.objects.all():
        for key in (s.slug, s.name_kk, s.name_ru, s.name_en):
            sectors[key.casefold()] = s.pk
    bodies, body_sector = {}, {}
    for b in Body.objects.all():
        for key in (b.slug, b.name_kk, b.name_ru, b.name_en, b.short_kk, b.short_ru, b.short_en):
            if key:
                bodies[key.casefold()] = b.pk
        first = b.sectors.order_by("slug").first()
        if first:
            body_sector[b.pk] = first.pk
    return Lookups(regions, sectors, bodies, body_sector)


@dataclass
class ImportResult:
    """The finished batch and the first STORED_REJECTS rejected rows (`batch.rows_rejected` counts all)."""

    batch: ImportBatch
    rejected: list[RejectedRow] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds per step of a set-based import


@dataclass
class _Reading:
    """What reading the file found: rows read and rejected (the first STORED_REJECTS kept)."""

    total: int = 0
    rejected: int = 0
    first_rejected: list[RejectedRow] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)

    def reject(self, row: RejectedRow) -> None:
        self.rejected += 1
        if len(self.first_rejected) < STORED_REJECTS:
            self.first_rejected.append(row)


def appeals_import(*, actor, path: Path, name: str | None = None, today: dt.date | None = None,
                   progress=None, batch: ImportBatch | None = None) -> ImportResult:
    """Import an appeals file; returns the batch with its counts and the first rejected rows.

    Valid rows are stored together in one transaction and rows with errors are rejected with their
    reason code; rows whose external id is already stored are left as they are (re-importing changes
    nothing) and the weekly counts grow by the new appeals only. A file that cannot be read or breaks
    a file limit (size, rows, line length, XLSX expansion) imports nothing: the batch ends `failed` with
    the translated reason and ApplicationError is raised. Whatever happens, the batch does not stay
    `running`.
    """
    if actor is not SYSTEM and not can(actor, "tension.import"):
        raise ApplicationError(ImportError_.NOT_ALLOWED)
    name = name or path.name
    file_format = detect_format(name)
    if file_format is None:
        if batch is not None:
            _fail(batch, str(ImportError_.UNKNOWN_FORMAT.label))
        raise ApplicationError(ImportError_.UNKNOWN_FORMAT)
    batch = batch or ImportBatch.objects.create(file_name=name[:300], file_format=file_format,
                                                actor=actor if getattr(actor, "pk", None) else None)
    finished = False
    try:
        reading = _import_file(actor=actor, path=path, file_format=file_format, batch=batch,
                               today=today or timezone.localdate(), progress=progress)
        finished = True
    except ApplicationError as err:
        _fail(batch, err.message)
        finished = True
        raise
    finally:
        if not finished:  # an error nobody foresaw: the transaction rolled back, the batch must say so
            _fail(batch, str(ImportError_.INTERRUPTED.label))
    if progress:
        progress(reading.total)
    batch.refresh_from_db()
    return ImportResult(batch=batch, rejected=reading.first_rejected, phases=reading.phases)


def _import_file(*, actor, path: Path, file_format: str, batch: ImportBatch, today: dt.date, progress) -> _Reading:
    """Stage the file's valid rows, then store them and finish the batch in one transaction."""
    limits = Limits.from_settings()
    if bulk.applies(file_format):
        return _import_set_based(actor=actor, path=path, batch=batch, today=today, progress=progress, limits=limits)
    store.staging_create()
    try:
        with open_rows(path, file_format, limits) as (header, rows):
            missing = [c for c in REQUIRED if c not in header]
            if missing and file_format != "jsonl":
                raise ApplicationError(ImportError_.MISSING_COLUMNS, columns=", ".join(missing))
            reading, staged = _stage(rows, today=today, limits=limits, progress=progress)
        try:
            with transaction.atomic():
                stored = store.staged_store(batch_id=batch.pk, keep_rejected=STORED_REJECTS)
                _finish(batch, actor=actor, reading=reading, staged=staged, stored=stored)
        except (DatabaseError, OSError) as err:
            raise ApplicationError(ImportError_.NOT_STORED, reason=type(err).__name__) from err
    finally:
        store.staging_drop()
    return reading


def _import_set_based(*, actor, path: Path, batch: ImportBatch, today: dt.date, progress, limits: Limits
                      ) -> _Reading:
    """PostgreSQL and CSV: stream the raw rows to the database, which checks and stores them (0121)."""
    outcome = bulk.Outcome()
    staging, header = bulk.read_and_stage(path, limits, STORED_REJECTS, outcome, tick=progress)
    try:
        try:
            with transaction.atomic():
                bulk.store_checked(staging, header, lookups=lookups(), today=today, batch_id=batch.pk,
                                   keep=STORED_REJECTS, outcome=outcome)
                reading = _Reading(total=outcome.total, first_rejected=outcome.first_rejected)
                reading.rejected = outcome.rejected - outcome.duplicates  # _finish adds the repeated ids
                stored = store.Stored(outcome.created, outcome.duplicates, [])
                # Staged rows the database rejected are neither created nor unchanged.
                staged = outcome.staged - (outcome.checked_rejected - outcome.duplicates)
                _finish(batch, actor=actor, reading=reading, staged=staged, stored=stored)
        except (DatabaseError, OSError) as err:
            raise ApplicationError(ImportError_.NOT_STORED, reason=type(err).__name__) from err
    finally:
        staging.drop()
    reading.phases = outcome.phases
    return reading


def _stage(rows, *, today: dt.date, limits: Limits, progress) -> tuple[_Reading, int]:
    """Validate every row; the valid ones go to the staging table. Returns the reading and the rows staged."""
    reading = _Reading()
    stager = store.Stager(tick=(lambda: progress(reading.total)) if progress else None)
    lk = lookups()
    for line, row in rows:
        reading.total += 1
        result = validate(line, row, lk, today, limits)
        if isinstance(result, RejectedRow):
            reading.reject(result)
        else:
            stager.add(line, result, keyword_categories(result.text) if result.text else ())
    stager.flush()
    return reading, stager.staged


def _finish(batch: ImportBatch, *, actor, reading: _Reading, staged: int, stored: store.Stored) -> None:
    """Record the outcome on the batch (with the first rejected rows, in line order) and audit it."""
    rejected = sorted(reading.first_rejected + stored.duplicate_rows, key=lambda r: r.line)[:STORED_REJECTS]
    reading.first_rejected = rejected
    reading.rejected += stored.duplicates
    batch.status = ImportBatch.Status.DONE
    batch.rows_total, batch.rows_created = reading.total, stored.created
    batch.rows_unchanged = staged - stored.duplicates - stored.created
    batch.rows_rejected = reading.rejected
    batch.rejected = [{"line": r.line, "external_id": r.external_id, "code": str(r.code)} for r in rejected]
    batch.save()
    audit_record(actor=actor, action="appeals.import", obj=batch, before=None, after=snapshot(batch))


def import_cells(batch_id: int) -> list[str]:
    """The region × sector cells ("region_id:sector_id") that an import added appeals to."""
    pairs = Appeal.objects.filter(batch_id=batch_id, sector__isnull=False) \
        .values_list("region_id", "sector_id").distinct()
    return sorted(f"{r}:{s}" for r, s in pairs)


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.FAILED, error=message[:2000],
                                                   rows_created=0)


# --- alerts -------------------------------------------------------------------------------------



@dataclass
class ScanResult:
    week_start: dt.date
    series: int
    opened: list[TensionAlert] = field(default_factory=list)
    updated: list[TensionAlert] = field(default_factory=list)
    closed: list[TensionAlert] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    missed: list[Obligation] = field(default_factory=list)


def _evidence(a: detectors.Assessment) -> dict:
    def num(x):
        return None if x != x else round(float(x), 3)  # NaN → None for JSON

    return {
        "week_start": a.week_start.isoformat(), "primary": a.primary, "fired": list(a.fired),
        "observed": num(a.observed), "expected": num(a.expected), "threshold": num(a.threshold),
        "reasons": [r.as_json() for r in a.reasons],
        "detections": [{"detector": d.detector, "observed": num(d.observed), "expected": num(d.expected),
                        "threshold": num(d.threshold), "alarm": d.alarm, "score": num(d.score),
                        "applicable": d.applicable} for d in a.detections],
        "escalation": {"complaint_share": num(a.escalation.complaint_share), "collective": a.escalation.collective,
                       "keywords": list(a.escalation.keywords), "strength": a.escalation.strength},
        "series": {"start": (a.week_start - dt.timedelta(weeks=len(a.recent_counts) - 1)).isoformat(),
                   "counts": list(a.recent_counts), "expected": [num(x) for x in a.recent_expected],
                   "upper": [num(x) for x in a.recent_upper]},
    }


A, OB = TensionAlert.Status, Obligation.Status
SYSTEM_MOVE = Move(system=True)
# Alerts and obligations are moved by the weekly scan and review only, acting as the system.
# The authorized body may also close (or dismiss) an alert by hand, with a reason (`alert_close`).
REVIEW_MOVE = Move(capability="tension.review", system=True)
ALERT_TRANSITIONS = {
    (A.OPEN, A.UNBOUND): SYSTEM_MOVE,      # mandatory, but every responsible body is exempt
    (A.UNBOUND, A.OPEN): SYSTEM_MOVE,      # a responsible body became bound (new or no longer exempt)
    (A.OPEN, A.ANSWERED): SYSTEM_MOVE,
    (A.OPEN, A.CLOSED): REVIEW_MOVE,
    (A.UNBOUND, A.CLOSED): REVIEW_MOVE,
}
OBLIGATION_TRANSITIONS = {
    (OB.OPEN, OB.FULFILLED): SYSTEM_MOVE,
    (OB.OPEN, OB.MISSED): SYSTEM_MOVE,
    (OB.OPEN, OB.WITHDRAWN): REVIEW_MOVE,
}


@transaction.atomic
def tension_scan(*, as_of: dt.date, actor: Actor = SYSTEM, cells: Collection[str] | None = None) -> ScanResult:
    """Assess the last complete week before `as_of` in every region × sector series; open, update and
    close alerts; give responsible bodies an obligation for each mandatory alert; flag missed ones.

    `cells` ("region_id:sector_id" keys) limits the assessment to those series and their alerts, as
    after an import; every series keeps the same weeks, so a cell is judged exactly as in a full scan.
    """
    found = weekly_series(as_of=as_of)
    series = found.series
    if cells is not None:
        wanted = set(cells)
        series = [s for s in series if s.key in wanted]
    result = ScanResult(week_start=found.week, series=len(series))
    t = len(series[0].counts) - 1 if series else 0
    assessments = detectors.scan(series, t=t, content=found.content, usual=found.usual) if series else []
    deadline_days = settings.KEZDESU["TENSION_DEADLINE_DAYS"]
    open_alerts = {a.fingerprint: a for a in TensionAlert.objects.current().select_related("region", "sector")
                   if cells is None or a.fingerprint in wanted}
    for a in assessments:
        alert = open_alerts.pop(a.key, None)
        if a.level == "normal":
            if alert is not None:
                _close(alert, as_of=as_of, actor=actor, result=result)
            continue
        alert = _alert_upsert(alert, a, as_of=as_of, actor=actor, result=result)
        if a.level == "mandatory":
            result.obligations += _oblige(alert, as_of=as_of, days=deadline_days, actor=actor)
        elif alert.status == A.UNBOUND:  # no longer mandatory: nothing is owed, so nothing is unbound
            transition(obj=alert, target=A.OPEN, table=ALERT_TRANSITIONS, actor=actor, action="alert.bound")
    # Cells that are no longer in the series (no appeals at all) close too.
    for alert in open_alerts.values():
        _close(alert, as_of=as_of, actor=actor, result=result)
    result.missed = obligations_review(as_of=as_of, actor=actor)
    return result


def _alert_upsert(alert: TensionAlert | None, a: detectors.Assessment, *, as_of: dt.date, actor: Actor,
                  result: ScanResult) -> TensionAlert:
    """Open an alert for the assessment's cell, or bring the current one up to date; returns it."""
    if alert is None:
        region_id, sector_id = (int(x) for x in a.key.split(":"))
        alert = TensionAlert.objects.create(
            fingerprint=a.key, region_id=region_id, sector_id=sector_id, level=a.level,
            peak_level=a.level, score=a.score, week_start=a.week_start, evidence=_evidence(a), opened_on=as_of)
        audit_record(actor=actor, action="alert.open", obj=alert, before=None, after=snapshot(alert))
        result.opened.append(alert)
        return alert
    before = snapshot(alert)
    alert.level, alert.score, alert.week_start, alert.evidence = a.level, a.score, a.week_start, _evidence(a)
    if detectors.LEVEL_RANK[a.level] > detectors.LEVEL_RANK[alert.peak_level]:
        alert.peak_level = a.level
    alert.save()
    audit_record(actor=actor, action="alert.update", obj=alert, before=before, after=snapshot(alert))
    result.updated.append(alert)
    return alert


def _close(alert: TensionAlert, *, as_of, actor: Actor, result: ScanResult) -> None:
    for ob in alert.obligations.filter(status=OB.OPEN):
        transition(obj=ob, target=OB.WITHDRAWN, table=OBLIGATION_TRANSITIONS, actor=actor,
                   action="obligation.withdrawn")
    transition(obj=alert, target=A.CLOSED, table=ALERT_TRANSITIONS, actor=actor, changes={"closed_on": as_of},
               action="alert.close")
    result.closed.append(alert)


def bound_bodies(alert: TensionAlert, *, on: dt.date):
    """The bodies clause 1.3 binds for the alert: responsible for its sector, in office, not exempt."""
    return alert.sector.bodies.filter(exempt=False).valid_on(on)


def _oblige(alert: TensionAlert, *, as_of: dt.date, days: int, actor: Actor) -> list[Obligation]:
    created = []
    bodies = list(bound_bodies(alert, on=as_of))
    if not bodies and not alert.obligations.exists():
        if alert.status == A.OPEN:  # say so instead of sitting open: nobody can be obliged
            transition(obj=alert, target=A.UNBOUND, table=ALERT_TRANSITIONS, actor=actor, action="alert.unbound")
        return created
    if alert.status == A.UNBOUND:
        transition(obj=alert, target=A.OPEN, table=ALERT_TRANSITIONS, actor=actor, action="alert.bound")
    deadline = obligation_deadline(as_of, days=days, calendar=working_calendar())
    for body in bodies:
        obligation, new = Obligation.objects.get_or_create(alert=alert, body=body, defaults={"deadline": deadline})
        if not new:
            continue
        audit_record(actor=actor, action="obligation.open", obj=obligation, before=None, after=snapshot(obligation))
        notify(users=coordinators(body_id=body.pk) + coordinators(region_id=alert.region_id),
               key=f"obligation:{obligation.pk}",
               subject=_("Social tension: an unscheduled meeting of the first head is required (clause 1.3)"),
               body=per_reader(lambda obligation=obligation: f"{alert} — {obligation.deadline:%d.%m.%Y}"),
               url=reverse("tension:alert", args=[alert.pk]))
        created.append(obligation)
    return created


def answering_meetings(ob: Obligation):
    """The meetings that may answer `ob`, best first: those the obliged body holds in the alert's region,
    alone or as a co-host of a joint meeting, from the day the alert opened to the deadline."""
    return (Meeting.objects.hosted_by(ob.body_id).select_related("head").prefetch_related("cohosts__head")
            .filter(region_id=ob.alert.region_id, kind=Meeting.Kind.UNSCHEDULED)
            .exclude(status=Meeting.Status.CANCELLED)
            .filter(starts_at__date__gte=ob.alert.opened_on, starts_at__date__lte=ob.deadline)
            .order_by("starts_at"))


def meeting_answers(ob: Obligation, meeting: Meeting) -> str:
    """Clause 1.3 for one meeting: "answers", or why it does not (see `rules.unscheduled_verdict`).

    The obliged body's own head is judged as of the meeting's day (frozen once held): the meeting's head
    when the body hosts it, its co-host row's head when the body co-hosts a joint meeting."""
    day = meeting.day
    holder = meeting if meeting.body_id == ob.body_id else next(
        (c for c in meeting.cohosts.all() if c.body_id == ob.body_id), None)
    standing = holder.standing_on(day) if holder is not None else None
    return unscheduled_verdict(
        kind=meeting.kind, status=meeting.status, same_body=holder is not None,
        same_region=meeting.region_id == ob.alert.region_id,
        first_head=standing is not None and standing.in_office and standing.first_head,
        acting=standing is not None and standing.acting, acting_counts=settings.KEZDESU["ACTING_HEAD_COUNTS"],
        agreed_at=meeting.agreed_at, starts_at=meeting.starts_at, day=day,
        opened_on=ob.alert.opened_on, deadline=ob.deadline)


def obligations_review(*, as_of: dt.date, actor: Actor = SYSTEM) -> list[Obligation]:
    """Fulfil open obligations answered by a held meeting (`meeting_answers`), link the pending meeting
    that may still answer one, flag missed deadlines, and mark alerts whose obligations are all fulfilled
    as answered. Returns the obligations found missed."""
    missed = []
    for ob in Obligation.objects.filter(status=OB.OPEN).select_related("alert"):
        verdicts = [(m, meeting_answers(ob, m)) for m in answering_meetings(ob)]
        held = next((m for m, v in verdicts if v == "answers"), None)
        pending = next((m for m, v in verdicts if v == "not_yet_held"), None)
        if held is not None:
            transition(obj=ob, target=OB.FULFILLED, table=OBLIGATION_TRANSITIONS, actor=actor,
                       changes={"meeting": held}, action="obligation.fulfilled")
        elif ob.deadline < as_of:
            transition(obj=ob, target=OB.MISSED, table=OBLIGATION_TRANSITIONS, actor=actor,
                       changes={"meeting": pending}, action="obligation.missed")
            missed.append(ob)
        elif pending is not None and ob.meeting_id != pending.pk:
            before = snapshot(ob)
            ob.meeting = pending
            ob.version += 1
            ob.save()
            audit_record(actor=actor, action="obligation.link", obj=ob, before=before, after=snapshot(ob))
    for alert in TensionAlert.objects.open().filter(obligations__isnull=False).distinct():
        if not alert.obligations.exclude(status=OB.FULFILLED).exists():
            transition(obj=alert, target=A.ANSWERED, table=ALERT_TRANSITIONS, actor=actor,
                       changes={"closed_on": as_of}, action="alert.answered")
    return missed


# --- staff review of alerts ---------------------------------------------------------------------

# How staff end an alert: a false alarm (bad data, duplicates) or tension that subsided without a meeting.
CLOSURES = {"dismissed": "alert.dismiss", "closed": "alert.close"}


@transaction.atomic
def alert_close(*, actor, alert: TensionAlert, closure: str, reason: str, today: dt.date,
                expected_version: int | None = None) -> TensionAlert:
    """Close a current alert by hand as `closure` ("dismissed" or "closed") with a reason; returns it.

    Its open obligations are withdrawn with the same reason and their bodies told. The weekly scan opens
    a new alert if the cell fires again. Raises ApplicationError: REASON_REQUIRED without a reason,
    ROLE_CANNOT for a role without "tension.review", ILLEGAL for an alert already ended, CONFLICT when
    the alert changed since `expected_version`.
    """
    if closure not in CLOSURES:
        raise ValueError(f"unknown closure {closure!r}")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(TransitionError.REASON_REQUIRED)
    alert = transition(obj=alert, target=A.CLOSED, table=ALERT_TRANSITIONS, actor=actor, comment=reason,
                       expected_version=expected_version, action=CLOSURES[closure],
                       changes={"closed_on": today, "evidence": {**alert.evidence, "closure": closure}})
    for ob in alert.obligations.filter(status=OB.OPEN).select_related("body"):
        transition(obj=ob, target=OB.WITHDRAWN, table=OBLIGATION_TRANSITIONS, actor=actor, comment=reason,
                   action="obligation.withdrawn")
        notify(users=coordinators(body_id=ob.body_id), key=f"obligation:{ob.pk}:withdrawn",
               subject=_("Social tension: the unscheduled meeting is no longer required"),
               body=f"{alert} — {reason}", url=f"/staff/tension/alerts/{alert.pk}/")
    return alert
