"""One way to scope a QuerySet to a user: who sees everything, and what a body or an akimat sees."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Q, QuerySet

from kezdesu.users.models import Membership, Role

SEES_ALL = (Role.AUTHORIZED_ADMIN, Role.AUTHORIZED_ANALYST, Role.GOVERNMENT_VIEWER)

Rule = Callable[[Membership], Q]


def scope(qs: QuerySet, user, *, body: Rule | None = None, region: Rule | None = None,
          sees_all: Iterable[str] = SEES_ALL) -> QuerySet:
    """Return `qs` restricted to what `user` may read: everything for the `sees_all` roles, the
    `body` rule for body coordinators, the `region` rule for akimat coordinators, nothing otherwise."""
    membership = user.membership if getattr(user, "is_authenticated", False) else None
    if membership is None:
        return qs.none()
    if membership.role in tuple(sees_all):
        return qs
    if membership.role == Role.BODY_COORDINATOR and body is not None:
        return qs.filter(body(membership))
    if membership.role == Role.AKIMAT_COORDINATOR and region is not None:
        return qs.filter(region(membership))
    return qs.none()
