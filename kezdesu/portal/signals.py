"""What each write changes on the public pages: a saved or deleted row gives its scopes a new generation.

Signals rather than calls in each service: public pages show these rows whichever service, command,
import or admin form wrote them, and a forgotten call would show stale data for minutes.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from kezdesu.core.notifications import followed_change
from kezdesu.meetings.models import Commitment, Meeting, MeetingCoHost, MeetingResult
from kezdesu.portal.models import Registration
from kezdesu.portal.pagecache import GLOBAL_SCOPES, scopes_touch
from kezdesu.questions.models import Question, QuestionSupport
from kezdesu.registry.models import Body, Head, Region, Sector


def _meeting_scope(row) -> tuple[str, ...]:
    return (f"meeting:{row.meeting_id}",) if getattr(row, "meeting_id", None) else ()


def _scopes(sender, instance) -> tuple[str, ...]:
    if sender is Meeting:
        return ("meetings",)
    if sender in (MeetingResult, MeetingCoHost):
        return ("meetings",)
    if sender is Question:
        return ("questions", *_meeting_scope(instance))
    if sender is Commitment:
        return ("commitments", *_meeting_scope(instance))
    if sender is Registration:
        return _meeting_scope(instance)
    if sender is QuestionSupport:  # the count beside the question changed with it (an update, no signal)
        return ("questions", *_meeting_scope(instance.question))
    # Names of regions, bodies, heads and sectors appear on every public page.
    return GLOBAL_SCOPES


WATCHED = (Meeting, MeetingResult, MeetingCoHost, Question, QuestionSupport, Commitment, Registration, Body, Head,
           Region, Sector)


def _changed(sender, instance, **kwargs):
    scopes_touch(*_scopes(sender, instance))


def _m2m_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        scopes_touch(*GLOBAL_SCOPES)


def _followed(sender, kind, pk, **kwargs):
    from kezdesu.portal.services import follow_change_collect

    follow_change_collect(kind=kind, pk=pk)


def connect() -> None:
    followed_change.connect(_followed, dispatch_uid="portal-follow-up")
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"portal-cache-save-{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"portal-cache-delete-{model._meta.label}")
    for model in (Sector,):
        for field in model._meta.many_to_many:
            m2m_changed.connect(_m2m_changed, sender=field.remote_field.through,
                                dispatch_uid=f"portal-cache-m2m-{model._meta.label}-{field.name}")
