"""Writes about accounts: finding the accounts of an address, and deleting donors'.

Staff accounts are made by an administrator. Donors' sign-in accounts are made by
`donations.donors.accounts.donor_account_ensure`; erasing a donor's data deletes
them again here, never a staff account.
"""

import logging

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import ProtectedError, Q, QuerySet, RestrictedError

from accounts.emails import normalise_email

logger = logging.getLogger(__name__)


def accounts_with_email(email: str) -> QuerySet:
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
        accounts_with_email(email)
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
