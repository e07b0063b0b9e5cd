"""Create the network's recovery key and print its private half, once."""

from django.core.management.base import BaseCommand

from intake import crypto, keys
from intake.models import RecoveryKey


class Command(BaseCommand):
    help = (
        "Create the recovery key for reports. Its private half is printed once: "
        "print it on paper, keep it offline, and never store it on the server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Retire the current recovery key and create a new one.",
        )

    def handle(self, *args, replace=False, **options):
        current = RecoveryKey.objects.filter(retired_at__isnull=True).first()
        if current and not replace:
            self.stdout.write(
                f"A recovery key exists (fingerprint {current}); use --replace "
                "to retire it."
            )
            return
        row, private = keys.create_recovery_key()
        self.stdout.write(
            "RECOVERY KEY — print this, keep it offline, then clear your terminal.\n"
            f"  fingerprint: {crypto.fingerprint(bytes(row.public_key))}\n"
            f"  private key: {private}\n"
            "Without it, a report whose readers all lost their passphrases is lost."
        )
