"""The audit trail: `audit_record` is called by every service that writes."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from kezdesu.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, *, exclude: Iterable[str] = ("created_at", "updated_at")) -> dict:
    """Return the concrete field values of `obj` as JSON-ready data (foreign keys as ids)."""
    skip = set(exclude)
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.name == "password":
            continue
        data[field.attname] = _jsonable(field.value_from_object(obj))
    return data


def _digest(prev_hash: str, payload: dict) -> str:
    body = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "comment": event.comment,
    }


def audit_record(
    *, actor, action: str, obj: models.Model, before: dict | None, after: dict | None, comment: str = ""
) -> AuditEvent:
    """Append one event to the chain and return it; must run inside the writing transaction."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(singleton=1)
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now().replace(microsecond=0),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=(actor.get_username() if getattr(actor, "pk", None) else str(actor or "system"))[:200],
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
            comment=comment,
            prev_hash=head.hash,
        )
        event.hash = _digest(head.hash, _payload(event))
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def audit_verify() -> ChainProblem | None:
    """Walk the chain from the start; return the first broken row, or None when it is intact."""
    prev_hash, expected_seq = GENESIS, 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainProblem(expected_seq, "missing")
        if event.prev_hash != prev_hash:
            return ChainProblem(event.seq, "broken_link")
        if _digest(prev_hash, _payload(event)) != event.hash:
            return ChainProblem(event.seq, "altered")
        prev_hash, expected_seq = event.hash, expected_seq + 1
    head = AuditChainHead.objects.filter(singleton=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainProblem(expected_seq, "truncated")
    return None
