"""Signing statements: requests, confirmations, resends and erasing old emails."""

import base64
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from accounts.emails import normalise_email
from campaigns.choices import SignatureStatus, SignerKind
from campaigns.models import Signature, StatementPage
from outbox.codec import template_header
from solidarity.text import clean_name

TOKEN_SALT = "campaigns.signature.confirm"


class StatementClosed(Exception):
    pass


def email_digest(*, statement_key, email: str) -> str:
    return salted_hmac(
        "campaigns.signature.email", f"{statement_key}:{normalise_email(email)}"
    ).hexdigest()


def confirmation_token(signature: Signature) -> str:
    """A signed, expiring token, in characters that fit one URL path segment."""
    signed = signing.dumps(
        {"s": signature.pk, "d": signature.email_digest[:16]}, salt=TOKEN_SALT
    )
    return base64.urlsafe_b64encode(signed.encode()).decode().rstrip("=")


def _unwrap(token: str) -> str:
    padded = token + "=" * (-len(token) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode()).decode()
    except (ValueError, UnicodeDecodeError) as error:
        raise signing.BadSignature("malformed token") from error


@dataclass(frozen=True)
class SignOutcome:
    """created: a new signature waits for confirmation; resent: it was waiting and
    the link went out again; already_signed: confirmed before, nothing changed."""

    outcome: str
    signature: Signature | None = None


def _send_confirmation(*, signature: Signature, statement: StatementPage, url: str):
    with translation.override(signature.language):
        context = {"statement": statement, "signature": signature, "url": url}
        context["valid_days"] = settings.SIGNATURE_CONFIRMATION_DAYS
        subject = render_to_string("email/signature_confirm_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string("email/signature_confirm.txt", context),
            to=[signature.email],
            headers=template_header("email/signature_confirm"),
        )
        message.attach_alternative(
            render_to_string("email/signature_confirm.html", context), "text/html"
        )
        message.send()


def signature_request(
    *,
    statement: StatementPage,
    kind: str,
    name: str,
    show_name: bool,
    country: str,
    website: str,
    email: str,
    language: str,
    confirm_url_for,
) -> SignOutcome:
    """Ask to sign `statement`. Saves a pending signature and its confirmation email
    in one transaction; signing twice with one address changes nothing.

    `confirm_url_for(token)` builds the absolute confirmation link.
    """
    if not statement.is_open:
        raise StatementClosed
    if kind not in statement.allowed_kinds:
        raise ValidationError({"kind": "This statement is not open to that signer."})
    digest = email_digest(statement_key=statement.translation_key, email=email)
    with transaction.atomic():
        existing = (
            Signature.objects.select_for_update()
            .filter(statement_key=statement.translation_key, email_digest=digest)
            .first()
        )
        if existing is not None:
            if existing.status == SignatureStatus.PENDING and existing.email:
                _send_confirmation(
                    signature=existing,
                    statement=statement,
                    url=confirm_url_for(confirmation_token(existing)),
                )
                return SignOutcome("resent", existing)
            return SignOutcome("already_signed", existing)
        signature = Signature(
            statement_key=statement.translation_key,
            kind=kind,
            name=clean_name(name),
            show_name=show_name if kind == SignerKind.INDIVIDUAL else True,
            country=country,
            website=website if kind == SignerKind.ORGANISATION else "",
            email=normalise_email(email),
            email_digest=digest,
            language=language,
        )
        signature.full_clean(exclude=["email_digest"])
        try:
            with transaction.atomic():
                signature.save()
        except IntegrityError:  # the same address, a moment earlier, elsewhere
            return SignOutcome("already_signed", None)
        _send_confirmation(
            signature=signature,
            statement=statement,
            url=confirm_url_for(confirmation_token(signature)),
        )
    return SignOutcome("created", signature)


@dataclass(frozen=True)
class ConfirmOutcome:
    """confirmed, already_confirmed, expired, invalid or removed."""

    outcome: str
    signature: Signature | None = None


def signature_confirm(*, token: str) -> ConfirmOutcome:
    """Count a signature whose owner followed the emailed link. Idempotent."""
    max_age = datetime.timedelta(days=settings.SIGNATURE_CONFIRMATION_DAYS)
    try:
        data = signing.loads(_unwrap(token), salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        return ConfirmOutcome("expired")
    except signing.BadSignature:
        return ConfirmOutcome("invalid")
    with transaction.atomic():
        signature = (
            Signature.objects.select_for_update().filter(pk=data.get("s")).first()
        )
        if signature is None or not signature.email_digest.startswith(
            str(data.get("d"))
        ):
            return ConfirmOutcome("invalid")
        if signature.status == SignatureStatus.REMOVED:
            return ConfirmOutcome("removed", signature)
        if signature.status == SignatureStatus.CONFIRMED:
            return ConfirmOutcome("already_confirmed", signature)
        signature.status = SignatureStatus.CONFIRMED
        signature.confirmed_at = timezone.now()
        signature.save(update_fields=["status", "confirmed_at"])
    return ConfirmOutcome("confirmed", signature)


def signature_resend(*, statement: StatementPage, email: str, confirm_url_for) -> bool:
    """Send the link again to a signature still waiting. Says nothing about whether
    the address signed (the answer is the same either way)."""
    digest = email_digest(statement_key=statement.translation_key, email=email)
    with transaction.atomic():
        signature = Signature.objects.filter(
            statement_key=statement.translation_key,
            email_digest=digest,
            status=SignatureStatus.PENDING,
        ).first()
        if signature is None or not signature.email:
            return False
        _send_confirmation(
            signature=signature,
            statement=statement,
            url=confirm_url_for(confirmation_token(signature)),
        )
    return True


def signatures_erase_old_emails(*, now: datetime.datetime | None = None) -> int:
    """Erase emails of signatures confirmed more than SIGNATURE_EMAIL_RETENTION_DAYS
    ago (the signature still counts), and delete signatures never confirmed within
    twice the link's lifetime (they never counted). Returns how many were touched."""
    now = now or timezone.now()
    keep_until = now - datetime.timedelta(days=settings.SIGNATURE_EMAIL_RETENTION_DAYS)
    erased = (
        Signature.objects.exclude(status=SignatureStatus.PENDING)
        .filter(email_erased_at=None, created_at__lt=keep_until)
        .filter(Q(confirmed_at=None) | Q(confirmed_at__lt=keep_until))
        .update(email="", email_erased_at=now)
    )
    stale_before = now - datetime.timedelta(
        days=2 * settings.SIGNATURE_CONFIRMATION_DAYS
    )
    deleted, _ = Signature.objects.filter(
        status=SignatureStatus.PENDING, created_at__lt=stale_before
    ).delete()
    return erased + deleted
