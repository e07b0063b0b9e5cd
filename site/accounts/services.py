"""Writes about accounts: donors' sign-in accounts.

Staff accounts are made by an administrator. A donor gets an account only by asking
for a one-time sign-in code for an address that has gifts: no password, no groups,
not staff; it exists so that allauth can email the code and sign the donor in to
their gifts. Erasing a donor's data deletes it again.
"""

import logging

from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Permission
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError
from django.utils.crypto import salted_hmac

from donations.self_service import donor_has_gifts, normalise_email

logger = logging.getLogger(__name__)


def _donor_username(email: str) -> str:
    # Derived from the address, so that two requests racing for one address make
    # one account (the second insert fails on the unique username); keyed, so that
    # the username does not give the address away.
    digest = salted_hmac("accounts.donor-username", email).hexdigest()
    return f"donor-{digest[:24]}"


def _accounts_with_email(email: str) -> QuerySet:
    """Every account, active or not, whose own email or any of whose allauth
    addresses (verified or not) is `email`."""
    User = get_user_model()
    return User.objects.filter(
        Q(email__iexact=email)
        | Q(pk__in=EmailAddress.objects.filter(email__iexact=email).values("user_id"))
    )


def _admin_users() -> QuerySet:
    """Accounts given access to the Wagtail admin, through a group or directly.

    Asked of the database rather than `has_perm`, which says no for an inactive
    account: a suspended staff member is still staff.
    """
    User = get_user_model()
    access = Permission.objects.filter(
        codename="access_admin", content_type__app_label="wagtailadmin"
    )
    return User.objects.filter(
        Q(groups__permissions__in=access) | Q(user_permissions__in=access)
    )


def donor_account_ensure(*, email: str) -> AbstractUser | None:
    """The account a donor signs in with by code, made when the address has gifts.

    Returns the active account of `email` when there is one. Otherwise, if gifts
    (not erased) were made with the address and no account at all holds it (a
    deactivated one included), makes a donor account: no password, no groups, not
    staff, the address unverified (allauth verifies it when the donor confirms the
    emailed code). Returns None when there are no gifts, or when a deactivated
    account holds the address. Callers must not tell the visitor which.
    """
    email = normalise_email(email)
    if not email:
        return None
    active = filter_users_by_email(email, is_active=True, prefer_verified=True)
    if active:
        return active[0]
    if not donor_has_gifts(email) or _accounts_with_email(email).exists():
        return None
    User = get_user_model()
    user = User(
        username=_donor_username(email),
        email=email,
        is_active=True,
        is_staff=False,
        is_superuser=False,
    )
    user.set_unusable_password()
    try:
        with transaction.atomic():
            # Uniqueness is the database's to enforce: two requests for the same
            # address may race here.
            user.full_clean(validate_unique=False)
            user.save()
            address = EmailAddress(user=user, email=email, verified=False, primary=True)
            address.full_clean(validate_unique=False)
            address.save()
    except IntegrityError:
        active = filter_users_by_email(email, is_active=True, prefer_verified=True)
        return active[0] if active else None
    return user


def donor_accounts_delete(*, email: str) -> int:
    """Delete the donor accounts that hold `email`, for a donor's erasure.

    A donor account is one that cannot open the admin: not staff, not superuser,
    no `wagtailadmin.access_admin` through a group or directly. Its allauth
    addresses, confirmations and authenticators go with it (they cascade). Staff
    accounts with the address are left alone. An account that other records still
    protect (an allocation a former board member drafted, say) is kept and logged.
    Returns how many accounts were deleted.
    """
    email = normalise_email(email)
    if not email:
        return 0
    donors = (
        _accounts_with_email(email)
        .exclude(is_staff=True)
        .exclude(is_superuser=True)
        .exclude(pk__in=_admin_users().values("pk"))
    )
    deleted = 0
    for user in donors:
        try:
            with transaction.atomic():
                user.delete()
        except (ProtectedError, RestrictedError):
            logger.warning(
                "donor erasure: account %s is referenced elsewhere and was kept",
                user.pk,
            )
        else:
            deleted += 1
    return deleted
