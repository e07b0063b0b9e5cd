"""A member co-signing a joint statement from the admin. Its own authorised staff
sign for it, signed in with a second factor, so there is no email to confirm and
no name to approve: the signature counts at once. Once per member per statement,
whichever language version is signed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from campaigns.choices import SignatureStatus, SignerKind
from campaigns.models import Signature, StatementPage
from campaigns.services import email_digest

from .access import members_of
from .models import Member

COSIGN_ACTION = "network.cosign"


class AlreadySigned(ValidationError):
    pass


def member_digest(*, statement_key, member: Member) -> str:
    """The signature's `email_digest`: the signing code's own keyed hash, of a key
    no email address can have, so the unique constraint that stops an address
    signing twice also stops a member co-signing twice."""
    return email_digest(statement_key=statement_key, email=f"member:{member.pk}")


def member_signature(*, statement: StatementPage, member: Member) -> Signature | None:
    return Signature.objects.filter(
        statement_key=statement.translation_key,
        email_digest=member_digest(
            statement_key=statement.translation_key, member=member
        ),
    ).first()


def check_can_cosign(*, statement: StatementPage, member: Member, by) -> None:
    """Refuse (PermissionDenied, or ValidationError saying why) unless `by` works
    for `member` and the statement takes organisations' signatures now."""
    if member not in members_of(by):
        raise PermissionDenied
    if not statement.live:
        raise ValidationError(_("This statement is not published."))
    if not statement.is_open:
        raise ValidationError(_("This statement is closed for signatures."))
    if SignerKind.ORGANISATION not in statement.allowed_kinds:
        raise ValidationError(_("This statement is signed by individuals only."))


def member_cosign(*, statement: StatementPage, member: Member, by) -> Signature:
    """Sign `statement` for `member`, as `by` (one of its staff): a confirmed
    organisation signature under the member's name, country and website.

    A member that is not public is counted but never named: its signature is
    neither approved nor shown by name. A second co-signature of the same member
    raises AlreadySigned and changes nothing, also when two arrive at once (the
    database's unique constraint decides)."""
    check_can_cosign(statement=statement, member=member, by=by)
    statement_key = statement.translation_key
    signature = Signature(
        statement_key=statement_key,
        kind=SignerKind.ORGANISATION,
        name=member.name,
        show_name=member.is_public,
        country=member.country,
        website=member.website,
        email="",
        email_digest=member_digest(statement_key=statement_key, member=member),
        language=statement.locale.language_code,
        status=SignatureStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        approved=member.is_public,
    )
    signature.full_clean(exclude=["email_digest"], validate_constraints=False)
    already = AlreadySigned(
        _("%(member)s has already signed this statement.") % {"member": member}
    )
    try:
        with transaction.atomic():
            signature.save()
            log(
                instance=signature,
                action=COSIGN_ACTION,
                user=by,
                data={
                    "member": member.pk,
                    "statement": statement.pk,
                    "statement_key": str(statement_key),
                },
            )
    except IntegrityError as error:
        raise already from error
    return signature
