"""A recipient's key: created under a passphrase, unlocked for one session.

The unlocked key is split in two: the session (on the server) holds it sealed in a
secret box, and the box's key lives only in an HttpOnly cookie of the admin. A
copy of the session table alone, or the cookie alone, opens nothing; signing out
ends both."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from nacl import utils
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey
from nacl.secret import SecretBox

from accounts.second_factor import session_used_second_factor

from . import crypto
from .models import Recipient, RecoveryKey

SESSION_KEY = "intake_sealed_key"
COOKIE_NAME = "intake_key"
MIN_PASSPHRASE = 12


def recipient_of(user) -> Recipient | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Recipient.objects.filter(user=user).select_related("member").first()


@sensitive_variables()
def create_key(*, recipient: Recipient, passphrase: str) -> None:
    """A new key pair under `passphrase`. Reports sealed to an earlier key stay
    readable only through a colleague or the recovery key (README, "Reports")."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(
            _("Choose a passphrase of at least %(n)d characters.")
            % {"n": MIN_PASSPHRASE}
        )
    private_key = crypto.new_key_pair()
    wrapped = crypto.wrap_private_key(private_key=private_key, passphrase=passphrase)
    recipient.public_key = bytes(private_key.public_key)
    for name, value in wrapped.items():
        setattr(recipient, name, value)
    recipient.key_created_at = timezone.now()
    recipient.save()
    if recipient.pk:
        recipient.envelopes.all().delete()  # sealed to the old key: useless now


@sensitive_variables()
def change_passphrase(*, recipient: Recipient, old: str, new: str) -> None:
    if len(new) < MIN_PASSPHRASE:
        raise ValidationError(
            _("Choose a passphrase of at least %(n)d characters.")
            % {"n": MIN_PASSPHRASE}
        )
    private_key = _unwrap(recipient, old)
    wrapped = crypto.wrap_private_key(private_key=private_key, passphrase=new)
    for name, value in wrapped.items():
        setattr(recipient, name, value)
    recipient.save()


def _unwrap(recipient: Recipient, passphrase: str) -> PrivateKey:
    try:
        return crypto.unwrap_private_key(
            wrapped=bytes(recipient.wrapped_private_key),
            passphrase=passphrase,
            salt=bytes(recipient.kdf_salt),
            ops=recipient.kdf_ops,
            mem=recipient.kdf_mem,
        )
    except (CryptoError, TypeError) as error:
        raise ValidationError(_("That passphrase does not open your key.")) from error


@sensitive_variables()
def unlock(*, request, response, recipient: Recipient, passphrase: str) -> None:
    """Open the key for this session: only after a sign-in with the second factor."""
    if not session_used_second_factor(request):
        raise PermissionDenied(_("Sign in again with your second factor first."))
    private_key = _unwrap(recipient, passphrase)
    cookie_key = utils.random(SecretBox.KEY_SIZE)
    request.session[SESSION_KEY] = crypto.b64(
        SecretBox(cookie_key).encrypt(bytes(private_key))
    )
    response.set_cookie(
        COOKIE_NAME,
        crypto.b64(cookie_key),
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
        path="/admin/",
    )


@sensitive_variables()
def unlocked_key(request) -> PrivateKey | None:
    sealed = request.session.get(SESSION_KEY)
    cookie = request.COOKIES.get(COOKIE_NAME)
    if not sealed or not cookie:
        return None
    try:
        return PrivateKey(SecretBox(crypto.unb64(cookie)).decrypt(crypto.unb64(sealed)))
    except (CryptoError, ValueError):
        return None


def lock(*, request, response) -> None:
    request.session.pop(SESSION_KEY, None)
    response.delete_cookie(COOKIE_NAME, path="/admin/")


@sensitive_variables()
def create_recovery_key() -> tuple[RecoveryKey, str]:
    """A new recovery key; returns its private half, as text to print, once. An
    earlier recovery key is retired (reports already sealed to it keep it)."""
    private_key = crypto.new_key_pair()
    RecoveryKey.objects.filter(retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    row = RecoveryKey.objects.create(public_key=bytes(private_key.public_key))
    return row, crypto.b64(bytes(private_key))


@sensitive_variables()
def recover_with(*, recovery_private: str, recipient: Recipient) -> int:
    """Seal to `recipient` every report the recovery key can open and they may
    read: after a lost passphrase, once they have a new key. Returns how many."""
    from .models import Report
    from .services import readers_for

    try:
        private_key = PrivateKey(crypto.unb64(recovery_private.strip()))
    except Exception as error:
        raise ValidationError(_("That is not a recovery key.")) from error
    public = bytes(private_key.public_key)
    key_row = next(
        (k for k in RecoveryKey.objects.all() if bytes(k.public_key) == public), None
    )
    if key_row is None:
        raise ValidationError(_("That is not this network's recovery key."))
    if not recipient.has_key:
        raise ValidationError(_("The person must set a passphrase first."))
    shared = 0
    for envelope in key_row.envelopes.select_related("report"):
        report: Report = envelope.report
        readers, _recovery = readers_for(member=report.member)
        if recipient not in readers:
            continue
        if report.envelopes.filter(recipient=recipient).exists():
            continue
        report_private = crypto.unseal(
            private_key=private_key, data=bytes(envelope.sealed_key)
        )
        report.envelopes.create(
            recipient=recipient,
            sealed_key=crypto.seal(
                public_key=bytes(recipient.public_key), data=report_private
            ),
        )
        shared += 1
    return shared
