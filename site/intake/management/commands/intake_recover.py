"""Give a reader back the reports they may read, with the recovery key."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from intake import keys
from intake.models import Recipient


class Command(BaseCommand):
    help = (
        "After a reader lost their passphrase and set a new one: seal to their new "
        "key every report they may read. Asks for the recovery key (or reads it "
        "from standard input)."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The reader's account email address.")

    def handle(self, *args, email, **options):
        recipient = Recipient.objects.filter(user__email__iexact=email).first()
        if recipient is None:
            raise CommandError(f"{email} does not read reports.")
        if sys.stdin.isatty():
            secret = getpass.getpass("Recovery key: ")
        else:
            secret = sys.stdin.readline()
        try:
            shared = keys.recover_with(recovery_private=secret, recipient=recipient)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{shared} reports sealed to {email}'s new key.")
