"""A visitor gives to a campaign on a development site: the form, the simulated
checkout, the confirmed thank-you page and the receipt by email."""

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from donations.models import Donation
from tests.browser import chromium_page
from tests.factories import CampaignPageFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def simulation(settings):
    settings.DEBUG = True
    settings.STRIPE_SECRET_KEY = ""
    return settings


@pytest.fixture
def campaign(campaign_index):
    page = CampaignPageFactory(parent=campaign_index, title="Free the Crimean Tatars")
    page.save_revision().publish()
    return page


def manage_route_exists() -> bool:
    try:
        reverse("donations:manage", kwargs={"token": "x"})
    except NoReverseMatch:
        return False
    return True


def test_a_visitor_gives_to_a_campaign_through_the_simulated_checkout(
    live_server, simulation, campaign
):
    with_receipt = manage_route_exists()
    with chromium_page() as page:
        page.goto(f"{live_server.url}{campaign.url}")
        form = page.locator("form.donate-form")
        assert form.get_by_role("radio", name="€30").is_visible()

        # The amounts follow the frequency and currency chosen, without a script.
        form.get_by_role("radio", name="Monthly").check()
        assert form.get_by_role("radio", name="€10").is_visible()
        form.get_by_role("radio", name="One-off").check()
        form.get_by_role("radio", name="PLN (zł)").check()
        assert form.get_by_role("radio", name="120 zł").is_visible()
        form.get_by_role("radio", name="EUR (€)").check()
        # By keyboard: arrows move through a radio group.
        form.get_by_role("radio", name="€30").focus()
        page.keyboard.press("ArrowRight")
        assert form.get_by_role("radio", name="€50").is_checked()
        assert form.get_by_role(
            "radio", name="The campaign “Free the Crimean Tatars”"
        ).is_checked()
        form.get_by_role("button", name="Continue to payment").click()

        page.wait_for_url("**/donate/simulated/**")
        assert "no money moves" in page.locator(".simulated-banner").inner_text()
        if with_receipt:
            page.get_by_label("Email for the receipt (optional)").fill(
                "maria@example.org"
            )
        page.get_by_role("button", name="Pay €50 (simulated)").click()

        page.wait_for_url("**/donate/thanks/**")
        assert "Confirmed" in page.locator("#donation-status").inner_text()
        assert "€50" in page.locator("#donation-status").inner_text()
        assert page.get_by_role("link", name="Give monthly").is_visible()

    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PAID and donation.amount == 5000
    assert donation.subject_key == campaign.translation_key
    if not with_receipt:
        pytest.skip("the receipt links to donations:manage, which does not exist yet")
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    assert "/donate/manage/" in mail.outbox[0].body


def test_the_browser_solves_the_card_testing_challenge_by_itself(
    live_server, simulation, campaign
):
    simulation.DONATION_CHALLENGE = {
        **simulation.DONATION_CHALLENGE,
        "always": True,
        "difficulty": 3,
    }
    with chromium_page() as page:
        page.goto(f"{live_server.url}{campaign.url}")
        form = page.locator("form.donate-form")
        form.get_by_label("Other amount").fill("12.50")
        form.get_by_role("button", name="Continue to payment").click()

        page.wait_for_url("**/donate/simulated/**")
        assert "€12.50" in page.locator(".facts").inner_text()


def test_the_script_hashes_as_the_server_does(live_server, simulation, campaign):
    import hashlib

    with chromium_page() as page:
        page.goto(f"{live_server.url}{campaign.url}")
        for text in ("", "abc", "f00d" * 40):
            ours = page.evaluate("(t) => window.solidarityPow.sha256hex(t)", text)
            assert ours == hashlib.sha256(text.encode()).hexdigest()
