"""An editor, in headless Chromium, opens a campaign that names a person whose profile
is not published: the editor warns them, "Submit for moderation" is held back, and
goes through once they tick that naming the person is right. On a desktop and on a
phone; with SCREENSHOT_DIR set, each step is saved there as a PNG to look at."""

import pyotp
import pytest
from wagtail.models import Page
from wagtail.rich_text import RichText

from tests.browser import chromium_page
from tests.conftest import PASSWORD, admin_in_english, make_user
from tests.factories import (
    CampaignIndexPageFactory,
    CampaignPageFactory,
    PrisonerIndexPageFactory,
    PrisonerPageFactory,
)
from tests.test_browser_attention import SIZES, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def submit_for_moderation(page) -> None:
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("button[name=action-submit]").click()
    page.wait_for_load_state()


def test_an_editor_is_warned_and_held_back_until_they_acknowledge(
    live_server, home_pages, django_user_model
):
    secret = pyotp.random_base32()
    admin_in_english(
        make_user(
            django_user_model,
            email="browser-editor@example.org",
            group="Editors",
            totp_secret=secret,
        )
    )
    prisoners = PrisonerIndexPageFactory(parent=home_pages["en"])
    PrisonerPageFactory(parent=prisoners, title="Сергій Петренко", live=False)
    index = CampaignIndexPageFactory(parent=home_pages["en"])
    campaign = CampaignPageFactory(parent=index, title="Free the journalists")
    campaign.body = [
        ("paragraph", RichText("<p>Суд залишив Петренка під вартою ще на рік.</p>"))
    ]
    campaign.save_revision()

    with chromium_page() as page:
        page.goto(f"{live_server.url}/admin/")
        page.fill("input[name=login]", "browser-editor@example.org")
        page.fill("input[name=password]", PASSWORD)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.wait_for_url("**/2fa/authenticate/**")
        page.fill("input[name=code]", pyotp.TOTP(secret).now())
        page.locator("form:has(input[name=code]) button[type=submit]").first.click()
        page.wait_for_url("**/admin/")
        edit_url = f"{live_server.url}/admin/pages/{campaign.pk}/edit/"

        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(edit_url)
            warning = page.locator("[data-protected-names-warning]")
            assert warning.is_visible()
            assert warning.get_by_role("link", name="Сергій Петренко").is_visible()
            assert "Петренка" in warning.inner_text()
            screenshot(page, f"editorial-warning-{size}")

        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(edit_url)
        submit_for_moderation(page)
        assert page.get_by_text("Not submitted for review").is_visible()
        assert Page.objects.get(pk=campaign.pk).current_workflow_state is None
        screenshot(page, "editorial-warning-held-back-desktop")

        page.get_by_label("I have checked: submit for review with these names").check()
        submit_for_moderation(page)
        state = Page.objects.get(pk=campaign.pk).current_workflow_state
        assert state is not None and state.status == "in_progress"
