"""Demo staff accounts for a first run. Never used in production (load_demo_data
refuses to run with DEBUG off)."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

DEMO_PASSWORD = "demo-solidarity-2026"

# Published in the README so that anyone can sign in to a demo: an authenticator
# app takes the secret, or `manage.py demo_totp EMAIL` prints the current code.
DEMO_STAFF = [
    # email, group (None: superuser), TOTP secret (base32)
    ("editor@example.org", "Editors", "DEMOEDITORSECRETTOTPAAAAAAAAAAAA"),
    ("moderator@example.org", "Moderators", "DEMOMODERATORSECRETTOTPAAAAAAAAA"),
    ("board@example.org", "Board", "DEMOBOARDSECRETTOTPAAAAAAAAAAAAA"),
    # A second Board member: four eyes, so one drafts and the other approves.
    ("treasurer@example.org", "Board", "DEMOTREASURERSECRETTOTPAAAAAAAAA"),
    ("admin@example.org", None, "DEMOADMINSECRETTOTPAAAAAAAAAAAAA"),
]


def demo_secret_for(email: str) -> str | None:
    return next((secret for e, _, secret in DEMO_STAFF if e == email), None)


def load_demo_staff() -> list[str]:
    """Create (or leave as they are) the demo staff, each with a TOTP authenticator."""
    User = get_user_model()
    created = []
    for email, group_name, secret in DEMO_STAFF:
        user, was_created = User.objects.get_or_create(
            username=email.split("@")[0],
            defaults={"email": email, "is_superuser": group_name is None},
        )
        if was_created:
            user.is_staff = group_name is None
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(email)
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists():
            TOTP.activate(user, secret)
            RecoveryCodes.activate(user)
    return created
