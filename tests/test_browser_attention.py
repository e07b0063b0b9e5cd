"""A Board member signs in and sees, in headless Chromium, what needs attention on
the admin home and at the top of the Board's dashboard, on a desktop and on a
phone. With SCREENSHOT_DIR set, each page is saved there as a PNG to look at."""

import os
import pathlib

import pyotp
import pytest

from accounts.roles import BOARD_GROUP
from donations.attention import selectors
from tests.browser import chromium_page
from tests.conftest import PASSWORD, admin_in_english, make_user
from tests.fake_stripe import stripe_settings_fixture  # noqa: F401 (pytest fixture)
from tests.test_attention import (
    failed_mail,
    failing_event,
    mismatch_report,
    paid_event,
    paid_unrecorded_donation,
    unfinished_repairs,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}


def screenshot(page_or_element, name: str) -> None:
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        options = {"full_page": True} if hasattr(page_or_element, "goto") else {}
        page_or_element.screenshot(path=f"{folder}/{name}.png", **options)


def test_a_board_member_sees_what_needs_attention_on_the_home_and_the_dashboard(
    live_server, home_pages, django_user_model, stripe_settings
):
    secret = pyotp.random_base32()
    admin_in_english(
        make_user(
            django_user_model,
            email="browser-board@example.org",
            group=BOARD_GROUP,
            totp_secret=secret,
        )
    )
    failing_event()
    paid_unrecorded_donation()
    paid_event()
    failed_mail()
    mismatch_report()
    unfinished_repairs()

    with chromium_page() as page:
        page.goto(f"{live_server.url}/admin/")
        page.fill("input[name=login]", "browser-board@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_url("**/2fa/authenticate/**")
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
        page.wait_for_url("**/admin/")

        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{live_server.url}/admin/")
            panel = page.locator(".attention-panel")
            assert panel.get_by_role("heading", name="Needs attention").is_visible()
            for kind in selectors.KINDS:
                assert panel.locator(f'[data-attention-kind="{kind}"]').is_visible()
            screenshot(page, f"attention-home-{size}")

            page.goto(f"{live_server.url}/admin/board/")
            section = page.locator("#attention")
            assert section.is_visible()
            assert section.locator(".attention-item").count() == 7
            screenshot(page, f"attention-board-{size}")

        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/admin/reconciliation/check/")
        assert page.get_by_role("button", name="Check these days").is_visible()
        screenshot(page, "reconciliation-check-desktop")
        page.goto(f"{live_server.url}/admin/stripeevent/retry/")
        assert page.get_by_role("button", name="Process again").is_visible()
        screenshot(page, "stripe-events-retry-desktop")
