"""What needs the Board's attention: repair runs and digests."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("donations", "0008_manage_links")]

    operations = []
