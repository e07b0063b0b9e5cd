"""manage.py backup --to DIR: the database, MEDIA_ROOT and the private files."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database, the uploaded files and the private files (invoices) "
        "into a new directory, with a manifest of checksums and row counts. Secrets "
        "(SECRET_KEY, OUTBOX_KEY, Stripe's keys) are not included: keep them apart."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, type=Path, help="A new directory.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, to: Path, database: str, **options):
        try:
            manifest = backup_create(to=to, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {to}:")
        for name, about in manifest["files"].items():
            self.stdout.write(f"  {name:<18} {about['bytes']:>12} bytes")
        self.stdout.write(
            f"  media: {manifest['media']['files']} files, "
            f"private: {manifest['private']['files']} files"
        )
        for name, rows in manifest["key_rows"].items():
            self.stdout.write(f"  {name:<20} {rows}")
