"""`load_demo_data` builds a first-run site in every language and changes nothing the
second time. It reads the demo the package loaded once (tests/demo/conftest.py)."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from home.models import FooterText, HomePage, SiteSettings

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": sum(p.revisions.count() for p in Page.objects.all()),
        "footers": FooterText.objects.count(),
        "users": get_user_model().objects.count(),
        "authenticators": Authenticator.objects.count(),
    }


def test_demo_data_loads_home_pages_settings_and_staff_in_every_language(
    demo, settings
):
    languages = sorted(code for code, _name in settings.LANGUAGES)

    homes = HomePage.objects.live().select_related("locale")
    assert sorted(h.locale.language_code for h in homes) == languages
    footers = FooterText.objects.all()
    assert sorted(f.locale.language_code for f in footers) == languages
    assert SiteSettings.objects.get().contact_email
    staff = get_user_model().objects.filter(email__endswith="@example.org")
    assert {u.email for u in staff} >= {
        "editor@example.org",
        "moderator@example.org",
        "board@example.org",
    }
    for user in staff:
        assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert staff.get(email="editor@example.org").groups.get().name == "Editors"


def test_loading_demo_data_twice_changes_nothing(demo, settings):
    settings.DEBUG = True
    before = snapshot()

    call_command("load_demo_data", "--quiet-accounts")

    assert snapshot() == before
