"""The card-testing defence: when it switches on, what ALTCHA answer the form takes
(once), what it refuses before Stripe is ever called, and the widget the page
serves from our own static files in the page's language."""

import base64
import json
import re
from pathlib import Path

import altcha
import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.translation import get_language

from donations.giving import challenge
from donations.models import Donation
from tests.fake_stripe import (  # noqa: F401
    fake_stripe_fixture,
    manage_links_fixture,
    receive,
    start_donation,
)

pytestmark = pytest.mark.django_db

DONATE = "/en/donate/"
REFUSED = "We could not check your browser"
VENDOR = Path(__file__).parents[1] / "static/vendor/altcha"


def gift(**overrides) -> dict:
    return {
        "frequency": "one_off",
        "currency": "EUR",
        "amount": "1",
        "other_amount": "",
        "designation": "general",
        **overrides,
    }


@pytest.fixture
def under_attack(settings):
    """The check on, with challenges a test solves in a moment."""
    settings.DONATION_CHALLENGE = {
        **settings.DONATION_CHALLENGE,
        "always": True,
        "cost": 1,
        "maxnumber": 20,
    }
    return settings


def solved(client) -> str:
    """What the widget sends: a challenge from our endpoint with its answer."""
    issued = client.get(reverse("donations:challenge")).json()
    assert issued["required"] is True
    puzzle = altcha.Challenge.from_dict(issued)
    solution = altcha.solve_challenge(puzzle, timeout=10)
    return altcha.Payload(puzzle, solution).to_base64()


def retold(payload: str, change) -> str:
    data = json.loads(base64.b64decode(payload))
    change(data)
    return base64.b64encode(json.dumps(data).encode()).decode()


def sessions(unpaid: int, *, paid: int = 0, frequency="one_off", status=None) -> None:
    for n in range(unpaid + paid):
        Donation.objects.create(
            frequency=frequency,
            currency="EUR",
            amount=500,
            designation="general",
            checkout_session_id=f"cs_test_{frequency}_{status}_{n}",
            status=Donation.Status.PAID
            if n < paid
            else (status or Donation.Status.EXPIRED),
        )


# --- The answer the form takes ----------------------------------------------------


def test_a_solved_challenge_is_taken_once_and_a_replay_is_refused(
    client, fake_stripe, under_attack
):
    payload = solved(client)

    assert client.post(DONATE, gift(altcha=payload)).status_code == 303
    assert len(fake_stripe.sessions_created()) == 1

    replay = client.post(DONATE, gift(altcha=payload))
    assert replay.status_code == 400
    assert REFUSED in replay.content.decode()
    assert len(fake_stripe.sessions_created()) == 1


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda d: d["challenge"]["parameters"].update(cost=0), id="cost"),
        pytest.param(
            lambda d: d["challenge"]["parameters"].update(expiresAt=4102444800),
            id="expiry",
        ),
        pytest.param(
            lambda d: d["solution"].update(derivedKey="00" * 32), id="derived-key"
        ),
        pytest.param(lambda d: d["challenge"].update(signature="ab" * 32), id="sig"),
    ],
)
def test_a_tampered_answer_is_refused_with_a_clear_message_before_stripe(
    client, fake_stripe, under_attack, tamper
):
    payload = retold(solved(client), tamper)

    response = client.post(DONATE, gift(altcha=payload))

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert "Nothing has been charged" in response.content.decode()
    assert not fake_stripe.sessions_created()


def test_an_expired_challenge_is_refused_before_stripe(
    client, fake_stripe, under_attack
):
    under_attack.DONATION_CHALLENGE = {**under_attack.DONATION_CHALLENGE, "max_age": -5}
    payload = solved(client)

    response = client.post(DONATE, gift(altcha=payload))

    assert response.status_code == 400 and REFUSED in response.content.decode()
    assert not fake_stripe.sessions_created()


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "not base64 at all!",
        base64.b64encode(b"[1, 2]").decode(),
        # The widget's test mode ("test": true) proves nothing.
        base64.b64encode(
            json.dumps({"challenge": None, "solution": None, "test": True}).encode()
        ).decode(),
        "A" * 5000,
    ],
)
def test_no_answer_or_a_made_up_one_is_refused_before_stripe(
    client, fake_stripe, under_attack, payload
):
    response = client.post(DONATE, gift(altcha=payload))

    assert response.status_code == 400 and REFUSED in response.content.decode()
    assert "<noscript>" in response.content.decode()  # honest about JavaScript
    assert not fake_stripe.sessions_created()


def test_a_challenge_signed_with_another_key_is_refused(under_attack, settings):
    settings.ALTCHA_HMAC_KEY = "someone else's key"
    puzzle = altcha.Challenge.from_dict(challenge.issue())
    payload = altcha.Payload(puzzle, altcha.solve_challenge(puzzle)).to_base64()
    settings.ALTCHA_HMAC_KEY = ""

    assert not challenge.verify(payload)


# --- When the check is on ---------------------------------------------------------


def test_the_challenge_is_not_required_while_checkouts_are_healthy(client, fake_stripe):
    sessions(5, paid=20)

    assert not challenge.required()
    assert client.get(reverse("donations:challenge")).json() == {"required": False}
    html = client.get(DONATE).content.decode()
    assert "data-challenge-required" not in html and "<noscript>" not in html
    assert client.post(DONATE, gift()).status_code == 303  # no answer needed


def test_most_checkouts_expiring_or_failing_switches_the_challenge_on(fake_stripe):
    sessions(10, paid=5)
    sessions(8, status=Donation.Status.FAILED)

    assert challenge.checkout_health() == (18, 23)
    assert challenge.required()


def test_open_checkout_sessions_one_off_or_monthly_are_no_verdict_yet():
    sessions(30, frequency="monthly", status=Donation.Status.CHECKOUT)
    sessions(30, status=Donation.Status.CHECKOUT)
    sessions(5, status=Donation.Status.CREATED)
    sessions(0, paid=2)

    assert challenge.checkout_health() == (0, 2)
    assert not challenge.required()


@pytest.fixture
def deliver(fake_stripe, manage_links, django_capture_on_commit_callbacks):
    def deliver(type, obj):
        with django_capture_on_commit_callbacks(execute=True):
            return receive(fake_stripe, type, obj)

    return deliver


def test_a_paid_first_monthly_payment_counts_as_settled(fake_stripe, deliver):
    donation = start_donation(frequency="monthly", amount=1000)
    session = fake_stripe.complete_checkout(donation.checkout_session_id)
    deliver("checkout.session.completed", session["id"])

    donation.refresh_from_db()
    assert donation.status == Donation.Status.PAID and donation.invoice_id
    assert challenge.checkout_health() == (0, 1)


def test_an_abandoned_monthly_checkout_counts_as_unpaid(fake_stripe, deliver):
    donation = start_donation(frequency="monthly", amount=1000)
    fake_stripe.expire_checkout(donation.checkout_session_id)
    deliver("checkout.session.expired", donation.checkout_session_id)

    donation.refresh_from_db()
    assert donation.status == Donation.Status.EXPIRED
    assert challenge.checkout_health() == (1, 1)


def test_the_challenge_endpoint_is_never_stored(client, under_attack):
    for always in (True, False):
        under_attack.DONATION_CHALLENGE = {
            **under_attack.DONATION_CHALLENGE,
            "always": always,
        }
        response = client.get(reverse("donations:challenge"))
        assert "no-store" in response["Cache-Control"]
        assert response.json()["required"] is always


# --- The widget on the page -------------------------------------------------------


def test_the_widget_comes_from_our_static_files_and_the_page_loads_no_other_script(
    client, fake_stripe, under_attack
):
    html = client.get(DONATE).content.decode()

    scripts = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
    assert "/static/js/donate-challenge.js" in scripts
    assert all(src.startswith("/static/") for src in scripts), scripts
    form = re.search(r"<form[^>]*class=\"donate-form\"[^>]*>", html)[0]
    assert "data-challenge-required" in form
    for name in ("altcha.min.js", "altcha.css", "pbkdf2.js"):
        assert f'"/static/vendor/altcha/{name}"' in form
        assert finders.find(f"vendor/altcha/{name}"), name
    assert (VENDOR / "LICENSE.txt").exists()
    assert "<noscript>" in html  # without JavaScript, a clear word instead
    assert "pow-challenge" not in html


def test_the_vendored_widget_needs_no_inline_styles_blob_workers_or_cdn():
    widget = (VENDOR / "altcha.min.js").read_text()

    assert 'createElement("style")' not in widget
    assert "createObjectURL" not in widget
    for code in (
        widget,
        (Path(__file__).parents[1] / "static/js/donate-challenge.js").read_text(),
    ):
        assert "cdn.jsdelivr" not in code and "unpkg" not in code


@pytest.mark.parametrize(
    "language", [code for code, _name in django_settings.LANGUAGES]
)
def test_the_widget_speaks_the_page_language(
    client, fake_stripe, under_attack, monkeypatch, language
):
    monkeypatch.setattr(challenge, "gettext", lambda text: f"{get_language()}:{text}")

    html = client.get(f"/{language}/donate/").content.decode()

    form = re.search(r"<form[^>]*class=\"donate-form\"[^>]*>", html)[0]
    assert f'data-altcha-language="{language}"' in form
    raw = re.search(r'data-altcha-strings="([^"]*)"', form)[1]
    strings = json.loads(raw.replace("&quot;", '"').replace("&#x27;", "'"))
    assert strings["label"] == f"{language}:I'm not a robot"
    assert strings["verifying"] == f"{language}:Verifying…"
    assert strings["verified"] == f"{language}:Verified"
    assert strings["error"].startswith(f"{language}:")
    assert strings["footer"] == ""  # no link to altcha.org
