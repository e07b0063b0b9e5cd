"""Manage links as opaque tokens (only a hash of each is stored), and the Stripe
customers still to delete after a donor's erasure."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("donations", "0007_ledger_month_by_kind")]

    operations = [
        migrations.CreateModel(
            name="ManageLink",
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
                ("token_hash", models.CharField(max_length=64, unique=True)),
                ("email", models.EmailField(db_index=True, max_length=254)),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
            options={"verbose_name": "manage link"},
        ),
        migrations.CreateModel(
            name="StripeCustomerErasure",
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
                ("customer_id", models.CharField(max_length=255, unique=True)),
                (
                    "requested_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                (
                    "next_attempt_at",
                    models.DateTimeField(
                        db_index=True, default=django.utils.timezone.now
                    ),
                ),
                ("last_error", models.TextField(blank=True)),
                (
                    "done_at",
                    models.DateTimeField(blank=True, db_index=True, null=True),
                ),
            ],
            options={"verbose_name": "Stripe customer erasure"},
        ),
    ]
