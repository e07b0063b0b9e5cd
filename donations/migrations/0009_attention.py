"""What needs the Board's attention: repair runs and digests.

Each hourly repair is recorded (`RepairRun`), with every object it could not
repair; each digest emailed to the Board keeps the keys of its items
(`AttentionDigest`), so unchanged items are not sent twice; a Stripe event that
failed waits for `next_attempt_at` before the periodic sweep tries it again
(real exponential back-off). The Board may read the repair runs.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    board = Group.objects.filter(name="Board").first()
    if board is None:
        return
    board.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="donations", codename="view_repairrun"
        )
    )


class Migration(migrations.Migration):
    dependencies = [("donations", "0008_manage_links")]

    operations = [
        migrations.CreateModel(
            name="AttentionDigest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("sent_at", models.DateTimeField(db_index=True, verbose_name="sent")),
                ("keys", models.JSONField(default=list)),
                ("unresolved", models.JSONField(blank=True, default=list)),
                (
                    "item_count",
                    models.PositiveIntegerField(default=0, verbose_name="items"),
                ),
                (
                    "recipient_count",
                    models.PositiveIntegerField(default=0, verbose_name="recipients"),
                ),
            ],
            options={
                "verbose_name": "attention digest",
                "verbose_name_plural": "attention digests",
                "ordering": ["-sent_at", "-pk"],
            },
        ),
        migrations.CreateModel(
            name="RepairRun",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "started_at",
                    models.DateTimeField(db_index=True, verbose_name="started"),
                ),
                (
                    "finished_at",
                    models.DateTimeField(
                        blank=True, null=True, verbose_name="finished"
                    ),
                ),
                (
                    "hours",
                    models.PositiveSmallIntegerField(
                        default=72, verbose_name="hours looked back"
                    ),
                ),
                (
                    "counts",
                    models.JSONField(blank=True, default=dict, verbose_name="synced"),
                ),
                (
                    "failures",
                    models.JSONField(
                        blank=True, default=list, verbose_name="not repaired"
                    ),
                ),
                (
                    "failure_count",
                    models.PositiveIntegerField(
                        default=0, verbose_name="objects not repaired"
                    ),
                ),
                (
                    "completed",
                    models.BooleanField(
                        default=False,
                        help_text="False when the run itself could not finish "
                        "(Stripe unreachable).",
                        verbose_name="completed",
                    ),
                ),
                ("error", models.TextField(blank=True, verbose_name="error")),
            ],
            options={
                "verbose_name": "repair run",
                "verbose_name_plural": "repair runs",
                "ordering": ["-started_at", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="stripeevent",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
