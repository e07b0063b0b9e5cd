"""The table of the embedded cache (settings: CACHES without REDIS_URL).

Django's DatabaseCache needs `createcachetable`; creating the table here means plain
`migrate` is enough, so no entry point (make run, compose, CI, a fresh clone) can
forget it. The table is made whichever cache is configured, so that a deployment
that drops Redis later finds it waiting.
"""

from django.core.management.commands.createcachetable import Command
from django.db import migrations

# The LOCATION of the database cache in solidarity/settings/base.py.
CACHE_TABLE = "solidarity_cache"


def create_cache_table(apps, schema_editor):
    # createcachetable's own builder: the same columns and index as Django expects,
    # and nothing done if the table exists (an earlier createcachetable run).
    command = Command()
    command.verbosity = 0  # set by handle(), which this skips
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    quoted = schema_editor.connection.ops.quote_name(CACHE_TABLE)
    schema_editor.execute(f"DROP TABLE IF EXISTS {quoted}")


class Migration(migrations.Migration):
    dependencies = [("home", "0002_create_homepage")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
