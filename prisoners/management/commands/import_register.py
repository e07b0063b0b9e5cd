"""Import a register (CSV or XLSX) as draft profiles, in this process:

manage.py import_register register.xlsx --dry-run
manage.py import_register register.xlsx --user editor@example.org
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from prisoners.models import RegisterImport
from prisoners.register_import.parsing import read_register
from prisoners.register_import.services import run_import


class Command(BaseCommand):
    help = "Import a register of political prisoners as draft profiles."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--user", help="email of the staff member importing")

    def handle(self, *args, path, dry_run, user=None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        by = None
        if user:
            by = get_user_model().objects.filter(email__iexact=user).first()
            if by is None:
                raise CommandError(f"No account with the email {user}")
        try:
            rows = read_register(content=file.read_bytes(), file_name=file.name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        job = RegisterImport.objects.create(
            created_by=by, file_name=file.name, rows=rows, dry_run=dry_run
        )
        report = run_import(job=job).report
        for row in report["details"]:
            for error in row["errors"]:
                self.stdout.write(f"row {row['row']}: {error}")
            for duplicate in row["duplicates"]:
                other = (
                    f"profile {duplicate['page_id']} ({duplicate['title']})"
                    if duplicate["kind"] == "profile"
                    else f"row {duplicate['row']}"
                )
                self.stdout.write(f"row {row['row']}: possible duplicate of {other}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{report['rows']} rows: {report['created']} new drafts and "
            f"{report['updated']} updated drafts {verb} saved; {report['errors']} "
            f"with errors; {report['duplicates']} possible duplicates."
        )
