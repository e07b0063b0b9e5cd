"""Seal every message at rest, and give the outbox a permission of its own.

Rows written before this kept the subject, the addresses and the whole message
(sign-in codes, manage and confirmation links) readable in the database and on the
admin screen. Each is sealed here (outbox.sealing), keeping in the clear only the
recipients' domains and their keyed fingerprint; then the readable columns go.

The model's view/change/add/delete permissions go too (Moderators held the first
two): only "Can see and resend outgoing email" opens the screen now.
"""

from django.db import migrations, models

from outbox import sealing

OLD_PERMISSIONS = [f"{a}_outboxmessage" for a in ("add", "change", "delete", "view")]


def sealed_fields(payload: dict) -> dict:
    """The new columns of a row whose message was kept in plain JSON."""
    recipients = [
        *payload.get("to", []),
        *payload.get("cc", []),
        *payload.get("bcc", []),
    ]
    return {
        "sealed": sealing.seal(payload),
        "recipient_domains": ", ".join(sealing.domains_of(recipients))[:255],
        "recipients_digest": sealing.recipients_digest(recipients),
    }


def seal_plaintext_rows(apps, schema_editor):
    OutboxMessage = apps.get_model("outbox", "OutboxMessage")
    for row in OutboxMessage.objects.only("pk", "payload").iterator():
        OutboxMessage.objects.filter(pk=row.pk).update(
            **sealed_fields(row.payload or {})
        )


def drop_model_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="outbox", codename__in=OLD_PERMISSIONS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="outboxmessage",
            options={
                "default_permissions": (),
                "ordering": ["-created_at"],
                "permissions": [("run_outbox", "Can see and resend outgoing email")],
                "verbose_name": "outgoing email",
                "verbose_name_plural": "outgoing email",
            },
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="template",
            field=models.CharField(blank=True, max_length=100, verbose_name="template"),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="recipient_domains",
            field=models.CharField(
                blank=True, max_length=255, verbose_name="recipient domain"
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="recipients_digest",
            field=models.CharField(
                blank=True,
                db_index=True,
                help_text="Keyed fingerprint of the recipients (see outbox.sealing).",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="sealed",
            field=models.TextField(
                default="",
                help_text="The encrypted message (see outbox.sealing).",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(seal_plaintext_rows, elidable=False),
        migrations.RunPython(drop_model_permissions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="outboxmessage", name="payload"),
        migrations.RemoveField(model_name="outboxmessage", name="subject"),
        migrations.RemoveField(model_name="outboxmessage", name="to"),
    ]
