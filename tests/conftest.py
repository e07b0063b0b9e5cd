import os
import shutil

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core.cache import cache

# Playwright's sync API keeps an event loop in the test thread; Django's ORM calls in
# browser tests are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = bool(os.environ.get("CI"))
PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(config, items):
    """Skip browser and PostgreSQL tests where they cannot run, but never in CI."""
    from django.db import connection

    chromium = shutil.which("chromium") or os.path.exists("/usr/bin/chromium")
    for item in items:
        if item.get_closest_marker("browser") and not chromium:
            if IN_CI:
                raise pytest.UsageError("CI must run browser tests: install chromium.")
            item.add_marker(pytest.mark.skip(reason="chromium is not installed"))
        if item.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
            if IN_CI:
                raise pytest.UsageError("CI must run with Redis (REDIS_URL).")
            item.add_marker(pytest.mark.skip(reason="needs REDIS_URL=redis://"))
        if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
            if IN_CI:
                raise pytest.UsageError("CI must run on PostgreSQL (DATABASE_URL).")
            item.add_marker(pytest.mark.skip(reason="needs DATABASE_URL=postgres://"))


@pytest.fixture(autouse=True)
def _english_outside_requests():
    # Code run outside a request (forms, services) speaks the default language,
    # Ukrainian; tests read its messages in English. Requests still choose their own.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _mail_goes_through_the_outbox(settings):
    # Django's test set-up swaps EMAIL_BACKEND for locmem; put the project's one
    # path back, so that tests see mail as production sends it (delivery: locmem).
    settings.EMAIL_BACKEND = "outbox.backends.OutboxEmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and used TOTP codes live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home_pages(db):
    from home.demo import load_footer_and_settings, load_home_pages

    homes = load_home_pages()
    load_footer_and_settings()
    return homes


def make_user(django_user_model, *, email, group=None, totp_secret=None, **extra):
    user = django_user_model.objects.create_user(
        username=email.split("@")[0], email=email, password=PASSWORD, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if totp_secret:
        TOTP.activate(user, totp_secret)
    return user


@pytest.fixture
def totp_secret():
    return pyotp.random_base32()


@pytest.fixture
def editor_without_mfa(db, django_user_model):
    return make_user(django_user_model, email="nomfa@example.org", group="Editors")


@pytest.fixture
def editor_with_totp(db, django_user_model, totp_secret):
    return make_user(
        django_user_model,
        email="editor@example.org",
        group="Editors",
        totp_secret=totp_secret,
    )


@pytest.fixture
def donor(db, django_user_model):
    return make_user(django_user_model, email="donor@example.org")


@pytest.fixture
def prisoner_index(home_pages):
    from tests.factories import PrisonerIndexPageFactory

    return PrisonerIndexPageFactory(
        parent=home_pages["en"], title="Political prisoners"
    )


def add_profile(index, *, spellings=(), **fields):
    """A published profile under `index`, with other spellings of its name."""
    from prisoners.models import AlternativeName
    from tests.factories import PrisonerPageFactory

    articles = fields.pop("criminal_articles", [])
    page = PrisonerPageFactory(parent=index, **fields)
    for script, name in spellings:
        page.spellings.add(AlternativeName(script=script, name=name))
    if articles:
        page.criminal_articles.set(articles)
    page.save()
    page.save_revision().publish()
    return page


def admin_in_english(user):
    """The admin speaks Ukrainian by default; tests that read its text ask for
    English, as a staff member can in their account settings."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def sign_in_with_totp(client, user, secret):
    """Sign `user` in through allauth's forms, password then TOTP code."""
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert "/2fa/authenticate/" in response["Location"], response
    location = response["Location"]
    response = client.post(location, {"code": pyotp.TOTP(secret).now()})
    if response.status_code == 200:
        # The code's 30 seconds ran out between making it and checking it.
        response = client.post(location, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    return client


def signed_in(client, django_user_model, *, email, group=None, **extra):
    """A new staff member in `group`, signed in with password and TOTP, reading
    the admin in English."""
    secret = pyotp.random_base32()
    user = make_user(
        django_user_model, email=email, group=group, totp_secret=secret, **extra
    )
    return sign_in_with_totp(client, admin_in_english(user), secret)


@pytest.fixture
def staff_client(client, editor_with_totp, totp_secret):
    return sign_in_with_totp(client, editor_with_totp, totp_secret)


@pytest.fixture
def statement(home_pages):
    from tests.factories import StatementIndexPageFactory, StatementPageFactory

    index = StatementIndexPageFactory(parent=home_pages["en"])
    return StatementPageFactory(parent=index, title="Free the journalists")


@pytest.fixture
def campaign_index(home_pages):
    from tests.factories import CampaignIndexPageFactory

    return CampaignIndexPageFactory(parent=home_pages["en"])
