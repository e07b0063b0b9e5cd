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


# As strict as a policy gets for this page: only our own scripts, styles, workers
# and requests. The widget must work under it, without inline styles or blob: URLs.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; worker-src 'self'; "
    "connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'"
)


def with_strict_csp(page, live_server) -> tuple[list[str], list[str]]:
    """Serves our pages with STRICT_CSP. Returns the URLs the browser asked for and
    what it refused under the policy (Chromium says so on the console)."""
    asked: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    def add_policy(route):
        if route.request.method != "GET" or route.request.resource_type != "document":
            route.continue_()  # posts go as the browser sends them (Origin and all)
            return
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_CSP}
        route.fulfill(response=response, headers=headers)

    page.route(f"{live_server.url}/**", add_policy)
    return asked, refused


def test_the_browser_solves_the_card_testing_challenge_with_altchas_widget(
    live_server, simulation, campaign
):
    simulation.DONATION_CHALLENGE = {
        **simulation.DONATION_CHALLENGE,
        "always": True,
        "cost": 10,
        "maxnumber": 200,
    }
    with chromium_page() as page:
        asked, refused = with_strict_csp(page, live_server)
        page.goto(f"{live_server.url}{campaign.url}")
        form = page.locator("form.donate-form")
        widget = form.locator("altcha-widget")
        widget.wait_for()
        assert "I'm not a robot" in widget.inner_text()
        assert "altcha.org" not in widget.inner_html()  # no footer, no logo
        form.get_by_label("Other amount").fill("12.50")
        form.get_by_role("button", name="Continue to payment").click()

        page.wait_for_url("**/donate/simulated/**")
        assert "€12.50" in page.locator(".facts").inner_text()

    assert refused == []
    assert all(url.startswith(live_server.url) for url in asked), asked
    assert any(url.endswith("/static/vendor/altcha/pbkdf2.js") for url in asked)
    assert Donation.objects.get().amount == 1250


def test_a_cached_page_adds_the_widget_once_the_server_asks_for_it(
    live_server, simulation, campaign
):
    with chromium_page() as page:
        page.goto(f"{live_server.url}{campaign.url}")  # rendered with the check off
        simulation.DONATION_CHALLENGE = {
            **simulation.DONATION_CHALLENGE,
            "always": True,
            "cost": 10,
            "maxnumber": 200,
        }
        form = page.locator("form.donate-form")
        assert form.locator("altcha-widget").count() == 0
        form.get_by_label("Other amount").fill("7")
        form.locator("altcha-widget").wait_for()
        form.get_by_role("button", name="Continue to payment").click()

        page.wait_for_url("**/donate/simulated/**")
        assert "€7" in page.locator(".facts").inner_text()
