"""The keyed chain and the signed checkpoints against each way of tampering with the trail."""

import io
import json
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kezdesu.core.audit import (
    audit_checkpoint,
    audit_rechain,
    audit_record,
    audit_verify,
    key_id,
    read_checkpoints,
    snapshot,
)
from kezdesu.core.models import AuditChainHead, AuditEvent
from kezdesu.registry.models import Region

pytestmark = pytest.mark.django_db


def _rewind_head_to(seq: int) -> None:
    last = AuditEvent.objects.get(seq=seq)
    AuditChainHead.objects.filter(singleton=1).update(seq=last.seq, hash=last.hash)


def test_rows_carry_the_id_of_the_key_that_hashed_them(reference, settings):
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {key_id(settings.AUDIT_HMAC_KEY)}
    assert len(key_id(settings.AUDIT_HMAC_KEY)) == 12 and settings.AUDIT_HMAC_KEY not in key_id("x")


def test_rehashing_with_the_projects_code_but_another_key_fails(reference, settings):
    AuditEvent.objects.filter(seq=4).update(comment="rewritten")
    # The attacker runs our own code over the whole chain, with any key but the real one.
    audit_rechain(events=AuditEvent.objects.all(), key="insecure-development-key-change-me")
    _rewind_head_to(AuditEvent.objects.order_by("-seq").first().seq)
    assert audit_verify().reason == "unknown_key"
    # ... and claiming the real key's id does not help: the HMAC does not match.
    AuditEvent.objects.update(key_id=key_id(settings.AUDIT_HMAC_KEY))
    assert (audit_verify().seq, audit_verify().reason) == (1, "altered")


def test_truncating_the_tail_and_rewinding_the_head(reference, tmp_path):
    marks = tmp_path / "checkpoints.jsonl"
    call_command("audit_checkpoint", "--file", str(marks), stdout=io.StringIO())
    last = AuditChainHead.objects.get().seq
    AuditEvent.objects.filter(seq__gt=last - 3).delete()
    _rewind_head_to(last - 3)
    assert audit_verify() is None  # consistent in itself: only a copy kept elsewhere can tell
    problem = audit_verify(checkpoints=read_checkpoints(marks))
    assert (problem.seq, problem.reason) == (last, "checkpoint_missing")
    with pytest.raises(CommandError, match=f"seq={last}: checkpoint_missing"):
        call_command("verify_audit", "--checkpoint", str(marks), stdout=io.StringIO())


def test_rewriting_a_checkpointed_row_and_the_rows_after_it(reference, tmp_path, settings):
    marks = tmp_path / "checkpoints.jsonl"
    audit_checkpoint(path=marks)
    # Even someone holding the key (the chain verifies) cannot move a checkpointed row.
    AuditEvent.objects.filter(seq=2).update(comment="rewritten")
    audit_rechain(events=AuditEvent.objects.all(), key=settings.AUDIT_HMAC_KEY)
    _rewind_head_to(AuditEvent.objects.order_by("-seq").first().seq)
    assert audit_verify() is None
    assert audit_verify(checkpoints=read_checkpoints(marks)).reason == "checkpoint_mismatch"


def test_deleting_the_head_row(reference):
    AuditChainHead.objects.all().delete()
    assert audit_verify().reason == "head_missing"


def test_emptying_the_table(reference, tmp_path):
    marks = tmp_path / "checkpoints.jsonl"
    audit_checkpoint(path=marks)
    AuditEvent.objects.all().delete()
    AuditChainHead.objects.all().delete()
    assert audit_verify() is None  # an empty trail looks like a new installation ...
    assert audit_verify(checkpoints=read_checkpoints(marks)).reason == "checkpoint_missing"  # ... but is not
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", "--json", "--checkpoint", str(marks), stdout=out)
    assert json.loads(out.getvalue())["reason"] == "checkpoint_missing"


def test_a_forged_checkpoint_is_refused(reference, tmp_path):
    marks = tmp_path / "checkpoints.jsonl"
    mark = audit_checkpoint(path=marks)
    marks.write_text(json.dumps({**mark, "seq": mark["seq"] - 1}) + "\n")
    assert audit_verify(checkpoints=read_checkpoints(marks)).reason == "checkpoint_forged"
    marks.write_text("not a checkpoint\n")
    with pytest.raises(CommandError, match="line 1"):
        call_command("verify_audit", "--checkpoint", str(marks), stdout=io.StringIO())


def test_checkpoints_go_to_the_file_and_the_log(reference, tmp_path, caplog, settings):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "default.jsonl"
    with caplog.at_level(logging.INFO, logger="kezdesu.audit.checkpoint"):
        call_command("audit_checkpoint", stdout=io.StringIO())
        call_command("audit_checkpoint", "--json", stdout=io.StringIO())
    lines = (tmp_path / "default.jsonl").read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["seq"] == AuditChainHead.objects.get().seq
    logged = tmp_path / "from-log.txt"
    logged.write_text("\n".join(r.getMessage() for r in caplog.records))
    assert len(read_checkpoints(logged)) == 2  # the log itself can be checked against
    call_command("verify_audit", "--checkpoint", str(logged), stdout=io.StringIO())


def test_key_rotation_keeps_old_rows_verifiable(reference, settings, tmp_path):
    old_key = settings.AUDIT_HMAC_KEY
    marks = tmp_path / "checkpoints.jsonl"
    audit_checkpoint(path=marks)
    settings.AUDIT_HMAC_KEY, settings.AUDIT_HMAC_OLD_KEYS = "a-new-key-" + "n" * 30, [old_key]
    region = Region.objects.get(slug="abai")
    audit_record(actor=None, action="region.change", obj=region, before=None, after=snapshot(region))
    newest = AuditEvent.objects.order_by("-seq").first()
    assert newest.key_id == key_id(settings.AUDIT_HMAC_KEY) != key_id(old_key)
    assert audit_verify(checkpoints=read_checkpoints(marks)) is None
    settings.AUDIT_HMAC_OLD_KEYS = []  # the old key thrown away too early
    assert audit_verify().reason == "unknown_key"
