from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The embedded default cache (CACHE_URL=db://…) is a table: `migrate` creates it wherever the schema is
    # created (demo, tests, production). Nothing is done for Redis. Idempotent.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_jobs_and_mail_after_commit")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
