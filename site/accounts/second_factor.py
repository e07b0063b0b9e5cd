"""Who must have a second factor, and whether this session has used one."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


def is_staff_member(user) -> bool:
    """Anyone who can open the Wagtail admin counts as staff."""
    return bool(user.is_authenticated and user.has_perm("wagtailadmin.access_admin"))


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists()


def session_used_second_factor(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)
