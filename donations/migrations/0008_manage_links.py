"""Manage links as opaque tokens: only a hash of each is stored."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("donations", "0007_ledger_month_by_kind")]

    operations = []
