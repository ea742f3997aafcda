"""The system as an actor: management commands, scheduled reviews and imports act as `SYSTEM`.

An absent user (`None`) never stands for "the system": scoped reads refuse it, and services that run
without a person say so by passing `SYSTEM`, which the audit trail records as "system".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kezdesu.users.models import User


class SystemActor:
    """The one actor that is not a person. It sees every row and may make the moves a table marks as
    the system's; it holds no role, so no staff capability is granted to it by `can`."""

    pk = None
    is_authenticated = False
    is_active = True
    membership = None
    role = None

    def get_username(self) -> str:
        return "system"

    def __str__(self) -> str:
        return "system"

    def __repr__(self) -> str:
        return "SYSTEM"

    def __reduce__(self) -> str:
        return "SYSTEM"


SYSTEM = SystemActor()

# Who a service acts for: a signed-in person or the system (never None).
type Actor = User | SystemActor


def is_system(actor: Actor) -> bool:
    return actor is SYSTEM


def actor_from_id(actor_id: int | None) -> Actor:
    """The user a queued job was started by, or SYSTEM when it was started by a timer or the user is gone."""
    from django.contrib.auth import get_user_model

    return (get_user_model().objects.filter(pk=actor_id).first() if actor_id else None) or SYSTEM
