"""Adding a member organisation in one step: the member, its staff groups, and its
first editor, invited by email to set a password. At first sign-in the admin asks
them for an authenticator before it opens (accounts.middleware)."""

import datetime

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.emails import normalise_email
from accounts.services import accounts_with_email
from outbox.codec import template_header

from .choices import StaffKind
from .models import Member, MemberInvitation
from .staff import ensure_member_groups

ONBOARD_ACTION = "network.onboard"
INVITATION_TEMPLATE = "network/email/invitation"
# Usernames are the address itself, and Django's username holds 150 characters.
MAX_EMAIL_LENGTH = 150


def invitation_url(user, *, language: str) -> str:
    """The absolute link at which the invited editor sets their password: allauth's
    own password reset from a key, valid for PASSWORD_RESET_TIMEOUT."""
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    with translation.override(language):
        path = reverse(
            "account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"}
        ).replace("UID-KEY", key)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send_invitation(*, member: Member, user, language: str) -> None:
    with translation.override(language):
        context = {
            "member": member,
            "url": invitation_url(user, language=language),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        subject = render_to_string(f"{INVITATION_TEMPLATE}_subject.txt", context)
        message = EmailMultiAlternatives(
            subject=" ".join(subject.split()),
            body=render_to_string(f"{INVITATION_TEMPLATE}.txt", context),
            to=[user.email],
            headers=template_header(INVITATION_TEMPLATE),
        )
        message.attach_alternative(
            render_to_string(f"{INVITATION_TEMPLATE}.html", context), "text/html"
        )
        message.send()


def check_new_staff_email(email: str) -> str:
    """The address, normalised, if it may become a new staff account; otherwise a
    ValidationError saying why."""
    email = normalise_email(email)
    if not email:
        raise ValidationError(_("Give the first editor's email address."))
    if len(email) > MAX_EMAIL_LENGTH:
        raise ValidationError(
            _("An address of at most %(max)d characters, please.")
            % {"max": MAX_EMAIL_LENGTH}
        )
    User = get_user_model()
    if (
        accounts_with_email(email).exists()
        or User.objects.filter(username__iexact=email).exists()
    ):
        # Joining an existing account to a member is a different decision (a
        # donor's account, another member's editor): an administrator makes it.
        raise ValidationError(
            _(
                "An account with this address already exists. Invite someone "
                "else, or ask an administrator to add that account to the "
                "member's group."
            )
        )
    return email


@transaction.atomic
def onboard_member(
    *,
    name: str,
    slug: str,
    country: str,
    joined_on: datetime.date,
    is_public: bool,
    first_editor_email: str,
    by,
    language: str | None = None,
) -> Member:
    """Add a member organisation: the member, its editors' and moderators' groups,
    an account for its first editor (no password yet, in the editors' group), the
    invitation, and its email, all or nothing. The email is in `language` (the
    current one by default). An address that already has an account is refused."""
    email = check_new_staff_email(first_editor_email)
    member = Member(
        name=name.strip(),
        slug=slug,
        country=country,
        joined_on=joined_on,
        is_public=is_public,
    )
    member.full_clean()
    member.save()
    groups = ensure_member_groups(member=member)

    User = get_user_model()
    user = User(username=email, email=email, is_active=True)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(groups[StaffKind.EDITORS])
    # Verified because only the owner of the address receives the link that sets
    # the password: using it proves the address as a confirmation would.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    MemberInvitation.objects.create(member=member, user=user, invited_by=by)

    log(
        instance=member,
        action=ONBOARD_ACTION,
        user=by,
        data={"first_editor": user.pk, "groups": [g.pk for g in groups.values()]},
    )
    _send_invitation(
        member=member,
        user=user,
        language=(language or translation.get_language() or settings.LANGUAGE_CODE),
    )
    return member
