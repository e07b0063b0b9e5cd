"""Messages at rest are sealed: the database never holds a readable email.

Every body carries personal data and many carry a credential (a donor's sign-in
code, a manage link, a signature's confirmation link, a password reset), so a row
that anyone with database or admin access could read would let them act as that
person. The whole serialised message, subject and addresses included, is encrypted
with Fernet (AES-CBC with an HMAC); only the sending code opens it.

The key comes from OUTBOX_KEY (several, newest first, while rotating), or else
from SECRET_KEY and SECRET_KEY_FALLBACKS, so a first run needs nothing. A message
sealed with a key that is no longer listed cannot be sent.
"""

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from email.utils import parseaddr

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _secrets() -> list[str]:
    configured = [key for key in getattr(settings, "OUTBOX_KEYS", []) if key]
    if configured:
        return configured
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _derive(secret: str, purpose: str) -> bytes:
    # One secret, two uses (sealing, recipient digests): each gets its own key.
    return hashlib.sha256(f"solidarity.outbox.{purpose}:{secret}".encode()).digest()


def _fernet() -> MultiFernet:
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(s, "seal"))) for s in _secrets()]
    )


def seal(payload: dict) -> str:
    """The payload (see outbox.codec) as an opaque, authenticated token."""
    data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    return _fernet().encrypt(data.encode()).decode("ascii")


def unseal(token: str) -> dict:
    """The payload back; raises cryptography.fernet.InvalidToken when the key is
    gone or the token was altered."""
    return json.loads(_fernet().decrypt(token.encode("ascii")))


def address_of(recipient: str) -> str:
    """The bare address in lower case, from `Name <a@b>` or `a@b`."""
    return parseaddr(recipient)[1].strip().lower()


def domains_of(recipients: Iterable[str]) -> list[str]:
    """The recipients' mail domains, which say where a message went (a provider
    refusing it, a typo) without saying to whom."""
    return sorted(
        {address_of(r).rpartition("@")[2] for r in recipients if address_of(r)}
    )


def _recipients_digest(recipients: Iterable[str], secret: str) -> str:
    normalised = "\n".join(sorted({address_of(r) for r in recipients}))
    key = _derive(secret, "recipients")
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def recipients_digest(recipients: Iterable[str]) -> str:
    """A keyed fingerprint of the set of recipients: it finds the messages sent to
    exactly these addresses (erasure) and cannot be turned back into them."""
    return _recipients_digest(list(recipients), _secrets()[0])


def recipients_digests(recipients: Iterable[str]) -> list[str]:
    """The fingerprint under every key still listed, for rows written before the
    newest key."""
    recipients = list(recipients)
    return [_recipients_digest(recipients, s) for s in _secrets()]
