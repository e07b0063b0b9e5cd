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

# Staff of two demo member organisations (network.demo creates the members and
# their groups, then these accounts). Listed here so that demo_totp knows them.
DEMO_MEMBER_STAFF = [
    # email, member slug, staff kind, TOTP secret (base32)
    (
        "kharkiv.editor@example.org",
        "lopan-legal-aid",
        "editors",
        "DEMOKHARKIVEDITORSECRETTOTPAAAAA",
    ),
    (
        "kharkiv.moderator@example.org",
        "lopan-legal-aid",
        "moderators",
        "DEMOKHARKIVMODERATORSECRETTOTPAA",
    ),
    (
        "crimea.editor@example.org",
        "yaila-documentation",
        "editors",
        "DEMOCRIMEAEDITORSECRETTOTPAAAAAA",
    ),
]

# Network-wide triage of reports (intake.demo appoints them and sets their key).
DEMO_TRIAGE_STAFF = [
    ("triage@example.org", "Moderators", "DEMOTRIAGESECRETTOTPAAAAAAAAAAAA"),
]


def demo_secret_for(email: str) -> str | None:
    secrets = {e: secret for e, _, secret in DEMO_STAFF}
    secrets.update((e, secret) for e, _, _, secret in DEMO_MEMBER_STAFF)
    secrets.update((e, secret) for e, _, secret in DEMO_TRIAGE_STAFF)
    return secrets.get(email)


def ensure_demo_account(*, email: str, secret: str, group: Group | None = None) -> bool:
    """The demo account `email` (a superuser when `group` is None) in `group`, with
    the demo password and a TOTP authenticator. True when it was created; an
    existing account keeps its password and authenticator."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=email.split("@")[0],
        defaults={"email": email, "is_superuser": group is None},
    )
    if created:
        user.is_staff = group is None
        user.set_password(DEMO_PASSWORD)
        user.save()
    if group is not None:
        user.groups.add(group)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists():
        TOTP.activate(user, secret)
        RecoveryCodes.activate(user)
    return created


def load_demo_staff() -> list[str]:
    """Create (or leave as they are) the demo staff, each with a TOTP authenticator."""
    created = []
    for email, group_name, secret in DEMO_STAFF:
        group = Group.objects.get(name=group_name) if group_name else None
        if ensure_demo_account(email=email, secret=secret, group=group):
            created.append(email)
    return created
