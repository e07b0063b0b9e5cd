"""`load_demo_data` builds a first-run site, changes nothing the second time, and
never runs in production."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
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


def test_demo_data_loads_home_pages_settings_and_staff_in_three_languages(settings):
    settings.DEBUG = True

    call_command("load_demo_data", "--quiet-accounts")

    homes = HomePage.objects.live().select_related("locale")
    assert sorted(h.locale.language_code for h in homes) == ["en", "ru", "uk"]
    assert sorted(f.locale.language_code for f in FooterText.objects.all()) == [
        "en",
        "ru",
        "uk",
    ]
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


def test_loading_demo_data_twice_changes_nothing(settings):
    settings.DEBUG = True
    call_command("load_demo_data", "--quiet-accounts")
    before = snapshot()

    call_command("load_demo_data", "--quiet-accounts")

    assert snapshot() == before


def test_demo_data_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("load_demo_data")

    assert not get_user_model().objects.filter(email="editor@example.org").exists()


def test_demo_totp_prints_a_code_the_demo_account_accepts(settings, capsys):
    import pyotp

    from accounts.demo import demo_secret_for

    settings.DEBUG = True
    call_command("demo_totp", "board@example.org")

    code = capsys.readouterr().out.strip().split()[-1]
    assert pyotp.TOTP(demo_secret_for("board@example.org")).verify(code)
