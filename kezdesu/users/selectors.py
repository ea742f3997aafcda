from __future__ import annotations

from kezdesu.users.models import Membership, Role, User


def coordinators(*, body_id: int | None = None, region_id: int | None = None) -> list[User]:
    """Return the active coordinators of a body, or of a region's akimat."""
    memberships = Membership.objects.filter(active=True, user__is_active=True).select_related("user")
    if body_id is not None:
        memberships = memberships.filter(role=Role.BODY_COORDINATOR, body_id=body_id)
    else:
        memberships = memberships.filter(role=Role.AKIMAT_COORDINATOR, region_id=region_id)
    return [m.user for m in memberships]
