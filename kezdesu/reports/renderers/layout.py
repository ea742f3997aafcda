"""Lay out a builder's dataclass as a document in one language: title, sections, tables, charts.

The result (`Document`) is plain data that the DOCX, PDF and XLSX painters draw the same way, so the
three formats always carry the same headings, rows and totals. Labels are gettext strings rendered
under `translation.override(lang)`; names of bodies, regions and people come from the data in that
language. Table cells keep their Python types (int, date, str) so XLSX gets real numbers and dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kezdesu.compliance.labels import DEADLINE_LABELS, QUOTA_LABELS
from kezdesu.compliance.readings import reading_rows
from kezdesu.core import limits
from kezdesu.core.fields import clean_text
from kezdesu.meetings.models import Commitment, Meeting
from kezdesu.questions.models import Question
from kezdesu.reports.builders import (
    AlertLine,
    AnnexData,
    BriefingData,
    CommitmentLine,
    HalfYearData,
    ProcedureData,
    QuarterlyReportData,
    QuestionTotals,
    readings_from,
)
from kezdesu.tension.messages import reason_text

LANGUAGES = ("kk", "ru")
SUB = "– "  # marks a row of an indicator table that breaks down the row above it
# Longest text a paragraph block or a table cell carries; stored text is shorter (kezdesu.core.limits),
# so only rows written before the limits existed are shortened, with a visible mark. A cell holds what
# an XLSX cell can (32,767 characters).
TEXT_MAX = limits.PROCEDURE
CELL_MAX = 32_000
PIECE = 4_000  # a longer paragraph is set as several blocks: line breaking stays linear in its length
SHORTENED = " […]"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text | number | percent | date: alignment, and number format in XLSX
    width: float = 1.0  # relative to the other columns


@dataclass(frozen=True)
class Table:
    name: str  # the XLSX sheet holding it
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    totals: tuple | None = None  # one cell per column, None for an empty cell
    width: float = 1.0  # share of the text width the table spans in DOCX and PDF


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of one series."""

    name: str
    title: str
    categories: tuple[str, ...]
    values: tuple[int, ...]
    value_title: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | note


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Table | Chart | Paragraph, ...]


@dataclass(frozen=True)
class Document:
    lang: str
    filename: str  # without the extension
    title: str
    subtitle: tuple[str, ...]
    sections: tuple[Section, ...]
    footer: str
    corner: tuple[str, ...] = ()  # lines set at the top right (the decree an annex belongs to)
    draft_mark: str = ""
    landscape: bool = False  # wide tables: the quarterly information and the half-year results


COMPLIANCE = QUOTA_LABELS
REPORT = DEADLINE_LABELS
NOT_COUNTED = {
    "not_first_head": gettext_lazy("no: held by a deputy"),
    "acting_head": gettext_lazy("no: held by an acting head"),
    "not_agreed": gettext_lazy("no: not agreed with the akimat"),
    "before_in_force": gettext_lazy("no: before the resolution came into force"),
    "not_yet_held": gettext_lazy("no: not yet held"),
    "cancelled": gettext_lazy("no: cancelled"),
    "draft": gettext_lazy("no: draft"),
    "agreed_after_start": gettext_lazy("no: agreed with the akimat after it started"),
    "agreed_by_other_region": gettext_lazy("no: agreed by the akimat of another region"),
    "head_not_in_office": gettext_lazy("no: the head was not in office that day"),
    "online_only": gettext_lazy("no: held online only"),
    "unscheduled": gettext_lazy("no: unscheduled meetings do not count toward the quarter"),
}
ALERT_LEVELS = {
    "watch": gettext_lazy("watch"), "warning": gettext_lazy("warning"),
    "mandatory": gettext_lazy("mandatory meeting"),
}
OBLIGATIONS = {
    "open": gettext_lazy("awaiting the meeting"), "fulfilled": gettext_lazy("fulfilled"),
    "missed": gettext_lazy("deadline missed"), "withdrawn": gettext_lazy("withdrawn: tension subsided"),
}


def day(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def moment(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else "—"


def _label(mapping: dict, key: str) -> str:
    return str(mapping.get(key, key or "—"))


def _choice(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def resolution_reference(clause: str) -> str:
    return _("clause %(clause)s of Resolution of the Government of the Republic of Kazakhstan No. 12 "
             "of 17 January 2024") % {"clause": clause}


def footer(generated_on: dt.date) -> str:
    return _("Generated by Kezdesu on %(date)s") % {"date": day(generated_on)}


def readings_note(data: QuarterlyReportData) -> Paragraph | None:
    """The footnote under the quota figures: the readings of the resolution they rest on."""
    readings = readings_from(data.readings)
    if readings is None:
        return None
    parts = "; ".join(f"{r.label}: {r.current}" for r in reading_rows(readings))
    return Paragraph(_("Readings applied: %(readings)s.") % {"readings": parts}, "note")


def _indicators(name: str, rows: list[tuple[str, object]]) -> Table:
    return Table(name=name, columns=(Column(_("Indicator"), width=5), Column(_("Value"), "number", 1.6)),
                 rows=tuple(rows), width=0.7)


def _question_rows(q: QuestionTotals) -> list[tuple[str, object]]:
    return [
        (_("Questions raised at the meetings"), q.raised),
        (SUB + _("answered on the spot"), q.on_the_spot),
        (SUB + _("taken under control"), q.under_control),
        (SUB + _("resolved since"), q.resolved),
        (_("Questions asked in advance on the portal"), q.portal),
        (SUB + _("answered"), q.portal_answered),
    ]


def _alerts_section(title: str, alerts: tuple[AlertLine, ...], lang: str, *, empty: str) -> Section:
    if not alerts:
        return Section(title, (Paragraph(empty),))
    rows = tuple(
        (i, a.region.get(lang), a.sector.get(lang), _label(ALERT_LEVELS, a.level), a.opened_on, a.body.get(lang),
         a.deadline, a.meeting_day or _("not yet held"), _label(OBLIGATIONS, a.status))
        for i, a in enumerate(alerts, 1)
    )
    columns = (Column(_("No."), "number", 0.5), Column(_("Region"), width=2), Column(_("Sector"), width=1.8),
               Column(_("Level"), width=1.4), Column(_("Raised"), "date", 1.2), Column(_("Body"), width=2.2),
               Column(_("Deadline"), "date", 1.2), Column(_("Unscheduled meeting"), "date", 1.3),
               Column(_("Status"), width=1.5))
    totals = (None, _("Total: %(n)s") % {"n": len(alerts)}, None, None, None, None, None,
              sum(1 for a in alerts if a.meeting_day), sum(1 for a in alerts if a.fulfilled))
    return Section(title, (Table(_("Tension alerts"), columns, rows, totals),))


# --- quarterly information (clause 1.4) ---------------------------------------------------------------------


def _quarterly_summary(data: QuarterlyReportData) -> list:
    c = data.commitment_totals
    summary = [
        (_("Meetings held"), len(data.meetings)),
        (SUB + _("held by the first head"), data.first_head_total),
        (SUB + _("counted toward the quarterly quota (clause 1.1)"), data.counted_total),
        (SUB + _("unscheduled (clause 1.3)"), len(data.unscheduled)),
        (_("Citizens who attended"), data.attendance_total),
        (_("Online viewers"), data.online_total),
        *_question_rows(data.questions),
        (_("Commitments made"), c.total),
        (SUB + _("done"), c.done),
        (SUB + _("in progress"), c.in_progress),
        (SUB + _("open"), c.open),
        (SUB + _("overdue"), c.overdue),
        (_("Average progress of commitments, per cent"), c.average_progress),
        (_("Obligations to hold an unscheduled meeting (clause 1.3)"), len(data.alerts)),
        (SUB + _("fulfilled"), sum(1 for a in data.alerts if a.fulfilled)),
        (_("Quarterly quota (clause 1.1)"), _label(COMPLIANCE, data.compliance_status)),
        (_("Report deadline (clause 1.4)"), data.report_deadline),
        (_("Report status"), _label(REPORT, data.report_status)),
    ]
    if data.submitted_at:
        summary.append((_("Submitted"), f"{moment(data.submitted_at)}, {data.submitted_by}".rstrip(", ")))
    return summary


def _quarterly_meeting_table(data: QuarterlyReportData, lang: str) -> Table:
    acting = _("acting")
    held_for, joint = _("holding body"), _("jointly with")
    meetings = tuple(
        (i, m.day, f"{m.region.get(lang)}, {m.settlement}", _choice(Meeting.Format, m.format),
         m.held_by.get(lang) + (f" ({m.position.get(lang)})" if m.position.get(lang) else "")
         + (f"; {held_for}: {m.host.get(lang)}" if m.host else "")
         + (f"; {joint}: {', '.join(n.get(lang) for n in m.joint_with)}" if m.joint_with else ""),
         yes_no(m.first_head) + (f" ({acting})" if m.acting and m.first_head else ""),
         m.attendance, m.questions_raised, m.answered_on_the_spot, m.under_control,
         _("yes") if m.counted else _label(NOT_COUNTED, m.not_counted_reason))
        for i, m in enumerate(data.meetings, 1)
    )
    return Table(
        _("Meetings"),
        (Column(_("No."), "number", 0.5), Column(_("Date"), "date", 1.3), Column(_("Region, settlement"), width=2.6),
         Column(_("Format"), width=1.1), Column(_("Held by"), width=2.2), Column(_("First head"), width=0.9),
         Column(_("Attendance"), "number", 1.1), Column(_("Questions raised"), "number", 1),
         Column(_("Answered on the spot"), "number", 1), Column(_("Taken under control"), "number", 1),
         Column(_("Counts toward the quota"), width=1.6)),
        meetings,
        (None, _("Total"), None, None, None, data.first_head_total, data.attendance_total,
         data.questions.raised, data.questions.on_the_spot, data.questions.under_control, data.counted_total),
    )


def _quarterly_commitment_table(data: QuarterlyReportData, lang: str) -> Table:
    akimat, overdue = _("akimat"), _("overdue")
    commitments = tuple(
        (i, x.text, x.meeting_day,
         x.responsible.get(lang) + (f" ({akimat})" if x.responsible_is_akimat else ""),
         x.deadline, x.progress,
         _choice(Commitment.Status, x.status) + (f", {overdue}" if x.overdue else ""))
        for i, x in enumerate(data.commitments, 1)
    )
    return Table(
        _("Commitments"),
        (Column(_("No."), "number", 0.5), Column(_("What was promised"), width=4), Column(_("Meeting"), "date", 1.2),
         Column(_("Responsible"), width=2.2), Column(_("Deadline"), "date", 1.2), Column(_("Progress"), "percent", 1),
         Column(_("Status"), width=1.5)),
        commitments,
        (None, _("Total: %(n)s") % {"n": data.commitment_totals.total}, None, None, None, None, None),
    )


def _quarterly(data: QuarterlyReportData, lang: str) -> Document:
    period = _("for the %(number)s quarter of %(year)s") % {"number": data.quarter, "year": data.year}
    summary = _quarterly_summary(data)
    meeting_table = _quarterly_meeting_table(data, lang)
    commitment_table = _quarterly_commitment_table(data, lang)
    unscheduled = [Paragraph(_("Unscheduled meetings held: %(n)s.") % {"n": len(data.unscheduled)})]
    alerts = _alerts_section(_("Unscheduled meetings and social tension alerts (clause 1.3)"), data.alerts, lang,
                             empty=_("The body had no obligation to hold an unscheduled meeting in the quarter."))
    links = tuple((i, m.day, m.region.get(lang), link) for i, (m, link) in enumerate(data.media_links, 1))
    note = readings_note(data)
    carried = ()
    if data.predecessors:
        carried = (Paragraph(_("Including the meetings of the quarter held by %(bodies)s, whose quarter this body "
                               "carries.") % {"bodies": ", ".join(n.get(lang) for n in data.predecessors)}, "note"),)
    sections = [
        Section(_("Summary"), (_indicators(_("Summary"), summary), *carried, *((note,) if note else ()))),
        Section(_("Meetings held"), (meeting_table,) if data.meetings else (
            Paragraph(_("No meeting was held in the quarter.")),)),
        Section(_("Commitments made at the meetings"), (commitment_table,) if data.commitments else (
            Paragraph(_("No commitments were recorded.")),)),
        Section(alerts.title, (*unscheduled, *alerts.blocks)),
        Section(_("Media coverage"), (Table(_("Media"), (
            Column(_("No."), "number", 0.5), Column(_("Meeting"), "date", 1.2), Column(_("Region"), width=2),
            Column(_("Link"), width=6)), links),) if links else (Paragraph(_("No links were recorded.")),)),
    ]
    if data.comment:
        sections.append(Section(_("Comment of the body"), (Paragraph(data.comment),)))
    return Document(
        lang=lang, filename=f"quarterly-{data.body_slug}-{data.period}-{lang}",
        title=_("Generalised information on the meetings held with the population"),
        subtitle=(data.body.get(lang),
                  f"{period} ({day(data.period_start)} – {day(data.period_end)})",
                  "(" + resolution_reference("1.4") + ")"),
        sections=tuple(sections), footer=footer(data.generated_on),
        draft_mark="" if not data.is_draft else _("DRAFT: not yet submitted"), landscape=True,
    )


# --- half-year results (clause 3.3) -------------------------------------------------------------------------


def _half_period(half: int, year: int) -> str:
    if half == 1:
        return _("for the first half of %(year)s") % {"year": year}
    return _("for the second half of %(year)s") % {"year": year}


def _half_year_summary(data: HalfYearData) -> list:
    bound = data.bound_bodies
    c, q = data.commitments, data.questions
    summary = [
        (_("Central executive bodies bound by the resolution"), len(bound)),
        (SUB + _("met the quota in every quarter"), data.compliant_bodies),
        (_("Meetings held"), data.meetings_total),
        (SUB + _("counted toward the quarterly quotas"), data.counted_total),
        (_("Citizens who attended"), data.attendance_total),
        (_("Regions covered"), f"{len(data.covered)} / {len(data.regions)}"),
        *_question_rows(q),
        (_("Commitments made"), c.total),
        (SUB + _("done"), c.done),
        (SUB + _("in progress"), c.in_progress),
        (SUB + _("open"), c.open),
        (SUB + _("overdue"), c.overdue),
        (_("Average progress of commitments, per cent"), c.average_progress),
    ]
    a = data.alert_counts
    summary += [
        (_("Social tension alerts raised (clause 1.3)"), a.raised),
        (SUB + _("watch"), a.watch), (SUB + _("warning"), a.warning), (SUB + _("mandatory meeting"), a.mandatory),
        (_("Obligations to hold an unscheduled meeting (clause 1.3)"), len(data.alerts)),
        (SUB + _("fulfilled"), sum(1 for x in data.alerts if x.fulfilled)),
        (SUB + _("deadline missed"), sum(1 for x in data.alerts if x.status == "missed")),
        (SUB + _("awaiting the meeting"), sum(1 for x in data.alerts if x.status == "open")),
    ]
    return summary


def _half_year_body_table(data: HalfYearData, lang: str) -> Table:
    q1, q2 = data.quarters
    columns = (Column(_("No."), "number", 0.5), Column(_("Central executive body"), width=3.2),
               Column(_("Quota, %(q)s") % {"q": q1}, width=1.2), Column(_("Report, %(q)s") % {"q": q1}, width=1.2),
               Column(_("Quota, %(q)s") % {"q": q2}, width=1.2), Column(_("Report, %(q)s") % {"q": q2}, width=1.2),
               Column(_("Meetings held"), "number", 1.25), Column(_("By the first head"), "number", 1.1),
               Column(_("Attendance"), "number", 1.25), Column(_("Regions"), "number", 0.9))
    rows = []
    for i, b in enumerate(data.bodies, 1):
        cells = {cell.quarter: cell for cell in b.cells}
        statuses = []
        for quarter in data.quarters:
            cell = cells.get(quarter)
            statuses += [_label(COMPLIANCE, cell.status), _label(REPORT, cell.report_status)] if cell else ["—", "—"]
        rows.append((i, b.name.get(lang), *statuses, b.meetings_held, b.by_first_head, b.attendance, b.regions))
    return Table(_("Compliance"), columns, tuple(rows), (
        None, _("Total"), None, None, None, None, data.meetings_total, sum(b.by_first_head for b in data.bodies),
        data.attendance_total, len(data.covered)))


def _half_year(data: HalfYearData, lang: str) -> Document:
    c, q = data.commitments, data.questions
    summary = _half_year_summary(data)
    body_table = _half_year_body_table(data, lang)
    region_table = Table(
        _("Regions"),
        (Column(_("No."), "number", 0.5), Column(_("Region"), width=3), Column(_("Meetings held"), "number", 1),
         Column(_("Bodies"), "number", 1), Column(_("Attendance"), "number", 1.1), Column(_("Covered"), width=1)),
        tuple((i, r.name.get(lang), r.meetings, r.bodies, r.attendance, yes_no(r.covered))
              for i, r in enumerate(data.regions, 1)),
        (None, _("Total"), data.meetings_total, None, data.attendance_total, len(data.covered)),
    )
    not_covered = ", ".join(r.name.get(lang) for r in data.not_covered)
    coverage_note = (_("Regions not covered: %(regions)s.") % {"regions": not_covered} if not_covered
                     else _("Every region was covered."))
    sections = (
        Section(_("Summary"), (_indicators(_("Summary"), summary),)),
        Section(_("Compliance of each body (clauses 1.1 and 1.4)"), (
            body_table,
            Chart(_("Meetings per body"), _("Meetings held per body"),
                  tuple(b.name.get(lang) for b in data.bodies), tuple(b.meetings_held for b in data.bodies),
                  _("Meetings held")),
        )),
        Section(_("Regions covered"), (
            region_table, Paragraph(coverage_note),
            Chart(_("Meetings per region"), _("Meetings held per region"),
                  tuple(r.name.get(lang) for r in data.regions), tuple(r.meetings for r in data.regions),
                  _("Meetings held")),
        )),
        Section(_("Questions and commitments"), (_indicators(_("Questions and commitments"), [
            *_question_rows(q), (_("Commitments made"), c.total), (SUB + _("done"), c.done),
            (SUB + _("in progress"), c.in_progress), (SUB + _("open"), c.open), (SUB + _("cancelled"), c.cancelled),
            (SUB + _("overdue"), c.overdue), (_("Average progress of commitments, per cent"), c.average_progress)]),)),
        _alerts_section(_("Tension alerts and responses (clause 1.3)"), data.alerts, lang,
                        empty=_("No tension alert was raised in the half-year.")),
    )
    return Document(
        lang=lang, filename=f"half-year-{data.period}-{lang}",
        title=_("Information on the results of the meetings of the heads of central executive bodies "
                "with the population"),
        subtitle=(f"{_half_period(data.half, data.year)} ({day(data.period_start)} – {day(data.period_end)})",
                  _("to the Office of the Government of the Republic of Kazakhstan"),
                  "(" + resolution_reference("3.3") + ")",
                  _("Due by %(date)s") % {"date": day(data.deadline)}),
        sections=sections, footer=footer(data.generated_on), landscape=True,
    )


# --- schedule annex (clause 3.1) ----------------------------------------------------------------------------


def _annex(data: AnnexData, lang: str) -> Document:
    if data.decree_number and data.decree_date:
        corner = _("Annex to the Resolution of the Government of the Republic of Kazakhstan No. %(number)s "
                   "of %(date)s") % {"number": data.decree_number, "date": day(data.decree_date)}
    else:
        corner = _("Annex to the Resolution of the Government of the Republic of Kazakhstan "
                   "No. ____ of «___» __________ %(year)s") % {"year": data.year if data.half == 2 else data.year - 1}
    if data.half == 1:
        title = _("Schedule of meetings of the heads of central executive bodies with the population "
                  "for the first half of %(year)s") % {"year": data.year}
    else:
        title = _("Schedule of meetings of the heads of central executive bodies with the population "
                  "for the second half of %(year)s") % {"year": data.year}
    rows = tuple((line.number, line.body.get(lang), line.region.get(lang), str(MONTHS[line.month]),
                  f"{line.week_start:%d.%m} – {line.week_end:%d.%m.%Y}") for line in data.lines)
    table = Table(_("Schedule"), (
        Column(_("No."), "number", 0.5), Column(_("Central executive body"), width=3.5),
        Column(_("Region"), width=2.5), Column(_("Month"), width=1.2), Column(_("Week"), width=1.8)),
        rows, (None, _("Total: %(n)s") % {"n": len(rows)}, None, None, None))
    return Document(lang=lang, filename=f"annex-{data.period}-{lang}", corner=(corner,), title=title, subtitle=(),
                    sections=(Section("", (table,)),), footer=footer(data.generated_on))


# --- procedure (clause 3.2) ---------------------------------------------------------------------------------


def _procedure(data: ProcedureData, lang: str) -> Document:
    corner = (_("Approved by the authorized body in the field of access to information"),
              _("Version %(version)s, in force from %(date)s") % {"version": data.version,
                                                                   "date": day(data.effective_from)})
    published = _("Published on %(date)s") % {"date": moment(data.published_at)}
    if data.published_by:
        published += f", {data.published_by}"
    return Document(
        lang=lang, filename=f"procedure-v{data.version}-{lang}", corner=corner, title=data.title.get(lang),
        subtitle=("(" + resolution_reference("3.2") + ")",),
        sections=(Section("", (*(Paragraph(p) for p in data.paragraphs(lang)), Paragraph(published, "note"))),),
        footer=footer(data.generated_on),
    )


# --- briefing pack for the head before a meeting ------------------------------------------------------------


def _briefing_meeting(data: BriefingData, lang: str) -> Table:
    position = data.position.get(lang)
    rows = [
        (_("Central executive body"), data.body.get(lang)),
        (_("Held by"), data.held_by.get(lang) + (f" ({position})" if position else "")),
        (_("Region"), data.region.get(lang)),
        (_("Date and time"), moment(data.starts_at)),
        (_("Place"), ", ".join(p for p in (data.settlement, data.venue) if p) or "—"),
        (_("Format"), _choice(Meeting.Format, data.format)),
        (_("Kind"), _choice(Meeting.Kind, data.kind)),
    ]
    return Table(_("Meeting"), (Column(_("Indicator"), width=2), Column(_("Value"), width=5)), tuple(rows))


def _change(value: int | None) -> str:
    if value is None:
        return _("new")
    return f"{value:+d}\u00a0%" if value else "0\u00a0%"


def _briefing_appeals(data: BriefingData, lang: str) -> tuple:
    if not data.sectors:
        return (Paragraph(_("No appeals were recorded in the region over the last %(weeks)s weeks.")
                          % {"weeks": len(data.weeks)}),)
    current, previous = data.current_weeks, data.previous_weeks
    now_title = f"{day(current[0])} – {day(current[-1] + dt.timedelta(days=6))}"
    before_title = f"{day(previous[0])} – {day(previous[-1] + dt.timedelta(days=6))}"
    rows = tuple((i, s.sector.get(lang), s.previous, s.current, _change(s.change))
                 for i, s in enumerate(data.sectors, 1))
    total_now, total_before = sum(s.current for s in data.sectors), sum(s.previous for s in data.sectors)
    change = round(100 * (total_now - total_before) / total_before) if total_before else None
    table = Table(_("Appeals by sector"), (
        Column(_("No."), "number", 0.5), Column(_("Sector"), width=3),
        Column(_("Previous %(weeks)s weeks") % {"weeks": len(previous)} + f", {before_title}", "number", 1.6),
        Column(_("Last %(weeks)s weeks") % {"weeks": len(current)} + f", {now_title}", "number", 1.6),
        Column(_("Change"), "number", 1)), rows, (None, _("Total"), total_before, total_now, _change(change)))
    by_sector = Chart(_("Appeals per sector"), _("Appeals per sector over the last %(weeks)s weeks")
                      % {"weeks": len(current)}, tuple(s.sector.get(lang) for s in data.sectors),
                      tuple(s.current for s in data.sectors), _("Appeals"))
    by_week = Chart(_("Appeals per week"), _("Appeals per week, all sectors"),
                    tuple(day(w) for w in data.weeks), data.weekly_totals, _("Appeals"))
    note = Paragraph(_("Appeals of citizens from the region as imported into Kezdesu, counted by the week they were "
                       "received."), "note")
    return table, note, by_sector, by_week


def _reason(reason: dict) -> str:
    if "code" not in reason:
        return str(reason.get("text", ""))
    try:
        return reason_text(reason)
    except KeyError:
        return str(reason.get("code"))


def _briefing_alerts(data: BriefingData, lang: str) -> tuple:
    if not data.alerts:
        return (Paragraph(_("There is no open social tension alert in the region.")),)
    rows = tuple((i, a.sector.get(lang), _label(ALERT_LEVELS, a.level), a.since,
                  " ".join(_reason(r) for r in a.reasons) or "—") for i, a in enumerate(data.alerts, 1))
    return (Table(_("Tension alerts"), (
        Column(_("No."), "number", 0.5), Column(_("Sector"), width=2), Column(_("Level"), width=1.9),
        Column(_("Since"), "date", 1.3), Column(_("Why"), width=5)), rows),)


def _briefing_questions(data: BriefingData) -> tuple:
    if not data.questions:
        return (Paragraph(_("No question has been published for this meeting yet.")),)
    rows = tuple((i, q.text, q.supports, _choice(Question.Status, q.status), q.day)
                 for i, q in enumerate(data.questions, 1))
    return (Table(_("Questions"), (
        Column(_("No."), "number", 0.5), Column(_("Question"), width=6), Column(_("Supports"), "number", 1.4),
        Column(_("Status"), width=1.6), Column(_("Published"), "date", 1.6)), rows),)


def _briefing_themes(data: BriefingData) -> tuple:
    if not data.themes:
        return (Paragraph(_("No themes yet: the questions of this meeting have not been grouped.")),)
    rows = tuple((i, t.label, t.size, "\n".join(t.examples)) for i, t in enumerate(data.themes, 1))
    return (Table(_("Themes"), (
        Column(_("No."), "number", 0.5), Column(_("Theme"), width=2.5), Column(_("Questions"), "number", 1),
        Column(_("Examples"), width=6)), rows),)


def _commitment_rows(lines: tuple[CommitmentLine, ...], lang: str) -> tuple:
    akimat, overdue = _("akimat"), _("overdue")
    return tuple(
        (i, x.text, x.meeting_day, x.responsible.get(lang) + (f" ({akimat})" if x.responsible_is_akimat else ""),
         x.deadline, x.progress, _choice(Commitment.Status, x.status) + (f", {overdue}" if x.overdue else ""))
        for i, x in enumerate(lines, 1)
    )


def _commitment_columns() -> tuple[Column, ...]:
    return (Column(_("No."), "number", 0.5), Column(_("What was promised"), width=4),
            Column(_("Meeting"), "date", 1.2), Column(_("Responsible"), width=2), Column(_("Deadline"), "date", 1.2),
            Column(_("Progress"), "percent", 1.3), Column(_("Status"), width=1.5))


def _briefing_commitments(data: BriefingData, lang: str) -> tuple:
    if not data.commitments:
        return (Paragraph(_("The body has no open commitment in the region.")),)
    return (Table(_("Open commitments"), _commitment_columns(), _commitment_rows(data.commitments, lang)),)


def _briefing_visits(data: BriefingData, lang: str) -> tuple:
    if not data.visits:
        return (Paragraph(_("The body has not held a meeting in the region before.")),)
    visits = tuple((i, v.day, v.held_by.get(lang) + (f" ({v.position.get(lang)})" if v.position.get(lang) else ""),
                    v.settlement, len(v.commitments)) for i, v in enumerate(data.visits, 1))
    blocks: list = [Table(_("Previous visits"), (
        Column(_("No."), "number", 0.5), Column(_("Date"), "date", 1.2), Column(_("Held by"), width=3.5),
        Column(_("Settlement"), width=2), Column(_("Commitments"), "number", 1.8)), visits)]
    promised = tuple(c for v in data.visits for c in v.commitments)
    if promised:
        blocks += [Paragraph(_("What was promised at these meetings:")),
                   Table(_("Promised"), _commitment_columns(), _commitment_rows(promised, lang))]
    else:
        blocks.append(Paragraph(_("No commitment was made at these meetings.")))
    return tuple(blocks)


def _briefing(data: BriefingData, lang: str) -> Document:
    return Document(
        lang=lang, filename=f"briefing-{data.meeting_id}-{lang}",
        title=_("Briefing for the meeting with the population"),
        subtitle=(f"{data.body_short.get(lang)} — {data.region.get(lang)}", moment(data.starts_at)),
        sections=(
            Section(_("The meeting"), (_briefing_meeting(data, lang),)),
            Section(_("Appeals of the region by sector"), _briefing_appeals(data, lang)),
            Section(_("Open social tension alerts in the region"), _briefing_alerts(data, lang)),
            Section(_("Most supported questions"), _briefing_questions(data)),
            Section(_("What people ask about: themes"), _briefing_themes(data)),
            Section(_("Open commitments of the body in the region"), _briefing_commitments(data, lang)),
            Section(_("Previous visits of the body to the region"), _briefing_visits(data, lang)),
        ),
        footer=footer(data.generated_on),
    )


def lay_out(data, lang: str) -> Document:
    """Returns the document of a builder's dataclass in `lang` ("kk" or "ru"), with its text printable."""
    with translation.override(lang):
        if isinstance(data, QuarterlyReportData):
            return printable(_quarterly(data, lang))
        if isinstance(data, HalfYearData):
            return printable(_half_year(data, lang))
        if isinstance(data, AnnexData):
            return printable(_annex(data, lang))
        if isinstance(data, ProcedureData):
            return printable(_procedure(data, lang))
        if isinstance(data, BriefingData):
            return printable(_briefing(data, lang))
    raise TypeError(f"no layout for {type(data).__name__}")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - len(SHORTENED)] + SHORTENED


def _pieces(text: str) -> list[str]:
    """Splits a long paragraph at line breaks, else at spaces, else anywhere, into pieces of ≤ PIECE."""
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > PIECE:
            cut = line.rfind(" ", PIECE // 2, PIECE)
            cut = cut if cut > 0 else PIECE
            if current:
                out.append(current)
                current = ""
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        if current and len(current) + 1 + len(line) > PIECE:
            out.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def _printable_value(value, limit: int):
    if isinstance(value, str):
        return _shorten(clean_text(value), limit)
    if isinstance(value, tuple):
        return tuple(_printable_value(v, limit) for v in value)
    if isinstance(value, Table | Chart | Column):
        return dataclasses.replace(value, **{f.name: _printable_value(getattr(value, f.name), CELL_MAX)
                                             for f in dataclasses.fields(value)})
    return value


def printable(doc: Document) -> Document:
    """Returns `doc` with every text made safe for the three formats, whatever was stored.

    Control characters (which DOCX and XLSX cannot hold) are removed, table cells and paragraphs are
    capped (a mark shows where), and long paragraphs become several blocks so that painting time grows
    with the length of the text, not with its square.
    """
    sections = []
    for section in doc.sections:
        blocks: list = []
        for block in section.blocks:
            if isinstance(block, Paragraph):
                text = _shorten(clean_text(block.text), TEXT_MAX)
                blocks += [Paragraph(piece, block.style) for piece in _pieces(text)]
            else:
                blocks.append(_printable_value(block, CELL_MAX))
        sections.append(Section(_printable_value(section.title, limits.LINE * 4), tuple(blocks)))
    line = limits.LINE * 4
    return dataclasses.replace(
        doc, title=_printable_value(doc.title, line), subtitle=_printable_value(doc.subtitle, line),
        footer=_printable_value(doc.footer, line), corner=_printable_value(doc.corner, line),
        draft_mark=_printable_value(doc.draft_mark, line), sections=tuple(sections),
        filename=re.sub(r"[^\w.-]", "-", doc.filename),
    )


def cell_text(value, column: Column) -> str:
    """Returns a table cell as text for DOCX and PDF: grouped numbers, dd.mm.yyyy dates, per cent."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        text = f"{value:,}".replace(",", "\u00a0")
        return f"{text}\u00a0%" if column.kind == "percent" else text
    if isinstance(value, dt.date):
        return day(value)
    return str(value)


def numbered(sections: tuple[Section, ...]) -> list[tuple[str, Section]]:
    """Returns (heading, section) with headings numbered "1. …" (untitled sections get no heading)."""
    out, n = [], 0
    for section in sections:
        if section.title:
            n += 1
            out.append((f"{n}. {section.title}", section))
        else:
            out.append(("", section))
    return out
