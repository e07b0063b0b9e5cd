"""What each staff group may do with the register, campaigns and signatures."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    ("prisoners", "region", ["add", "change", "view"]),
    ("prisoners", "criminalarticle", ["add", "change", "view"]),
    ("prisoners", "detentionplace", ["add", "change", "view"]),
    ("campaigns", "campaigntheme", ["add", "change", "view"]),
    ("campaigns", "signature", ["view"]),
    ("wagtail_localize", "translation", ["submit"]),
]
MODERATORS = [
    *EDITORS,
    ("campaigns", "signature", ["change", "view"]),
    ("outbox", "outboxmessage", ["view", "change"]),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, rules in (("Editors", EDITORS), ("Moderators", MODERATORS)):
        group = Group.objects.get(name=group_name)
        for app_label, model, actions in rules:
            for action in actions:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename=f"{action}_{model}",
                ).first()
                if permission:
                    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("prisoners", "0002_review_workflow"),
        ("outbox", "0001_initial"),
        ("accounts", "0001_staff_groups"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
