"""Email every donor their receipt for a year that is over (last year unless
--year says otherwise); once per donor and year, however often it is run. The
same as the Board's "Annual receipts" page in the admin."""

from django.core.management.base import BaseCommand, CommandError

from donations.donors.annual.selectors import AnnualReceiptError
from donations.donors.annual.services import (
    annual_receipts_pending,
    annual_receipts_send,
    last_year,
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many donors would be emailed.",
        )

    def handle(self, *args, year=None, dry_run=False, **options):
        year = year or last_year()
        if year > last_year():
            raise CommandError(
                f"{year} is not over yet: its receipts can be sent from "
                f"1 January {year + 1}."
            )
        if dry_run:
            count = len(annual_receipts_pending(year=year))
            self.stdout.write(f"{count} donors would be emailed their {year} receipt.")
            return
        try:
            result = annual_receipts_send(year=year)
        except AnnualReceiptError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Receipts for {year}: {result.sent} sent, {result.skipped} already "
            "sent or with nothing to receipt."
        )
