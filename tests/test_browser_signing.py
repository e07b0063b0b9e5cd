"""A visitor signs a statement, confirms from the email, and sees it counted; the
page comes from the cache and the browser keeps no cookie, with JavaScript or
without, and while many sign the form's proof of work runs by itself."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import sync_playwright

from campaigns.models import Signature
from tests.browser import CHROMIUM, CHROMIUM_ARGS, chromium_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def fill_in(page, *, name: str, email: str) -> None:
    page.check("input[name=kind][value=individual]")
    page.fill("input[name=name]", name)
    page.select_option("select[name=country]", "LT")
    page.fill("input[name=email]", email)


def test_a_visitor_signs_confirms_by_email_and_sees_the_signature_counted(
    live_server, statement
):
    url = f"{live_server.url}{statement.url}"
    with chromium_page() as page:
        page.goto(url)
        assert "0 signatures" in page.locator("#signature-count").inner_text()
        assert page.goto(url).headers["x-page-cache"] == "hit"

        fill_in(page, name="Maria Browser", email="maria@example.org")
        page.click("form.sign-form button[type=submit]")
        page.wait_for_url("**?signed=created**")
        assert "confirm your signature" in page.locator("[role=status]").inner_text()
        assert page.context.cookies() == []

        link = re.search(r"https?://\S+/confirm/\S+/", mail.outbox[-1].body).group(0)
        page.goto(link)
        page.click("text=Confirm my signature")
        page.wait_for_selector("text=confirmed and counted")
        assert "1 signature" in page.locator(".signature-count").inner_text()

        # A confirmation does not purge the page cache (see campaigns/cache_purge.py):
        # the statement page catches up when its cached copy expires.
        cache.clear()
        page.goto(url)
        assert "1 signature" in page.locator("#signature-count").inner_text()
        assert "Maria Browser" in page.locator(".signatory-list").inner_text()


def test_a_visitor_without_javascript_signs_from_the_cached_page(
    live_server, statement
):
    url = f"{live_server.url}{statement.url}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(java_script_enabled=False, locale="en-GB")
            page.set_default_timeout(15_000)
            page.goto(url)
            assert page.goto(url).headers["x-page-cache"] == "hit"
            fill_in(page, name="Jonas Noscript", email="jonas@example.org")
            page.click("form.sign-form button[type=submit]")
            page.wait_for_url("**?signed=created**")
            assert page.context.cookies() == []
        finally:
            browser.close()
    assert Signature.objects.get().email == "jonas@example.org"


def test_while_many_sign_the_browser_solves_the_proof_of_work_by_itself(
    live_server, statement, settings
):
    settings.SIGNING_CHALLENGE_PER_HOUR = 0
    settings.DONATION_CHALLENGE = {
        **settings.DONATION_CHALLENGE,
        "cost": 1,
        "maxnumber": 2000,
    }
    with chromium_page() as page:
        page.goto(f"{live_server.url}{statement.url}")
        fill_in(page, name="Ada Widget", email="ada@example.org")
        page.click("form.sign-form button[type=submit]")
        page.wait_for_url("**?signed=created**")
        assert page.context.cookies() == []
    assert Signature.objects.get().email == "ada@example.org"
