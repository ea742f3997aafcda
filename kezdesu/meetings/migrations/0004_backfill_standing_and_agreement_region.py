"""Meetings held before the head's standing was frozen get it from their Head row as of the meeting's
day; agreement rounds opened before they named their akimat name that of the meeting's region."""

from django.conf import settings
from django.db import migrations


def forward(apps, schema_editor):
    from zoneinfo import ZoneInfo

    Meeting = apps.get_model("meetings", "Meeting")
    AkimatAgreement = apps.get_model("meetings", "AkimatAgreement")
    tz = ZoneInfo(settings.TIME_ZONE)
    for m in Meeting.objects.filter(status__in=["held", "reported"], head_in_office__isnull=True).select_related(
            "head").iterator():
        head, day = m.head, m.starts_at.astimezone(tz).date()
        m.head_in_office = head.start <= day and (head.end is None or day <= head.end)
        m.head_was_first, m.head_was_acting = head.is_first_head, head.acting
        for lang in ("kk", "ru", "en"):
            setattr(m, f"head_name_{lang}", getattr(head, f"full_name_{lang}"))
            setattr(m, f"head_position_{lang}", getattr(head, f"position_{lang}"))
        m.save(update_fields=["head_in_office", "head_was_first", "head_was_acting",
                              *(f"head_{k}_{lang}" for k in ("name", "position") for lang in ("kk", "ru", "en"))])
    for a in AkimatAgreement.objects.filter(region__isnull=True).select_related("meeting").iterator():
        a.region_id = a.meeting.region_id
        a.save(update_fields=["region"])


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_cohosts_frozen_head_standing_agreement_region")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
