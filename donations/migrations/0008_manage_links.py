"""Manage links as opaque tokens (only a hash of each is stored); the Stripe
customers still to delete after a donor's erasure; and disputes as a flow of their
own, so that a won dispute's reinstatement is not counted as a new gift.

Postings are immutable (on PostgreSQL a trigger refuses any UPDATE); `flow` is a
classification, not an amount, so this migration alone lifts the guard for the one
UPDATE that moves existing dispute postings to the new flow, then rebuilds the
monthly roll-ups, which are kept by flow.
"""

import datetime

import django.utils.timezone
from django.db import migrations, models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

FLOWS = [
    ("one_off", "One-off gifts"),
    ("monthly", "Monthly gifts"),
    ("dispute", "Disputes"),
    ("allocation", "Allocations"),
    ("disbursement", "Disbursements"),
    ("payout", "Payouts"),
    ("other", "Other"),
]
ROLLUPS = {
    "AccountMonth": {"account_id": "account_id"},
    "LedgerMonth": {
        "kind": "account__kind",
        "fund_type": "account__fund_type",
        "category": "account__category",
    },
}


def disputes_apart(apps, schema_editor):
    LedgerTransaction = apps.get_model("donations", "LedgerTransaction")
    LedgerLeg = apps.get_model("donations", "LedgerLeg")
    # Stripe's dispute balance transactions are posted with their reporting
    # category ("dispute", "dispute_reversal") in the description.
    disputes = LedgerTransaction.objects.filter(
        cause_key__startswith="stripe:",
        description__contains="dispute",
        flow__in=["one_off", "monthly"],
    )
    if not disputes.exists():
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    trigger = "donations_ledgertransaction_immutable"
    if postgres:
        schema_editor.execute(
            f"ALTER TABLE donations_ledgertransaction DISABLE TRIGGER {trigger}"
        )
    disputes.update(flow="dispute")
    if postgres:
        schema_editor.execute(
            f"ALTER TABLE donations_ledgertransaction ENABLE TRIGGER {trigger}"
        )
    for name, dimensions in ROLLUPS.items():
        model = apps.get_model("donations", name)
        model.objects.all().delete()
        rows = (
            LedgerLeg.objects.annotate(
                month=TruncMonth("transaction__occurred_at"),
                flow=F("transaction__flow"),
                **{d: F(f) for d, f in dimensions.items() if d != "account_id"},
            )
            .values(*dimensions, "month", "flow")
            .annotate(
                debits=Coalesce(Sum("amount", filter=Q(amount__gt=0)), 0),
                credits=Coalesce(-Sum("amount", filter=Q(amount__lt=0)), 0),
                debit_count=Count("pk", filter=Q(amount__gt=0)),
                credit_count=Count("pk", filter=Q(amount__lt=0)),
            )
            .order_by()
        )
        model.objects.bulk_create(
            (
                model(
                    **{
                        **row,
                        "month": row["month"].date()
                        if isinstance(row["month"], datetime.datetime)
                        else row["month"],
                    }
                )
                for row in rows.iterator(chunk_size=5000)
            ),
            batch_size=5000,
        )


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
        migrations.AlterField(
            model_name="accountmonth",
            name="flow",
            field=models.CharField(choices=FLOWS, max_length=20),
        ),
        migrations.AlterField(
            model_name="ledgermonth",
            name="flow",
            field=models.CharField(choices=FLOWS, max_length=20),
        ),
        migrations.AlterField(
            model_name="ledgertransaction",
            name="flow",
            field=models.CharField(choices=FLOWS, default="other", max_length=20),
        ),
        migrations.RunPython(disputes_apart, migrations.RunPython.noop),
    ]
