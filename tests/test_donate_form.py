"""The donation form and the path to payment: what it accepts, what it refuses
before Stripe is ever called, where it sends the donor, the thank-you page, the
simulated checkout of development sites, and the card-testing defence."""

import re
import uuid
from pathlib import Path

import altcha
import pytest
from django.core import mail
from django.db.models import Sum
from django.urls import reverse

from donations.giving import challenge
from donations.giving.forms import DonationForm, Subject
from donations.ledger.money import CURRENCIES
from donations.ledger.services import fund_balance
from donations.models import Account, Designation, Donation, LedgerLeg
from tests.conftest import add_profile
from tests.factories import CampaignPageFactory
from tests.fake_stripe import (  # noqa: F401
    fake_stripe_fixture,
    manage_links_fixture,
    process_waiting,
    receive,
    unbalanced_transactions,
)

pytestmark = pytest.mark.django_db

DONATE = "/en/donate/"


@pytest.fixture
def campaign(campaign_index):
    page = CampaignPageFactory(parent=campaign_index, title="Free the Crimean Tatars")
    page.save_revision().publish()
    return page


@pytest.fixture
def profile(prisoner_index):
    return add_profile(prisoner_index, title="Asan Ablaiev")


def gift(**overrides) -> dict:
    data = {
        "frequency": "one_off",
        "currency": "EUR",
        "amount": "1",  # the second suggestion: €30 one-off
        "other_amount": "",
        "designation": "general",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_of(**overrides) -> dict:
    form = DonationForm(gift(**overrides))
    assert not form.is_valid()
    return form.errors


def html_of(response) -> str:
    return response.content.decode()


# --- The form -------------------------------------------------------------------------


def test_a_suggested_amount_is_taken_in_the_chosen_currency_and_frequency():
    form = DonationForm(gift(currency="PLN", frequency="monthly", amount="2"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount_minor"] == CURRENCIES["PLN"].suggested_monthly[2]


def test_a_typed_amount_wins_over_the_radio_and_accepts_a_decimal_comma():
    form = DonationForm(gift(amount="0", other_amount=" 42,50 "))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount_minor"] == 4250


PLAIN = "Please enter a plain amount in digits, for example 25 or 25.50."


@pytest.mark.parametrize(
    ("currency", "text", "message"),
    [
        ("EUR", "4.99", "Please give between €5 and €20\u202f000."),
        ("EUR", "20000.01", "Please give between €5 and €20\u202f000."),
        ("UAH", "150", "Please give between 200 ₴ and 800\u202f000 ₴."),
        ("EUR", "twenty", PLAIN),
        ("EUR", "-5", PLAIN),
        ("EUR", "5e2", PLAIN),
        ("EUR", "5.001", "Please use at most two decimal places."),
    ],
)
def test_a_typed_amount_outside_the_limits_or_not_a_number_is_explained(
    currency, text, message
):
    errors = errors_of(currency=currency, amount="other", other_amount=text)

    assert errors["other_amount"] == [message]


def test_an_unsupported_currency_is_refused_by_name():
    assert errors_of(currency="RUB")["currency"] == ["This currency is not accepted."]


def test_no_amount_at_all_asks_for_one():
    assert errors_of(amount="")["amount"] == [
        "Please choose an amount, or enter another amount."
    ]
    assert errors_of(amount="other")["other_amount"] == [
        "Please enter an amount, for example 25."
    ]


def test_covering_the_fee_may_not_take_a_gift_over_the_maximum():
    errors = errors_of(other_amount="20000", cover_fees="on")

    assert "With the card fee added" in errors["cover_fees"][0]


def test_a_gift_is_anonymous_unless_the_donor_asks_to_be_named():
    form = DonationForm(gift(public_name="Maria"))
    assert form.is_valid()
    assert form.cleaned_data["show_name"] is False
    assert form.cleaned_data["public_name"] == ""  # not asked to publish: not kept

    assert "public_name" in errors_of(show_name="on", public_name="  ")
    named = DonationForm(gift(show_name="on", public_name="  Maria   K. "))
    assert named.is_valid() and named.cleaned_data["public_name"] == "Maria K."


def test_the_designations_offered_are_only_those_of_the_page():
    key = uuid.uuid4()
    general = DonationForm()
    case = DonationForm(subject=Subject(Designation.CASE, key, "Asan", 7))
    campaign = DonationForm(subject=Subject(Designation.CAMPAIGN, key, "Free", 8))

    def values(form):
        return [value for value, _ in form.fields["designation"].choices]

    assert values(general) == ["general"]
    assert values(case) == ["case", "general"]
    assert values(campaign) == ["campaign", "general"]
    assert case.fields["designation"].initial == "case"
    assert not DonationForm(gift(designation="case")).is_valid()


def test_the_stylesheet_shows_the_amounts_of_every_currency_and_frequency():
    css = (Path(__file__).parents[1] / "static/css/donate.css").read_text()
    for code in CURRENCIES:
        assert f".cur--{code}" in css
        for frequency in Donation.Frequency.values:
            assert f".amt--{code}-{frequency}" in css


# --- The pages the form is on ---------------------------------------------------------


def test_the_general_page_gives_where_most_needed_in_accessible_groups(
    client, fake_stripe
):
    html = html_of(client.get(DONATE))

    for legend in ("How often", "Currency", "Amount"):
        assert f"<legend>{legend}</legend>" in html
    assert 'name="designation" value="general"' in html
    assert 'value="case"' not in html and 'value="campaign"' not in html
    assert re.search(r'<label for="id_other_amount">Other amount', html)
    assert 'id="id_frequency_0" required checked' in html  # one-off by default
    assert re.search(r'<input type="checkbox" name="show_name"[^>]*>', html)
    assert "checked" not in re.search(r'<input[^>]*name="show_name"[^>]*>', html)[0]
    assert '<script src="/static/js/donate-challenge.js" defer>' in html


@pytest.mark.parametrize("query", ["?monthly=1", "?frequency=monthly"])
def test_a_link_can_preselect_monthly_giving(client, fake_stripe, campaign, query):
    for url in (DONATE + query, campaign.url + query):
        html = html_of(client.get(url))
        monthly = re.search(r'<input[^>]*value="monthly"[^>]*>', html)[0]
        assert "checked" in monthly, url


def test_a_campaign_page_gives_to_the_campaign_and_a_profile_to_the_person(
    client, fake_stripe, campaign, profile
):
    campaign_html = html_of(client.get(campaign.url))
    profile_html = html_of(client.get(profile.url))

    assert 'id="donate"' in campaign_html and 'href="#donate"' in campaign_html
    assert "The campaign “Free the Crimean Tatars”" in campaign_html
    assert f'name="page" value="{campaign.pk}"' in campaign_html
    assert 'value="case"' not in campaign_html

    assert 'id="donate"' in profile_html and 'href="#donate"' in profile_html
    assert "The defence of Asan Ablaiev" in profile_html
    assert f'name="page" value="{profile.pk}"' in profile_html
    assert 'value="campaign"' not in profile_html


def test_pages_with_the_form_stay_in_the_page_cache(client, fake_stripe, profile):
    client.get(profile.url)
    second = client.get(profile.url)

    assert second["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in html_of(second)  # nothing per visitor


# --- Sending the form -----------------------------------------------------------------


def test_a_gift_to_a_campaign_goes_to_stripe_checkout_with_our_record_first(
    client, fake_stripe, campaign
):
    response = client.post(
        DONATE,
        gift(designation="campaign", page=campaign.pk, cover_fees="on"),
    )

    donation = Donation.objects.get()
    assert response.status_code == 303
    assert response["Location"] == donation.checkout_url
    assert response["Location"].startswith("https://checkout.stripe.com/")
    assert donation.designation == Designation.CAMPAIGN
    assert donation.subject_key == campaign.translation_key
    assert donation.amount > 3000 and donation.cover_fees  # €30 and the fee
    assert donation.language == "en" and not donation.show_name
    sent = fake_stripe.sessions_created()[0].params
    assert sent["success_url"] == (
        f"http://testserver/en/donate/thanks/{donation.public_id}/"
    )
    assert sent["cancel_url"] == f"http://testserver{campaign.url}#donate"
    assert "Crimean" not in str(sent)  # nothing at Stripe says whom it is for


def test_a_gift_cannot_be_designated_to_a_page_that_is_not_offered(
    client, fake_stripe, campaign
):
    campaign.unpublish()
    response = client.post(DONATE, gift(designation="campaign", page=campaign.pk))

    assert response.status_code == 400
    assert not Donation.objects.exists() and not fake_stripe.sessions_created()


@pytest.mark.parametrize(
    "overrides",
    [
        {"other_amount": "1"},
        {"other_amount": "25000"},
        {"other_amount": "20000", "cover_fees": "on"},
        {"currency": "XBT"},
        {"amount": "9"},
    ],
)
def test_amounts_outside_the_limits_never_reach_stripe(client, fake_stripe, overrides):
    response = client.post(DONATE, gift(**overrides))

    assert response.status_code == 400
    html = html_of(response)
    assert 'role="alert"' in html and "nothing has been charged" in html
    assert not Donation.objects.exists()
    assert not fake_stripe.requests


def test_an_error_is_announced_and_tied_to_its_field(client, fake_stripe):
    html = html_of(client.post(DONATE, gift(amount="other", other_amount="abc")))

    assert re.search(r'<div class="errorlist donate-form__errors" role="alert"', html)
    assert '<a href="#id_other_amount">' in html
    field = re.search(r'<input type="text" name="other_amount"[^>]*>', html)[0]
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_other_amount_helptext id_other_amount_error"' in field
    assert 'id="id_other_amount_error"' in html
    assert 'value="abc"' in field  # what was typed is kept


def test_too_many_checkouts_from_one_browser_get_429_and_create_nothing(
    client, fake_stripe, settings
):
    settings.DONATION_RATE_LIMITS = {
        "ip": {"limit": 100, "window": 3600},
        "browser": {"limit": 2, "window": 3600},
    }
    statuses = [client.post(DONATE, gift()).status_code for _ in range(3)]

    assert statuses == [303, 303, 429]
    assert Donation.objects.count() == 2
    assert len(fake_stripe.sessions_created()) == 2


def test_too_many_checkouts_from_one_address_get_429(client, fake_stripe, settings):
    settings.DONATION_RATE_LIMITS = {
        "ip": {"limit": 1, "window": 3600},
        "browser": {"limit": 100, "window": 3600},
    }
    client.post(DONATE, gift())
    client.cookies.clear()  # a new browser, the same address
    response = client.post(DONATE, gift())

    assert response.status_code == 429
    assert "Too many attempts" in html_of(response)
    assert Donation.objects.count() == 1


def test_the_rate_limit_keeps_only_a_random_key_in_the_session(client, fake_stripe):
    client.post(DONATE, gift(show_name="on", public_name="Maria"))

    kept = set(client.session.keys()) - {"_session_expiry"}
    assert kept == {"donations:browser"}
    assert client.session.get_expire_at_browser_close()


def test_a_post_from_another_site_is_refused(client, fake_stripe):
    response = client.post(
        DONATE,
        gift(),
        headers={"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )

    assert response.status_code == 403
    assert not Donation.objects.exists()


def test_when_stripe_is_unreachable_the_donor_is_told_nothing_was_charged(
    client, fake_stripe
):
    fake_stripe.down = True
    response = client.post(DONATE, gift())

    assert response.status_code == 502
    assert "Nothing has been charged" in html_of(response)
    assert Donation.objects.get().status == Donation.Status.CREATED


def test_without_stripe_keys_the_form_says_so_and_creates_nothing(
    client, settings, campaign
):
    settings.STRIPE_SECRET_KEY = ""
    settings.DEBUG = False

    assert "not configured" in html_of(client.get(campaign.url))
    assert 'name="other_amount"' not in html_of(client.get(DONATE))
    response = client.post(DONATE, gift(designation="campaign", page=campaign.pk))

    assert response.status_code == 503
    assert "not configured" in html_of(response)
    assert not Donation.objects.exists()


# --- The thank-you page ---------------------------------------------------------------


def test_the_thank_you_page_waits_for_the_webhook_then_confirms(
    client, fake_stripe, manage_links, campaign
):
    client.post(DONATE, gift(designation="campaign", page=campaign.pk))
    other = client.post(DONATE, gift(other_amount="777"))
    assert other.status_code == 303
    donation = Donation.objects.get(designation="campaign")
    thanks = reverse("donations:thanks", kwargs={"public_id": donation.public_id})

    pending = html_of(client.get(thanks))  # back from Stripe: proves nothing
    assert "Pending" in pending and "€30" in pending
    assert '<meta http-equiv="refresh" content="5">' in pending
    assert "€777" not in pending  # nothing about any other gift

    # The donor pays; Stripe's webhook (not the redirect) says so.
    fake_stripe.complete_checkout(donation.checkout_session_id, email="d@example.org")
    receive(fake_stripe, "checkout.session.completed", donation.checkout_session_id)
    assert not process_waiting()
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID

    confirmed = html_of(client.get(thanks))
    assert "Confirmed" in confirmed and "Pending" not in confirmed
    assert 'http-equiv="refresh"' not in confirmed
    assert "d@example.org" not in confirmed
    assert f'href="{campaign.url}?monthly=1#donate"' in confirmed  # give monthly


def test_monthly_donors_are_not_asked_to_give_monthly(client, fake_stripe):
    client.post(DONATE, gift(frequency="monthly"))
    donation = Donation.objects.get()
    html = html_of(
        client.get(
            reverse("donations:thanks", kwargs={"public_id": donation.public_id})
        )
    )

    assert "Pending" in html and "?monthly=1" not in html


def test_an_unknown_gift_has_no_thank_you_page(client):
    assert client.get(f"/en/donate/thanks/{uuid.uuid4()}/").status_code == 404


# --- The simulated checkout of development sites --------------------------------------


@pytest.fixture
def simulation(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.DEBUG = True
    return settings


def simulated_url(donation) -> str:
    return reverse("donations:simulated", kwargs={"public_id": donation.public_id})


def test_the_simulated_checkout_does_not_exist_with_debug_off(client, simulation):
    client.post(DONATE, gift())
    donation = Donation.objects.get()
    simulation.DEBUG = False

    assert client.get(simulated_url(donation)).status_code == 404
    assert client.post(simulated_url(donation), {}).status_code == 404
    donation.refresh_from_db()
    assert donation.paid_at is None


def test_the_simulated_checkout_never_pays_a_real_gift(client, fake_stripe, settings):
    client.post(DONATE, gift())
    settings.DEBUG = True

    donation = Donation.objects.get()
    assert client.post(simulated_url(donation), {}).status_code == 404


def test_the_simulated_checkout_pays_through_the_ledger_and_sends_the_receipt(
    client, simulation, manage_links, campaign, django_capture_on_commit_callbacks
):
    response = client.post(DONATE, gift(designation="campaign", page=campaign.pk))
    donation = Donation.objects.get()
    assert response.status_code == 303
    assert response["Location"].endswith(simulated_url(donation))
    assert not LedgerLeg.objects.exists()

    page = html_of(client.get(simulated_url(donation)))
    assert "Simulated checkout — no money moves" in page
    with django_capture_on_commit_callbacks(execute=True):
        paid = client.post(simulated_url(donation), {"email": "maria@example.org"})

    assert paid.status_code == 303
    assert paid["Location"] == reverse(
        "donations:thanks", kwargs={"public_id": donation.public_id}
    )
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID and donation.paid_at
    assert donation.settled_amount == 3000 and 0 < donation.fee_amount < 3000
    assert not unbalanced_transactions()
    assert LedgerLeg.objects.aggregate(total=Sum("amount"))["total"] == 0
    raised = fund_balance(
        fund_type=Account.FundType.CAMPAIGN, subject_key=campaign.translation_key
    )
    assert raised == 3000
    assert [m.to for m in mail.outbox] == [["maria@example.org"]]
    assert "Confirmed" in html_of(client.get(paid["Location"]))

    # Paying again (a double click) changes nothing.
    client.post(simulated_url(donation), {"email": "maria@example.org"})
    assert LedgerLeg.objects.count() == 3 and len(mail.outbox) == 1


# --- The card-testing defence ---------------------------------------------------------


def unpaid_sessions(count: int, *, paid: int = 0) -> None:
    for n in range(count + paid):
        Donation.objects.create(
            frequency="one_off",
            currency="EUR",
            amount=500,
            designation="general",
            checkout_session_id=f"cs_test_spike_{n}",
            status=Donation.Status.PAID if n < paid else Donation.Status.EXPIRED,
        )


@pytest.fixture
def quick_challenge(settings):
    settings.DONATION_CHALLENGE = {
        **settings.DONATION_CHALLENGE,
        "cost": 1,
        "maxnumber": 20,
    }
    return settings


def test_the_challenge_is_off_while_most_sessions_are_paid(quick_challenge):
    unpaid_sessions(11, paid=9)  # 55% unpaid

    assert challenge.checkout_health() == (11, 20)
    assert not challenge.required()


def test_the_challenge_needs_enough_sessions_to_judge(quick_challenge):
    unpaid_sessions(19)

    assert not challenge.required()


def test_monthly_renewals_do_not_hide_an_attack(quick_challenge):
    unpaid_sessions(20)
    for n in range(40):
        Donation.objects.create(
            frequency="monthly",
            currency="EUR",
            amount=500,
            designation="general",
            invoice_id=f"in_renewal_{n}",
            status=Donation.Status.PAID,
        )

    assert challenge.required()


def test_when_unpaid_sessions_spike_the_form_asks_for_a_proof_of_work(
    client, fake_stripe, quick_challenge
):
    unpaid_sessions(20)

    refused = client.post(DONATE, gift())
    assert refused.status_code == 400
    assert "We could not check your browser" in html_of(refused)
    assert "<noscript>" in html_of(refused)  # honest about needing JavaScript
    assert not fake_stripe.sessions_created()

    issued = client.get(reverse("donations:challenge")).json()
    assert issued["required"] is True
    puzzle = altcha.Challenge.from_dict(issued)
    answer = altcha.solve_challenge(puzzle)
    wrong = altcha.Solution(answer.counter, answer.derived_key[::-1])
    payload = altcha.Payload(puzzle, wrong).to_base64()
    assert client.post(DONATE, gift(altcha=payload)).status_code == 400

    payload = altcha.Payload(puzzle, answer).to_base64()
    assert client.post(DONATE, gift(altcha=payload)).status_code == 303
    assert len(fake_stripe.sessions_created()) == 1
    # An answer is good for one checkout only.
    assert client.post(DONATE, gift(altcha=payload)).status_code == 400
    assert len(fake_stripe.sessions_created()) == 1


def test_a_forged_challenge_is_refused(quick_challenge):
    forged = altcha.create_challenge(
        algorithm="PBKDF2/SHA-256", cost=1, counter=3, hmac_secret="something else"
    )
    answer = altcha.solve_challenge(forged)
    assert not challenge.verify(altcha.Payload(forged, answer).to_base64())
    assert not challenge.verify("")
    assert not challenge.verify(None)


def test_no_challenge_is_issued_when_all_is_well(client):
    response = client.get(reverse("donations:challenge"))

    assert response.json() == {"required": False}
    assert "no-cache" in response["Cache-Control"]
