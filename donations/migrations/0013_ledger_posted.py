"""Each donation records when the ledger first posted it (`ledger_posted_at`), so
the attention list finds paid gifts without a posting through a partial index.
Existing donations are marked from the postings they already have."""

from django.db import migrations, models
from django.db.models import Exists, Min, OuterRef, Subquery


def mark_posted(apps, schema_editor):
    Donation = apps.get_model("donations", "Donation")
    LedgerTransaction = apps.get_model("donations", "LedgerTransaction")
    postings = LedgerTransaction.objects.filter(donation=OuterRef("pk"))
    first_posting = (
        postings.order_by()
        .values("donation")
        .annotate(first=Min("posted_at"))
        .values("first")
    )
    Donation.objects.filter(Exists(postings), ledger_posted_at=None).update(
        ledger_posted_at=Subquery(first_posting)
    )


class Migration(migrations.Migration):
    # The fill is one transaction of its own; the index is built after it commits,
    # so it does not hold the rows' replaced versions too.
    atomic = False

    dependencies = [
        ("donations", "0012_network_rollups"),
    ]

    operations = [
        migrations.AddField(
            model_name="donation",
            name="ledger_posted_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(
            mark_posted, migrations.RunPython.noop, atomic=True, elidable=True
        ),
        # Built after the fill: it then holds only the few paid, unposted gifts.
        migrations.AddIndex(
            model_name="donation",
            index=models.Index(
                condition=models.Q(paid_at__isnull=False, ledger_posted_at=None),
                fields=["paid_at", "id"],
                name="donation_paid_unposted",
            ),
        ),
    ]
