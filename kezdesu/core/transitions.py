"""One way to change a status: a declared table of moves and one `transition` function.

Each status machine declares `TRANSITIONS = {(source, target): Move(...)}` next to its services. The
function locks the row, checks the version the user saw, checks the move against the table, writes the
new status, one history row (`obj.transitions`, a concrete `StatusChange`) and one audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kezdesu.core.actors import SYSTEM, Actor
from kezdesu.core.audit import audit_record, snapshot
from kezdesu.core.errors import ApplicationError, CoreError, TransitionError
from kezdesu.users.roles import can


@dataclass(frozen=True)
class Move:
    """Who may make one move: staff holding `capability` (users/roles.py), and/or the system actor."""

    capability: str | None = None
    system: bool = False
    reason_required: bool = False


Table = Mapping[tuple[str, str], Move]


class StatusChange(models.Model):
    """A history row: one status change with who, when and why. Each status model has a concrete
    subclass with a foreign key `related_name="transitions"`."""

    source = models.CharField(_("from"), max_length=20)
    target = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


def allowed(move: Move, actor: Actor) -> bool:
    if actor is SYSTEM:
        return move.system
    return move.capability is not None and can(actor, move.capability)


def targets(table: Table, source: str, actor: Actor) -> list[str]:
    """The states `actor` may move a record in `source` to, in table order."""
    return [t for (s, t), move in table.items() if s == source and allowed(move, actor)]


def _label(obj: models.Model, value: str) -> str:
    field = obj._meta.get_field("status")
    return str(dict(field.flatchoices).get(value, value))


@transaction.atomic
def _check_move(fresh: models.Model, *, target: str, table: Table, actor: Actor, comment: str,
                expected_version: int | None, version_field: str | None) -> str:
    """Return the stripped comment if `actor` may move the locked row `fresh` to `target`; raises otherwise."""
    if expected_version is not None and version_field and getattr(fresh, version_field) != expected_version:
        raise ApplicationError(CoreError.CONFLICT)
    move = table.get((fresh.status, target))
    if move is None:
        raise ApplicationError(TransitionError.ILLEGAL, source=_label(fresh, fresh.status),
                               target=_label(fresh, target))
    if not allowed(move, actor):
        raise ApplicationError(TransitionError.ROLE_CANNOT)
    comment = (comment or "").strip()
    if move.reason_required and not comment:
        raise ApplicationError(TransitionError.REASON_REQUIRED)
    return comment


def transition[M: models.Model](*, obj: M, target: str, table: Table, actor: Actor, comment: str = "",
               at: dt.datetime | None = None, expected_version: int | None = None,
               version_field: str | None = "version", changes: Mapping[str, object] | None = None,
               action: str | None = None, exclude: Iterable[str] = ("created_at", "updated_at")) -> M:
    """Move `obj` to `target` and return the locked, saved row (`obj` is refreshed to match).

    `changes` are field values written with the status (a decision's time, a decree number).
    Raises ApplicationError: CoreError.CONFLICT when the row's version is not `expected_version`,
    TransitionError.ILLEGAL (also a conflict) when the table has no such move, ROLE_CANNOT when the actor
    may not make it, REASON_REQUIRED when the move needs a comment. Nothing is written when it raises.
    """
    if actor is None:
        raise TypeError("transition needs an actor: a user or SYSTEM")
    fresh = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
    source = fresh.status
    comment = _check_move(fresh, target=target, table=table, actor=actor, comment=comment,
                          expected_version=expected_version, version_field=version_field)
    now = at or timezone.now()
    before = snapshot(fresh, exclude=exclude)
    for name, value in (changes or {}).items():
        setattr(fresh, name, value)
    fresh.status = target
    if version_field:
        setattr(fresh, version_field, getattr(fresh, version_field) + 1)
    fresh.save()
    fresh.transitions.create(source=source, target=target, actor=actor if getattr(actor, "pk", None) else None,
                             comment=comment, at=now)
    audit_record(actor=actor, action=action or f"{fresh._meta.model_name}.{target}", obj=fresh, before=before,
                 after=snapshot(fresh, exclude=exclude), comment=comment)
    for field in fresh._meta.concrete_fields:
        setattr(obj, field.attname, getattr(fresh, field.attname))
    return fresh
