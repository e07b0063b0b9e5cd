"""Setting up who reads reports, for tests."""

from intake import keys
from intake.models import Recipient

PASSPHRASE = "correct horse battery staple"


def appoint(user, *, member=None, passphrase: str = PASSPHRASE) -> Recipient:
    """`user` reads reports (network-wide, or `member`'s) and has set a key."""
    recipient = Recipient.objects.create(user=user, member=member)
    keys.create_key(recipient=recipient, passphrase=passphrase)
    return recipient


def recovery_key() -> str:
    """A recovery key for the network; returns its private half as text."""
    _row, private = keys.create_recovery_key()
    return private
