"""Annual receipts: each donor's receipt for a year is sent once."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("donations", "0009_attention")]

    operations = [
        migrations.CreateModel(
            name="AnnualReceiptSent",
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
                ("email_digest", models.CharField(max_length=64)),
                ("year", models.PositiveSmallIntegerField()),
                (
                    "sent_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
            ],
            options={
                "verbose_name": "annual receipt sent",
                "verbose_name_plural": "annual receipts sent",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("email_digest", "year"),
                        name="annualreceiptsent_unique",
                    )
                ],
            },
        ),
    ]
