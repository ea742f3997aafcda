"""The audit trail: `audit_record` is called by every service that writes.

Each row's hash is an HMAC of the previous row's hash and the row itself, keyed with a secret from the
environment (`AUDIT_HMAC_KEY`) that the database does not hold: whoever can write to the database but does
not have the key cannot rewrite a row and re-hash the chain after it. Each row names the key that hashed
it (`key_id`, a fingerprint of the key), so keys can be rotated: new rows take the new key, older rows
are checked with the old keys kept in `AUDIT_HMAC_OLD_KEYS`.

Signed checkpoints (sequence number and hash of the newest row) are written outside the database by
`manage.py audit_checkpoint`; `verify_audit --checkpoint FILE` then also notices the newest rows being
removed, the chain head being rewound or deleted, or the whole trail being emptied.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from kezdesu.core.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64
checkpoint_log = logging.getLogger("kezdesu.audit.checkpoint")


def key_id(key: str) -> str:
    """Return the public fingerprint of an audit key (12 hex characters; reveals nothing of the key)."""
    return hmac.new(key.encode(), b"kezdesu-audit-key-id", hashlib.sha256).hexdigest()[:12]


def current_key() -> tuple[str, str]:
    """Return (key id, key) of the key new rows and checkpoints are signed with."""
    return key_id(settings.AUDIT_HMAC_KEY), settings.AUDIT_HMAC_KEY


def known_keys() -> dict[str, str]:
    """Return every key the trail may be verified with, by key id: the current one and the old ones."""
    keys = {key_id(k): k for k in getattr(settings, "AUDIT_HMAC_OLD_KEYS", ())}
    keys[key_id(settings.AUDIT_HMAC_KEY)] = settings.AUDIT_HMAC_KEY
    return keys


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


def snapshot(obj: models.Model, *, exclude: Iterable[str] = ("created_at", "updated_at"),
             many_to_many: bool = False) -> dict:
    """Return the concrete field values of `obj` as JSON-ready data (foreign keys as ids).

    With `many_to_many`, also each many-to-many field as a sorted list of ids (the object must be saved).
    A password hash is never included.
    """
    skip = set(exclude)
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.name == "password":
            continue
        data[field.attname] = _jsonable(field.value_from_object(obj))
    if many_to_many and obj.pk is not None:
        for field in obj._meta.many_to_many:
            if field.name not in skip:
                data[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return data


def _canonical(data: dict) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _digest(prev_hash: str, payload: dict, key: str) -> str:
    return hmac.new(key.encode(), prev_hash.encode() + _canonical(payload), hashlib.sha256).hexdigest()


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
        "key_id": event.key_id,
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
        event.key_id, key = current_key()
        event.hash = _digest(head.hash, _payload(event), key)
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    reason: str


def audit_verify(*, checkpoints: Iterable[dict] = ()) -> ChainProblem | None:
    """Walk the chain from the start; return the first problem, or None when it is intact.

    Reasons: `missing` (a row removed), `broken_link`, `unknown_key` (hashed with a key we do not hold),
    `altered` (content or hash changed), `truncated` (the newest rows removed), `head_missing`. With
    `checkpoints` (see `read_checkpoints`), also `checkpoint_forged` (a signature that does not verify),
    `checkpoint_missing` (a checkpointed row no longer exists: the tail was cut, the head rewound or the
    trail emptied) and `checkpoint_mismatch` (the checkpointed row has another hash).
    """
    keys = known_keys()
    marks: dict[int, dict] = {}
    for mark in checkpoints:
        if not _checkpoint_signature_ok(mark, keys):
            return ChainProblem(int(mark.get("seq") or 0), "checkpoint_forged")
        marks[int(mark["seq"])] = mark
    prev_hash, expected_seq = GENESIS, 1
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.seq != expected_seq:
            return ChainProblem(expected_seq, "missing")
        reason = _event_problem(event, prev_hash=prev_hash, keys=keys, mark=marks.get(event.seq))
        if reason:
            return ChainProblem(event.seq, reason)
        prev_hash, expected_seq = event.hash, expected_seq + 1
    return _tail_problem(last=expected_seq - 1, prev_hash=prev_hash, marks=marks)


def _event_problem(event: AuditEvent, *, prev_hash: str, keys: dict[str, str], mark: dict | None) -> str | None:
    """What is wrong with one row of the chain that follows `prev_hash`, or None."""
    if event.prev_hash != prev_hash:
        return "broken_link"
    key = keys.get(event.key_id)
    if key is None:
        return "unknown_key"
    if not hmac.compare_digest(_digest(prev_hash, _payload(event), key), event.hash):
        return "altered"
    if mark is not None and not hmac.compare_digest(mark["hash"], event.hash):
        return "checkpoint_mismatch"
    return None


def _tail_problem(*, last: int, prev_hash: str, marks: dict[int, dict]) -> ChainProblem | None:
    """After the last row `last` (hash `prev_hash`): checkpoints beyond it, or a head that does not match it."""
    beyond = [seq for seq in marks if seq > last]
    if beyond:
        return ChainProblem(min(beyond), "checkpoint_missing")
    head = AuditChainHead.objects.filter(singleton=1).first()
    if head is None:
        return ChainProblem(last + 1, "head_missing") if last else None
    if head.seq != last or head.hash != prev_hash:
        return ChainProblem(last + 1, "truncated")
    return None


# --- Checkpoints kept outside the database ------------------------------------------------------------


def _checkpoint_body(mark: dict) -> bytes:
    return _canonical({k: mark[k] for k in ("seq", "hash", "at", "key_id")})


def _checkpoint_signature_ok(mark: dict, keys: dict[str, str]) -> bool:
    try:
        key = keys[mark["key_id"]]
        expected = hmac.new(key.encode(), _checkpoint_body(mark), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, str(mark["sig"]))
    except (KeyError, TypeError, ValueError):
        return False


def audit_checkpoint(*, path: Path | None, now: dt.datetime | None = None) -> dict:
    """Sign the newest row's sequence number and hash; append it to `path` (JSON Lines) and log it.

    Returns the checkpoint. The file and the log are meant to be kept where a database administrator
    cannot rewrite them (another host, write-once storage, the central log).
    """
    head = AuditChainHead.objects.filter(singleton=1).first()
    kid, key = current_key()
    mark = {"seq": head.seq if head else 0, "hash": head.hash if head else GENESIS,
            "at": (now or timezone.now()).astimezone(dt.UTC).replace(microsecond=0).isoformat(), "key_id": kid}
    mark["sig"] = hmac.new(key.encode(), _checkpoint_body(mark), hashlib.sha256).hexdigest()
    line = json.dumps(mark, sort_keys=True)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    checkpoint_log.info("audit checkpoint %s", line)
    return mark


def read_checkpoints(path: Path) -> list[dict]:
    """Return the checkpoints of a JSON Lines file (a log line with the prefix "audit checkpoint " is
    accepted too). Raises ValueError naming the line that is not a checkpoint."""
    marks = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        text = raw.strip()
        if not text:
            continue
        if "audit checkpoint " in text:
            text = text.split("audit checkpoint ", 1)[1]
        try:
            mark = json.loads(text)
            if not isinstance(mark, dict) or not {"seq", "hash", "at", "key_id", "sig"} <= set(mark):
                raise ValueError
            int(mark["seq"])
        except (ValueError, TypeError):
            raise ValueError(f"line {number} is not an audit checkpoint") from None
        marks.append(mark)
    return marks


def audit_rechain(*, events, key: str) -> int:
    """Re-hash every row of `events` (a queryset of AuditEvent, historical or not) with `key`, in order.

    Used once, by the migration that introduced keyed hashes; returns the number of rows. It is not a
    repair tool: re-hashing a tampered trail would hide the tampering.
    """
    kid, prev_hash, count = key_id(key), GENESIS, 0
    for event in events.order_by("seq"):
        event.key_id, event.prev_hash = kid, prev_hash
        event.hash = _digest(prev_hash, _payload(event), key)
        event.save(update_fields=["key_id", "prev_hash", "hash"])
        prev_hash, count = event.hash, count + 1
    return count
