"""Existing postings get their flow and the monthly roll-up; the general fund's fee
accounts are marked as the general fund's; the Board and the Editors get their
rights over budgets, allocations, disbursements and payees.

Postings are immutable (on PostgreSQL a trigger refuses any UPDATE); `flow` is a
new classification, not an amount, so this migration alone lifts the guard for
the one UPDATE that fills it in.
"""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth

BOARD = {
    "allocation": ["add", "view"],
    "disbursement": ["add", "view"],
    "payee": ["add", "change", "view"],
    "casebudgetline": ["add", "change", "view"],
    "reconciliationreport": ["view"],
}
EDITORS = {"casebudgetline": ["add", "change", "view"]}


def classify_and_roll_up(apps, schema_editor):
    Account = apps.get_model("donations", "Account")
    LedgerTransaction = apps.get_model("donations", "LedgerTransaction")
    LedgerLeg = apps.get_model("donations", "LedgerLeg")
    AccountMonth = apps.get_model("donations", "AccountMonth")

    Account.objects.filter(code__in=["fees", "dispute-fees"], fund_type="").update(
        fund_type="general"
    )
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(
            "ALTER TABLE donations_ledgertransaction "
            "DISABLE TRIGGER donations_ledgertransaction_immutable"
        )
    for frequency in ("one_off", "monthly"):
        LedgerTransaction.objects.filter(donation__frequency=frequency).update(
            flow=frequency
        )
    if postgres:
        schema_editor.execute(
            "ALTER TABLE donations_ledgertransaction "
            "ENABLE TRIGGER donations_ledgertransaction_immutable"
        )

    rows = (
        LedgerLeg.objects.annotate(month=TruncMonth("transaction__occurred_at"))
        .values("account_id", "month", "transaction__flow")
        .annotate(
            debits=Coalesce(Sum("amount", filter=Q(amount__gt=0)), 0),
            credits=Coalesce(-Sum("amount", filter=Q(amount__lt=0)), 0),
            debit_count=Count("pk", filter=Q(amount__gt=0)),
            credit_count=Count("pk", filter=Q(amount__lt=0)),
        )
        .order_by()
    )
    AccountMonth.objects.bulk_create(
        AccountMonth(
            account_id=row["account_id"],
            month=row["month"].date()
            if isinstance(row["month"], datetime.datetime)
            else row["month"],
            flow=row["transaction__flow"],
            debits=row["debits"],
            credits=row["credits"],
            debit_count=row["debit_count"],
            credit_count=row["credit_count"],
        )
        for row in rows
    )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, rights in (("Board", BOARD), ("Editors", EDITORS)):
        group = Group.objects.get(name=name)
        codenames = [
            f"{right}_{model}" for model, names in rights.items() for right in names
        ]
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="donations", codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0005_budgets_allocations_rollup"),
        ("accounts", "0001_staff_groups"),
    ]

    operations = [
        migrations.RunPython(classify_and_roll_up, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
