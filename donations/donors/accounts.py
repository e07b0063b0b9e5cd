"""Donors' sign-in accounts: made only for an address that has gifts, so that
allauth can email a one-time code and sign the donor in to their gifts. No
password, no groups, not staff; erasing the donor's data deletes it again."""

from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from accounts.emails import normalise_email
from accounts.services import accounts_with_email
from donations.donors.services import donor_has_gifts


def _donor_username(email: str) -> str:
    # Derived from the address, so that two requests racing for one address make
    # one account (the second insert fails on the unique username); keyed, so that
    # the username does not give the address away.
    digest = salted_hmac("accounts.donor-username", email).hexdigest()
    return f"donor-{digest[:24]}"


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
    if not donor_has_gifts(email) or accounts_with_email(email).exists():
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
