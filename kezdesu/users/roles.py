"""Who may do what: one table of capabilities per role. Scope (which body, which region) is applied
by each model's `visible_to(user)` QuerySet; this table says which actions a role has at all."""

from __future__ import annotations

from collections.abc import Iterable

from kezdesu.users.models import Role
from kezdesu.users.scoping import acts_for

ALL_STAFF = frozenset(Role.values)
AUTHORIZED = frozenset({Role.AUTHORIZED_ADMIN, Role.AUTHORIZED_ANALYST})

CAPABILITIES: dict[str, frozenset[str]] = {
    # reference data
    "registry.view": ALL_STAFF,
    "registry.edit": frozenset({Role.AUTHORIZED_ADMIN}),
    "users.manage": frozenset({Role.AUTHORIZED_ADMIN}),
    "audit.view": frozenset({Role.AUTHORIZED_ADMIN, Role.AUTHORIZED_ANALYST, Role.GOVERNMENT_VIEWER}),
    "calendar.edit": frozenset({Role.AUTHORIZED_ADMIN}),
    # meetings (clauses 1.1 and 2)
    "meeting.view": ALL_STAFF - {Role.MODERATOR},
    "meeting.propose": frozenset({Role.BODY_COORDINATOR}),
    "meeting.agree": frozenset({Role.AKIMAT_COORDINATOR}),
    "meeting.support": frozenset({Role.AKIMAT_COORDINATOR, Role.BODY_COORDINATOR}),
    "meeting.results": frozenset({Role.BODY_COORDINATOR}),
    "commitment.update": frozenset({Role.BODY_COORDINATOR, Role.AKIMAT_COORDINATOR}),
    # compliance and reports (clauses 1.4, 3.3)
    "compliance.view": ALL_STAFF - {Role.MODERATOR},
    "report.submit": frozenset({Role.BODY_COORDINATOR}),
    "report.receive": AUTHORIZED,
    "report.results": AUTHORIZED | {Role.GOVERNMENT_VIEWER},
    "report.send_results": AUTHORIZED,
    # planning and procedure (clauses 3.1, 3.2)
    "plan.edit": AUTHORIZED,
    "plan.agree": frozenset({Role.BODY_COORDINATOR}),
    "plan.approve": frozenset({Role.GOVERNMENT_VIEWER}),
    "procedure.publish": frozenset({Role.AUTHORIZED_ADMIN}),
    "procedure.acknowledge": frozenset({Role.BODY_COORDINATOR}),
    # tension (clause 1.3)
    "tension.view": ALL_STAFF - {Role.MODERATOR},
    "tension.import": AUTHORIZED,
    "tension.review": AUTHORIZED,  # dismiss or close an alert with a reason
    # citizens' questions
    "question.moderate": frozenset({Role.MODERATOR, Role.AUTHORIZED_ADMIN}),
    "question.answer": frozenset({Role.BODY_COORDINATOR}),
    "question.themes": ALL_STAFF - {Role.MODERATOR},  # what people ask most, within each role's scope
}


def can(user, capability: str) -> bool:
    """Return whether the user's role grants `capability` (unknown capabilities are refused)."""
    if not getattr(user, "is_authenticated", False):
        return False
    role = user.role
    return role is not None and role in CAPABILITIES.get(capability, frozenset())


def can_act_for(user, capability: str, *, bodies: Iterable[int | None] = (),
                regions: Iterable[int | None] = ()) -> bool:
    """The write rule: the role grants `capability` and the user acts for one of `bodies` or `regions`
    (see `scoping.acts_for`). Used by services for writes; `visible_to` only decides reads."""
    return can(user, capability) and acts_for(user, bodies=bodies, regions=regions)
