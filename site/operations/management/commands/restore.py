"""manage.py restore --from DIR: a backup into an empty database and MEDIA_ROOT."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: checksums first (a damaged "
        "backup changes nothing), then the database and the files, then the row "
        "counts against the manifest and the migrations still to apply. Refuses a "
        "database with tables or a MEDIA_ROOT with files, unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--from", dest="source", required=True, type=Path, help="A backup."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the target database's contents and overwrite files.",
        )

    def handle(self, *args, source: Path, database: str, force: bool, **options):
        try:
            report = backup_restore(source=source, using=database, force=force)
        except BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from error
        manifest = report.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} "
            f"(commit {manifest['app'].get('commit') or 'unknown'})."
        )
        self.stdout.write(f"  {'':<20} {'backup':>10} {'restored':>10}")
        for name, (expected, restored) in report.key_rows.items():
            self.stdout.write(f"  {name:<20} {expected!s:>10} {restored!s:>10}")
        if report.unknown_migrations:
            self.stderr.write(
                "The backup has migrations this code does not know (is the code "
                "older than the backup?): " + ", ".join(report.unknown_migrations)
            )
        if report.unapplied_migrations:
            self.stdout.write(
                f"{len(report.unapplied_migrations)} migrations of this code are not "
                "applied yet: run `manage.py migrate`."
            )
        else:
            self.stdout.write("Migrations: the database is up to date with the code.")
        if report.differences:
            lines = [
                f"  {table}: {expected} in the backup, {restored} restored"
                for table, (expected, restored) in report.differences.items()
            ]
            raise CommandError(
                "Restored, but rows differ from the manifest:\n" + "\n".join(lines)
            )
        self.stdout.write(
            f"All {len(report.rows)} tables have the rows the manifest lists."
        )
