import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_MEMBER_STAFF, DEMO_STAFF, demo_secret_for


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo staff account (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "email", nargs="?", help="A demo account; all when omitted."
        )

    def handle(self, *args, email=None, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DEBUG on.")
        emails = (
            [email]
            if email
            else [
                *(e for e, _, _ in DEMO_STAFF),
                *(e for e, *_ in DEMO_MEMBER_STAFF),
            ]
        )
        for address in emails:
            secret = demo_secret_for(address)
            if secret is None:
                raise CommandError(f"{address} is not a demo account.")
            self.stdout.write(f"{address}: {pyotp.TOTP(secret).now()}")
