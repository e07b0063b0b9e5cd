"""Search keys now fold Belarusian and Crimean Tatar spellings: recompute the stored ones.

Uses the current models through `recompute_name_search_keys`, which is safe only while
this is the latest prisoners migration that touches profiles' names; it writes one
column with `update()`, so no revision or signal comes of it.
"""

from django.db import migrations


def recompute(apps, schema_editor):
    from prisoners.search_keys import recompute_name_search_keys

    recompute_name_search_keys()


class Migration(migrations.Migration):
    dependencies = [("prisoners", "0005_birthday_for_the_letter_month")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
