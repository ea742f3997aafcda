"""One way to scope a QuerySet to a user: who sees everything, and what a body or an akimat sees;
and one way to say on whose behalf a user may act (writes are checked by that, not by what is seen)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

from kezdesu.core.actors import SYSTEM
from kezdesu.users.models import Membership, Role

SEES_ALL = (Role.AUTHORIZED_ADMIN, Role.AUTHORIZED_ANALYST, Role.GOVERNMENT_VIEWER)
# The authorized body's administrator acts nationwide (cancels any meeting, for one); what it may do at
# all is still the capability table's and each status table's to say.
ACTS_EVERYWHERE = (Role.AUTHORIZED_ADMIN,)

Rule = Callable[[Membership], Q]


def every_row(membership: Membership) -> Q:
    """A rule that keeps every row (for reference data a role reads whole)."""
    return Q()


def _membership(user):
    if user is None:
        raise TypeError("a scope needs a user or SYSTEM, never None")
    return user.membership if getattr(user, "is_authenticated", False) else None


def scope(qs: QuerySet, user, *, body: Rule | None = None, region: Rule | None = None,
          sees_all: Iterable[str] = SEES_ALL) -> QuerySet:
    """Return `qs` restricted to what `user` may read: everything for SYSTEM and the `sees_all` roles,
    the `body` rule for body coordinators, the `region` rule for akimat coordinators, nothing otherwise.
    Raises TypeError for `user=None`: an absent user is not the system."""
    if user is SYSTEM:
        return qs
    membership = _membership(user)
    if membership is None:
        return qs.none()
    if membership.role in tuple(sees_all):
        return qs
    if membership.role == Role.BODY_COORDINATOR and body is not None:
        return qs.filter(body(membership))
    if membership.role == Role.AKIMAT_COORDINATOR and region is not None:
        return qs.filter(region(membership))
    return qs.none()


def scope_bodies(qs: QuerySet, user, *, field: str = "pk") -> QuerySet:
    """Return `qs` (bodies, or rows whose body is at `field`) restricted to the bodies whose figures the
    user follows: a body coordinator its own body; the roles that see all and akimats every body."""
    return scope(qs, user, body=lambda m: Q(**{field: m.body_id}), region=every_row)


def scope_acting(qs: QuerySet, user, *, body: Rule, region: Rule) -> QuerySet:
    """Return the rows of `qs` the user acts for: the QuerySet form of `acts_for` (the `body` rule for a
    body coordinator, the `region` rule for an akimat, every row for ACTS_EVERYWHERE, nothing otherwise)."""
    if user is SYSTEM:
        return qs.none()
    return scope(qs, user, body=body, region=region, sees_all=ACTS_EVERYWHERE)


def acts_for(user, *, bodies: Iterable[int | None] = (), regions: Iterable[int | None] = ()) -> bool:
    """Return whether `user` acts on behalf of one of `bodies` (as its coordinator) or one of `regions`
    (as its akimat's coordinator); the roles in ACTS_EVERYWHERE act for every body and region. Seeing a
    row is not this: an akimat sees a ministry's commitment in its region but does not act for the
    ministry. Raises TypeError for `user=None`."""
    membership = _membership(user)
    if membership is None:
        return False
    if membership.role in ACTS_EVERYWHERE:
        return True
    if membership.role == Role.BODY_COORDINATOR:
        return membership.body_id is not None and membership.body_id in {b for b in bodies if b is not None}
    if membership.role == Role.AKIMAT_COORDINATOR:
        return membership.region_id is not None and membership.region_id in {r for r in regions if r is not None}
    return False
