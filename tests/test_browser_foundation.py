"""A person's first visit and a staff member's sign-in, in headless Chromium."""

import pyotp
import pytest

from tests.browser import chromium_page
from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def site(live_server, home_pages):
    return live_server.url


def test_a_visitor_reads_the_home_page_in_each_language_and_switches(site):
    with chromium_page() as page:
        for code, heading in [
            ("uk", "Солідарність"),
            ("en", "Solidarity"),
            ("ru", "Солидарность"),
        ]:
            page.goto(f"{site}/{code}/")
            assert page.locator("html").get_attribute("lang") == code
            assert page.locator("h1").inner_text() == heading

        page.goto(f"{site}/en/")
        page.click(".language-switcher [data-language=uk]")
        page.wait_for_url(f"{site}/uk/")
        assert page.locator("h1").inner_text() == "Солідарність"
        assert page.locator(".skip-link").inner_text() == "Перейти до змісту"


def test_an_editor_signs_in_to_the_admin_with_a_totp_code(site, django_user_model):
    secret = pyotp.random_base32()
    make_user(
        django_user_model,
        email="browser-editor@example.org",
        group="Editors",
        totp_secret=secret,
    )
    with chromium_page() as page:
        page.goto(f"{site}/admin/")
        assert "/accounts/login/" in page.url

        page.fill("input[name=login]", "browser-editor@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_url("**/2fa/authenticate/**")

        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
        page.wait_for_url(f"{site}/admin/")

        assert page.locator("body.wagtail-admin, #wagtail, .w-header").count() >= 1 or (
            "wagtail" in page.content().lower()
        )
        assert page.get_by_role("link", name="Pages").count() >= 1
