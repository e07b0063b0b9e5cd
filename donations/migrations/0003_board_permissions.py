"""The Board (and superusers) see donations, monthly gifts, the ledger and Stripe
events in the admin; editors and moderators do not."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["donation", "subscription", "ledgertransaction", "stripeevent"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    board = Group.objects.get(name="Board")
    board.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="donations",
            codename__in=[f"view_{model}" for model in MODELS],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0002_ledger_guards"),
        ("accounts", "0001_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
