"""Donors' self-service: the link from a receipt (a random token that says nothing
about the donor) shows only that address's gifts, expires, and cannot be forged;
monthly gifts are changed, cancelled and re-carded at Stripe only by their owner;
asking for a link reveals nothing; signed-in donors see the same list; and erasing
a donor's data removes it here at once and at Stripe as soon as it answers, while
every ledger figure stays exactly as it was."""

import datetime
import json
import re
import time
import uuid
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import Sum
from django.test import Client
from django.utils import timezone, translation

from donations.donors.receipts import manage_token
from donations.donors.stripe_erasure import stripe_erasures_run
from donations.models import (
    Designation,
    Donation,
    LedgerLeg,
    LedgerTransaction,
    ManageLink,
    StripeCustomerErasure,
    Subscription,
)
from donations.stripe.sync import post_balance_transaction
from outbox.models import OutboxMessage
from outbox.selectors import outbox_messages_to
from tests.conftest import add_profile
from tests.fake_stripe import fake_stripe, stripe_settings  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(request):
    """The fake Stripe that `donations.stripe.client.client()` talks to."""
    return request.getfixturevalue("fake_stripe")


DONOR = "donor@example.org"
OTHER = "someone.else@example.org"


def gift(email=DONOR, **fields) -> Donation:
    values = {
        "frequency": Donation.Frequency.ONE_OFF,
        "currency": "EUR",
        "amount": 2500,
        "designation": Designation.GENERAL,
        "status": Donation.Status.PAID,
        "email": email,
        "language": "en",
        "paid_at": timezone.now() - datetime.timedelta(days=3),
    }
    values.update(fields)
    return Donation.objects.create(**values)


def monthly(world, email=DONOR, *, amount=1000, currency="EUR", **fields):
    """A monthly gift live at (fake) Stripe and recorded here, with one payment."""
    customer = world.create_customer(email=email, name="A Donor")
    remote = world.start_subscription(
        customer=customer["id"], amount=amount, currency=currency.lower()
    )
    subscription = Subscription.objects.create(
        stripe_id=remote["id"],
        customer_id=customer["id"],
        status="active",
        currency=currency,
        amount=amount,
        designation=fields.pop("designation", Designation.GENERAL),
        subject_key=fields.pop("subject_key", None),
        email=email,
        started_at=timezone.now() - datetime.timedelta(days=40),
    )
    gift(
        email,
        frequency=Donation.Frequency.MONTHLY,
        currency=currency,
        amount=amount,
        subscription=subscription,
        customer_id=customer["id"],
        **fields,
    )
    return subscription


def manage_path(email=DONOR, lang="en") -> str:
    return f"/{lang}/donate/manage/{manage_token(email)}/"


# --- The link ----------------------------------------------------------------------


def test_the_link_lists_that_addresss_gifts_and_no_one_elses(client, prisoner_index):
    person = add_profile(prisoner_index, title="Ivan Example")
    gift(amount=4200, currency="PLN")
    gift(
        "Donor@Example.ORG",  # as Stripe recorded it
        amount=3100,
        designation=Designation.CASE,
        subject_key=person.translation_key,
    )
    gift(status=Donation.Status.EXPIRED, amount=9900)  # an abandoned checkout
    gift(OTHER, amount=7700)

    response = client.get(manage_path())

    assert response.status_code == 200
    html = response.content.decode()
    assert "42 zł" in html and "€31" in html
    assert "A person&#x27;s defence: Ivan Example" in html
    assert "Where it is most needed" in html
    assert "€99" not in html and "€77" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_an_expired_link_offers_a_fresh_one(client):
    gift()
    month_ago = timezone.now() - datetime.timedelta(days=31)
    with mock.patch("django.utils.timezone.now", return_value=month_ago):
        old = manage_token(DONOR)

    response = client.get(f"/en/donate/manage/{old}/")

    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html
    assert 'action="/en/donate/manage/"' in html and 'name="email"' in html
    assert "€25" not in html


TAMPERED = {
    "forged signature": lambda token: (
        token[:-3] + ("abc" if token[-3:] != "abc" else "xyz")
    ),
    "cut short": lambda token: token[:-10],
    "not a token": lambda token: "not-a-token",
    "one character changed": lambda token: (
        token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    ),
}


def test_the_link_says_nothing_about_the_donor_and_is_stored_only_as_a_hash():
    token = manage_token(DONOR)
    assert len(token) >= 40
    assert "donor" not in base64_decoded(token).lower()
    [link] = ManageLink.objects.all()
    assert token not in link.token_hash and link.email == DONOR


def base64_decoded(token: str) -> str:
    import base64

    padded = token.replace("-", "+").replace("_", "/") + "=" * (-len(token) % 4)
    return base64.b64decode(padded).decode("latin-1")


@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_link_shows_nothing(client, tamper):
    gift()
    token = tamper(manage_token(DONOR))
    response = client.get(f"/en/donate/manage/{token}/")
    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert "€25" not in response.content.decode()


def test_an_old_style_signed_link_with_the_address_in_it_does_not_work(client):
    from django.core import signing

    gift()
    token = signing.dumps({"e": DONOR}, salt="donations.manage", compress=True)
    assert client.get(f"/en/donate/manage/{token}/").status_code == 400


def test_the_receipt_page_needs_the_owners_link(client, prisoner_index):
    person = add_profile(prisoner_index, title="Ivan Example")
    mine = gift(designation=Designation.CASE, subject_key=person.translation_key)
    theirs = gift(OTHER)

    response = client.get(f"{manage_path()}receipt/{mine.public_id}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert str(mine.public_id) in html and "€25" in html
    assert "A person&#x27;s defence" in html
    assert "Ivan Example" not in html  # a printed receipt names nobody
    # The print rules live in the page's own stylesheet (no inline styles: CSP).
    assert "css/receipt.css" in html
    assert "@media print" in (settings.BASE_DIR / "static/css/receipt.css").read_text()
    assert client.get(f"{manage_path()}receipt/{theirs.public_id}/").status_code == 404
    assert (
        client.get(f"/en/donate/manage/forged/receipt/{mine.public_id}/").status_code
        == 400
    )
    unpaid = gift(status=Donation.Status.FAILED)
    assert client.get(f"{manage_path()}receipt/{unpaid.public_id}/").status_code == 404


# --- Monthly gifts -----------------------------------------------------------------


def test_changing_the_monthly_amount_updates_the_stripe_price(client, world):
    subscription = monthly(world)
    product = world.get(subscription.stripe_id)["items"]["data"][0]["price"]["product"]
    # One link throughout: a token made a second later differs.
    path = manage_path()

    response = client.post(
        f"{path}monthly/{subscription.pk}/amount/", {"amount": "12,50"}
    )

    assert response.status_code == 302
    assert response["Location"] == path
    [update] = world.sent("POST", f"/v1/subscriptions/{subscription.stripe_id}")
    item = world.get(subscription.stripe_id)["items"]["data"][0]
    assert update.params["proration_behavior"] == "none"
    assert update.params["items"] == [
        {
            "id": item["id"],
            "price_data": {
                "currency": "eur",
                "product": product,
                "recurring": {"interval": "month"},
                "unit_amount": "1250",
            },
            "quantity": "1",
        }
    ]
    assert item["price"]["unit_amount"] == 1250
    subscription.refresh_from_db()
    assert subscription.amount == 1250
    page = client.get(manage_path()).content.decode()
    assert "Your monthly gift is now €12.50" in page
    assert "€12.50 a month" in page


def test_an_amount_outside_the_limits_is_refused_before_stripe(client, world):
    subscription = monthly(world, currency="UAH", amount=50000)
    for amount in ("150", "900000", "lots"):
        response = client.post(
            f"{manage_path()}monthly/{subscription.pk}/amount/", {"amount": amount}
        )
        assert response.status_code == 302
    assert world.sent("POST", f"/v1/subscriptions/{subscription.stripe_id}") == []
    subscription.refresh_from_db()
    assert subscription.amount == 50000
    assert "Please give between" in client.get(manage_path()).content.decode()


def test_cancelling_cancels_at_stripe(client, world):
    subscription = monthly(world)

    response = client.post(f"{manage_path()}monthly/{subscription.pk}/cancel/")

    assert response.status_code == 302
    assert len(world.sent("DELETE", f"/v1/subscriptions/{subscription.stripe_id}"))
    assert world.get(subscription.stripe_id)["status"] == "canceled"
    subscription.refresh_from_db()
    assert subscription.status == "canceled" and subscription.cancelled_at
    page = client.get(manage_path()).content.decode()
    assert "there will be no further payments" in page
    assert "Cancel this monthly gift" not in page
    # Pressing the button again (a second tab) changes nothing and calls no one.
    client.post(f"{manage_path()}monthly/{subscription.pk}/cancel/")
    assert len(world.sent("DELETE", f"/v1/subscriptions/{subscription.stripe_id}")) == 1


def test_only_the_owner_can_change_or_cancel_a_monthly_gift(client, world):
    theirs = monthly(world, OTHER)
    monthly(world)  # the donor has one of their own

    for action, data in (("amount", {"amount": "50"}), ("cancel", {}), ("card", {})):
        response = client.post(f"{manage_path()}monthly/{theirs.pk}/{action}/", data)
        assert response.status_code == 404
    assert [r for r in world.requests if r.method != "GET"] == []
    theirs.refresh_from_db()
    assert theirs.status == "active" and theirs.amount == 1000


def test_actions_need_a_post_with_a_csrf_token(world):
    subscription = monthly(world)
    browser = Client(enforce_csrf_checks=True)
    base = f"{manage_path()}monthly/{subscription.pk}"

    assert browser.get(f"{base}/cancel/").status_code == 405
    assert browser.post(f"{base}/cancel/").status_code == 403
    assert browser.post(f"{base}/amount/", {"amount": "30"}).status_code == 403
    assert world.requests == []

    page = browser.get(manage_path())
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()
    ).group(1)
    response = browser.post(f"{base}/cancel/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.status == "canceled"


def test_update_card_goes_to_the_stripe_customer_portal(client, world):
    subscription = monthly(world)
    path = manage_path()

    response = client.post(f"{path}monthly/{subscription.pk}/card/")

    assert response.status_code == 302
    assert response["Location"].startswith("https://billing.stripe.com/p/session/")
    [request] = world.sent("POST", "/v1/billing_portal/sessions")
    assert request.params == {
        "customer": subscription.customer_id,
        "return_url": f"http://testserver{path}",
    }


def test_stripe_being_down_changes_nothing(client, world):
    subscription = monthly(world)
    world.down = True

    response = client.post(
        f"{manage_path()}monthly/{subscription.pk}/cancel/", follow=True
    )

    assert "could not reach the payment provider" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == "active"


# --- Email me a link ---------------------------------------------------------------


def ask_for_link(client, email, lang="en", **extra):
    return client.post(f"/{lang}/donate/manage/", {"email": email}, **extra)


def test_email_me_a_link_sends_it_only_to_a_donor_and_says_the_same_either_way(
    client, django_capture_on_commit_callbacks
):
    gift()
    with django_capture_on_commit_callbacks(execute=True):
        to_donor = ask_for_link(client, "  DONOR@example.org ", lang="ru")
        to_stranger = ask_for_link(client, "stranger@example.org", lang="ru")

    assert to_donor.status_code == to_stranger.status_code == 302
    assert to_donor["Location"] == to_stranger["Location"]
    pages = [
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        for page in (
            client.get(to_donor["Location"]).content.decode(),
            client.get(to_stranger["Location"]).content.decode(),
        )
    ]
    assert pages[0] == pages[1]
    with translation.override("ru"):
        expected = translation.gettext(
            "Thank you. If any gift was made with that address, we have just emailed "
            "it a link to see and manage your gifts. Please check your spam folder too."
        )
    assert expected in pages[0]
    [message] = mail.outbox
    assert message.to == [DONOR]
    assert "Ivan" not in message.subject
    link = re.search(r"http://testserver/ru/donate/manage/[^/\s]+/", message.body)
    assert link, message.body
    assert client.get(link.group(0)).status_code == 200
    assert OutboxMessage.objects.count() == 1


def test_email_me_a_link_is_rate_limited_per_address_and_per_visitor(client):
    gift()
    statuses = [ask_for_link(client, DONOR).status_code for _ in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert OutboxMessage.objects.count() == 3

    visitor = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [
        ask_for_link(visitor, f"person{n}@example.org").status_code for n in range(11)
    ]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429
    assert "Too many attempts" in ask_for_link(visitor, DONOR).content.decode()


def test_email_me_a_link_ignores_bots_and_bad_addresses(client):
    gift()
    response = client.post(
        "/en/donate/manage/", {"email": DONOR, "homepage": "http://spam.example"}
    )
    assert response.status_code == 302  # the same answer, and nothing sent
    assert OutboxMessage.objects.count() == 0
    assert ask_for_link(client, "not an address").status_code == 400


# --- Signed in ---------------------------------------------------------------------


def test_signed_in_donors_see_the_gifts_of_their_verified_addresses(
    client, donor, world
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=donor, email="old@example.org", verified=False)
    gift(amount=1800)
    gift("old@example.org", amount=6600)  # not verified: not theirs yet
    gift(OTHER, amount=7700)
    subscription = monthly(world)

    assert client.get("/en/donate/my-gifts/")["Location"].startswith(
        "/en/accounts/login/"
    )
    client.force_login(donor)
    html = client.get("/en/donate/my-gifts/").content.decode()

    assert "€18" in html and "€10 a month" in html
    assert "€66" not in html and "€77" not in html
    assert f"/en/donate/my-gifts/monthly/{subscription.pk}/cancel/" in html
    response = client.post(f"/en/donate/my-gifts/monthly/{subscription.pk}/cancel/")
    assert response["Location"] == "/en/donate/my-gifts/"
    subscription.refresh_from_db()
    assert subscription.status == "canceled"


# --- Data rights -------------------------------------------------------------------


def test_download_my_data_gives_the_donors_records_and_no_ledger_internals(
    client, world
):
    mine = gift(public_name="Olena", show_name=True, settled_amount=2500, fee_amount=63)
    subscription = monthly(world)
    gift(OTHER, amount=7700)

    response = client.get(f"{manage_path()}my-data.json")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-donations.json"'
    data = json.loads(response.content)
    assert data["emails"] == [DONOR]
    references = {d["reference"] for d in data["donations"]}
    assert str(mine.public_id) in references and len(references) == 2
    first = next(d for d in data["donations"] if d["reference"] == str(mine.public_id))
    assert first["amount"] == 2500 and first["currency"] == "EUR"
    assert first["public_name"] == "Olena" and first["fee_amount"] == 63
    [gift_monthly] = data["monthly_gifts"]
    assert gift_monthly["stripe_subscription"] == subscription.stripe_id
    text = response.content.decode()
    for internal in ("cause_key", "stripe-clearing", "fund:", "legs", "7700"):
        assert internal not in text


def sent_to(email):
    return list(outbox_messages_to(recipients=[email]))


def ledger_snapshot():
    return (
        LedgerTransaction.objects.count(),
        dict(
            LedgerLeg.objects.values_list("account__code")
            .annotate(total=Sum("amount"))
            .order_by("account__code")
        ),
    )


def paid_through_ledger(donation, n, *, amount=2500, fee=63):
    post_balance_transaction(
        bt={
            "id": f"txn_test_{n}",
            "type": "charge",
            "reporting_category": "charge",
            "created": int(time.time()),
            "amount": amount,
            "fee": fee,
            "net": amount - fee,
        },
        donation=donation,
    )


def test_erasing_removes_personal_data_here_and_at_stripe_and_keeps_the_ledger(
    client, world, django_capture_on_commit_callbacks
):
    one_off = gift(public_name="Olena K.", show_name=True, customer_id="")
    paid_through_ledger(one_off, 1)
    subscription = monthly(world)
    payment = subscription.donations.get()
    paid_through_ledger(payment, 2, amount=1000, fee=40)
    ended = monthly(world)
    world.cancel_subscription(ended.stripe_id)
    Subscription.objects.filter(pk=ended.pk).update(status="canceled")
    theirs = gift(OTHER, public_name="Someone", show_name=True)
    paid_through_ledger(theirs, 3)
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_link(client, DONOR)  # an email to the donor, now sent
    assert len(sent_to(DONOR)) == 1
    before = ledger_snapshot()
    donations_before = Donation.objects.count()

    page = client.get(f"{manage_path()}erase/").content.decode()
    assert "will be cancelled," in page and "€10 a month" in page
    refused = client.post(f"{manage_path()}erase/", {})
    assert refused.status_code == 400
    assert Donation.objects.filter(email=DONOR).count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{manage_path()}erase/", {"confirm": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your data is erased" in html
    assert "€10 a month" in html  # the monthly gift being cancelled
    assert "are being deleted" in html
    # Here: no address, no name, marked erased; the rows and the ledger stay.
    erased = Donation.objects.filter(pk__in=[one_off.pk, payment.pk]).values(
        "email", "public_name", "show_name", "erased_at"
    )
    for row in erased:
        assert row["email"] == "" and row["public_name"] == ""
        assert row["show_name"] is False and row["erased_at"] is not None
    assert Donation.objects.count() == donations_before
    assert not Donation.objects.filter(email__iexact=DONOR).exists()
    assert not Subscription.objects.filter(email__iexact=DONOR).exists()
    assert not ManageLink.objects.filter(email=DONOR).exists()
    assert ledger_snapshot() == before
    assert sent_to(DONOR) == []
    # At Stripe, right after the commit: what Stripe lets us blank is blanked, and
    # the customers are deleted, which cancels the live monthly gift.
    for customer_id in (subscription.customer_id, ended.customer_id):
        [update] = world.sent("POST", f"/v1/customers/{customer_id}")
        assert update.params == {"metadata": "", "address": "", "shipping": ""}
        assert world.sent("DELETE", f"/v1/customers/{customer_id}")
        assert world.get(customer_id)["deleted"] is True
    assert world.get(subscription.stripe_id)["status"] == "canceled"
    subscription.refresh_from_db()
    assert subscription.status == "canceled"
    assert not StripeCustomerErasure.objects.filter(done_at=None).exists()
    # Someone else's gift is untouched.
    theirs.refresh_from_db()
    assert theirs.email == OTHER and theirs.public_name == "Someone"
    # The link shows nothing any more.
    assert "We hold no gifts" in client.get(manage_path()).content.decode()


def test_erasing_twice_is_harmless(client, world):
    monthly(world)
    client.post(f"{manage_path()}erase/", {"confirm": "on"})
    response = client.post(f"{manage_path()}erase/", {"confirm": "on"})
    assert response.status_code == 200
    assert "Your data is erased" in response.content.decode()


def test_erasure_with_stripe_down_erases_here_at_once_and_at_stripe_later(
    client, world, django_capture_on_commit_callbacks
):
    subscription = monthly(world)
    world.down = True

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{manage_path()}erase/", {"confirm": "on"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Your data is erased" in html and "we keep trying" in html
    assert not Donation.objects.filter(email=DONOR).exists()
    subscription.refresh_from_db()
    assert subscription.email == "" and subscription.erased_at is not None
    [pending] = StripeCustomerErasure.objects.all()
    assert pending.done_at is None and pending.attempts == 1
    assert "APIConnectionError" in pending.last_error
    assert pending.next_attempt_at > timezone.now()

    # Stripe answers again; the next run after the back-off deletes the customer.
    world.down = False
    assert stripe_erasures_run() == {"deleted": 0, "failed": 0}  # not yet due
    later = timezone.now() + datetime.timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert stripe_erasures_run() == {"deleted": 1, "failed": 0}
    assert world.get(subscription.customer_id)["deleted"] is True
    subscription.refresh_from_db()
    assert subscription.status == "canceled"


def test_a_refusal_at_stripe_for_one_customer_does_not_stop_the_others(world):
    first, second = monthly(world, "one@example.org"), monthly(world, "two@example.org")
    from donations.donors.services import donor_erase

    donor_erase(email="one@example.org")
    donor_erase(email="two@example.org")
    world.get(first.customer_id)["deleted"] = True  # Stripe: gone already (404)
    StripeCustomerErasure.objects.filter(customer_id=second.customer_id).update(
        customer_id="cus_unknown_to_stripe"
    )

    assert stripe_erasures_run() == {"deleted": 2, "failed": 0}


def test_donor_erase_service_by_address_alone(world):
    from donations.donors.services import donor_erase

    subscription = monthly(world, "Mixed.Case@Example.org")
    result = donor_erase(email="mixed.case@example.org")
    assert result.donations == 1 and result.subscriptions == 1
    assert result.stripe_customers == 1 and len(result.cancelled) == 1
    subscription.refresh_from_db()
    assert subscription.email == "" and subscription.status == "active"
    stripe_erasures_run()
    subscription.refresh_from_db()
    assert subscription.status == "canceled"
    with pytest.raises(ValueError):
        donor_erase(email="  ")


# --- From a real checkout ----------------------------------------------------------


def test_a_monthly_gift_paid_at_checkout_is_managed_from_the_receipts_link(
    client, world, django_capture_on_commit_callbacks
):
    from tests.fake_stripe import process_waiting, receive, start_donation

    donation = start_donation(frequency="monthly", amount=1500, language="en")
    world.complete_checkout(
        donation.checkout_session_id, settled_amount=1500, fee=48, email=DONOR
    )
    with django_capture_on_commit_callbacks(execute=True):
        receive(world, "checkout.session.completed", donation.checkout_session_id)
        process_waiting()

    receipt = next(m for m in mail.outbox if m.to == [DONOR])
    link = re.search(r"http://testserver(/en/donate/manage/[^/\s]+/)", receipt.body)
    page = client.get(link.group(1)).content.decode()
    assert "€15 a month" in page
    subscription = Subscription.objects.get()
    response = client.post(f"{link.group(1)}monthly/{subscription.pk}/cancel/")
    assert response.status_code == 302
    assert world.get(subscription.stripe_id)["status"] == "canceled"


def test_unknown_gifts_and_subscriptions_are_404(client):
    gift()
    assert client.get(f"{manage_path()}receipt/{uuid.uuid4()}/").status_code == 404
    assert client.post(f"{manage_path()}monthly/999/cancel/").status_code == 404
