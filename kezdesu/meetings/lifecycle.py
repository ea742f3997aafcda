"""The one table that decides who may move a meeting from which state to which."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from kezdesu.meetings.models import Status
from kezdesu.users.models import Role


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str]
    reason_required: bool = False
    # Taken only by `meeting_update` when the region, date, time or place of an agreed (or
    # counter-proposed) meeting changes: it goes back to the akimat of its region (clause 1.1).
    on_change_only: bool = False


BODY = frozenset({Role.BODY_COORDINATOR})
AKIMAT = frozenset({Role.AKIMAT_COORDINATOR})
BODY_OR_AKIMAT = BODY | AKIMAT
BODY_OR_ADMIN = BODY | {Role.AUTHORIZED_ADMIN}

_BEFORE_HELD = (Status.DRAFT, Status.PROPOSED, Status.RETURNED, Status.DECLINED, Status.AGREED,
                Status.ANNOUNCED, Status.POSTPONED)

TRANSITIONS: dict[tuple[str, str], Rule] = {
    (Status.DRAFT, Status.PROPOSED): Rule(BODY),
    (Status.RETURNED, Status.PROPOSED): Rule(BODY),
    (Status.DECLINED, Status.PROPOSED): Rule(BODY),
    (Status.POSTPONED, Status.PROPOSED): Rule(BODY),
    (Status.PROPOSED, Status.AGREED): Rule(AKIMAT),
    (Status.PROPOSED, Status.RETURNED): Rule(AKIMAT, reason_required=True),
    (Status.PROPOSED, Status.DECLINED): Rule(AKIMAT, reason_required=True),
    (Status.RETURNED, Status.AGREED): Rule(BODY),  # the body accepts the akimat's counter-proposal
    (Status.AGREED, Status.PROPOSED): Rule(BODY, on_change_only=True),
    (Status.ANNOUNCED, Status.PROPOSED): Rule(BODY, on_change_only=True),
    (Status.AGREED, Status.ANNOUNCED): Rule(BODY_OR_AKIMAT),
    (Status.ANNOUNCED, Status.HELD): Rule(BODY),
    (Status.HELD, Status.REPORTED): Rule(BODY),
    **{(s, Status.POSTPONED): Rule(BODY_OR_AKIMAT, reason_required=True)
       for s in (Status.PROPOSED, Status.AGREED, Status.ANNOUNCED)},
    **{(s, Status.CANCELLED): Rule(BODY_OR_ADMIN, reason_required=True) for s in _BEFORE_HELD},
}


def allowed_targets(source: str, role: str | None) -> list[str]:
    """Return the states a user of `role` may move a meeting in `source` to, in table order."""
    return [t for (s, t), rule in TRANSITIONS.items()
            if s == source and role in rule.roles and not rule.on_change_only]


# What the button says for each move, as a verb; the state names are for badges.
ACTION_LABELS = {
    (Status.DRAFT, Status.PROPOSED): _("Propose to the akimat"),
    (Status.RETURNED, Status.PROPOSED): _("Propose again"),
    (Status.DECLINED, Status.PROPOSED): _("Propose again"),
    (Status.POSTPONED, Status.PROPOSED): _("Propose a new date"),
    (Status.PROPOSED, Status.AGREED): _("Agree"),
    (Status.PROPOSED, Status.RETURNED): _("Counter-propose a date or venue"),
    (Status.PROPOSED, Status.DECLINED): _("Decline"),
    (Status.RETURNED, Status.AGREED): _("Accept the akimat's proposal"),
    (Status.AGREED, Status.ANNOUNCED): _("Announce to the public"),
    (Status.ANNOUNCED, Status.HELD): _("Mark as held"),
    (Status.HELD, Status.REPORTED): _("Close with results"),
}


def action_label(source: str, target: str) -> str:
    default = {Status.POSTPONED: _("Postpone"), Status.CANCELLED: _("Cancel")}.get(target, Status(target).label)
    return str(ACTION_LABELS.get((source, target), default))
