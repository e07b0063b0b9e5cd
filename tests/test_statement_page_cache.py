"""The statement page comes from the page cache for anonymous visitors: it sets no
cookie and carries no per-visitor token, and its forms work without one. Cross-site
posts are refused; while many signatures arrive, a signature needs ALTCHA's proof
of work, each answer taken once."""

import base64
import json

import altcha
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from campaigns.choices import SignatureStatus
from campaigns.models import Signature

pytestmark = pytest.mark.django_db

NEEDS_JAVASCRIPT = "It needs JavaScript"
NOT_CHECKED = "We could not check your browser"


def individual(n: int = 1, **extra) -> dict:
    return {
        "kind": "individual",
        "name": f"Olena Kovalenko {n}",
        "show_name": "on",
        "country": "PL",
        "email": f"olena{n}@example.org",
        **extra,
    }


@pytest.fixture
def browser():
    """A browser Django's CSRF check applies to, as it does to real ones."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def sign_url(statement):
    return reverse("campaigns:sign", kwargs={"page_id": statement.pk})


@pytest.fixture
def busy(settings):
    """The proof of work on, with challenges a test solves in a moment."""
    settings.SIGNING_CHALLENGE_PER_HOUR = 0
    settings.DONATION_CHALLENGE = {
        **settings.DONATION_CHALLENGE,
        "cost": 1,
        "maxnumber": 20,
    }
    return settings


@pytest.fixture
def post(browser, sign_url, django_capture_on_commit_callbacks):
    def post(data, **headers):
        with django_capture_on_commit_callbacks(execute=True):
            return browser.post(sign_url, data, **headers)

    return post


def solved(browser) -> str:
    """What ALTCHA's widget sends: a challenge from our endpoint with its answer."""
    issued = browser.get(reverse("campaigns:challenge")).json()
    assert issued["required"] is True
    puzzle = altcha.Challenge.from_dict(issued)
    solution = altcha.solve_challenge(puzzle, timeout=10)
    return altcha.Payload(puzzle, solution).to_base64()


# --- The cached page ---------------------------------------------------------------


def test_an_anonymous_visitor_gets_the_statement_page_from_the_cache_without_cookies(
    browser, statement
):
    first = browser.get(statement.url)
    second = browser.get(statement.url)

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert not first.cookies and not second.cookies
    assert "Set-Cookie" not in second
    assert second.content == first.content


def test_the_cached_page_carries_no_per_visitor_token(browser, statement, sign_url):
    html = browser.get(statement.url).content.decode()

    assert "csrfmiddlewaretoken" not in html
    assert f'action="{sign_url}#sign"' in html
    resend_url = reverse("campaigns:resend", kwargs={"page_id": statement.pk})
    assert f'action="{resend_url}"' in html
    assert Client().get(statement.url).content.decode() == html


def test_signed_in_staff_neither_see_nor_fill_the_cache_and_can_still_sign(
    staff_client, statement, sign_url
):
    assert "X-Page-Cache" not in staff_client.get(statement.url)
    staff_client.handler.enforce_csrf_checks = True

    response = staff_client.post(sign_url, individual())

    assert response["Location"].endswith("?signed=created")
    assert Signature.objects.count() == 1


# --- Signing without a cookie ------------------------------------------------------


def test_signing_without_a_cookie_or_javascript_works_while_few_people_sign(
    browser, statement, post
):
    browser.get(statement.url)

    response = post(individual())

    assert response.status_code == 302
    assert response["Location"].endswith(f"{statement.url}?signed=created")
    assert not browser.cookies
    assert Signature.objects.get().status == SignatureStatus.PENDING
    assert mail.outbox[-1].to == ["olena1@example.org"]
    thanks = browser.get(response["Location"]).content.decode()
    assert "Please confirm your signature" in thanks


def test_a_cross_site_post_is_refused_and_saves_nothing(post):
    forged = post(individual(), HTTP_ORIGIN="https://attacker.example")
    fetched = post(individual(2), HTTP_SEC_FETCH_SITE="cross-site")

    assert forged.status_code == fetched.status_code == 403
    assert "only be sent from our site" in forged.content.decode()
    assert not Signature.objects.exists()
    assert mail.outbox == []


def test_a_post_from_our_own_origin_is_taken(post):
    response = post(individual(), HTTP_ORIGIN="http://testserver")

    assert response.status_code == 302


def test_opening_the_forms_address_leads_back_to_the_statement(
    browser, statement, sign_url
):
    response = browser.get(sign_url)

    assert response.status_code == 302 and response["Location"] == statement.url


def test_a_form_for_no_published_statement_is_not_found(post, statement):
    statement.unpublish()

    assert post(individual()).status_code == 404


def test_the_ukrainian_page_posts_to_the_ukrainian_address(
    browser, statement, home_pages
):
    uk = home_pages["uk"].locale
    statement.get_parent().copy_for_translation(uk).save_revision().publish()
    uk_statement = statement.copy_for_translation(uk)
    uk_statement.save_revision().publish()

    html = browser.get(uk_statement.url).content.decode()

    assert f'action="/uk/sign/{uk_statement.pk}/#sign"' in html


# --- While many people sign --------------------------------------------------------


def test_while_many_sign_the_page_asks_for_the_proof_and_says_why_without_javascript(
    browser, statement, busy
):
    html = browser.get(statement.url).content.decode()

    assert "data-challenge-required" in html
    assert "<noscript>" in html and "needs JavaScript" in html


def test_while_few_sign_the_page_asks_for_no_proof(browser, statement):
    html = browser.get(statement.url).content.decode()

    assert "data-challenge-required" not in html
    assert browser.get(reverse("campaigns:challenge")).json() == {"required": False}


def test_many_signing_attempts_within_the_hour_switch_the_proof_on(post, settings):
    settings.SIGNING_CHALLENGE_PER_HOUR = 2
    post(individual(1))
    post(individual(2))

    response = post(individual(3))

    assert response.status_code == 400
    assert NEEDS_JAVASCRIPT in response.content.decode()
    assert Signature.objects.count() == 2


def test_a_solved_challenge_signs_without_a_cookie(browser, post, busy):
    response = post(individual(altcha=solved(browser)))

    assert response["Location"].endswith("?signed=created")
    assert Signature.objects.count() == 1
    assert len(mail.outbox) == 1
    assert not browser.cookies


def test_no_answer_is_refused_with_a_message_and_nothing_saved(post, busy):
    response = post(individual())

    assert response.status_code == 400
    assert NEEDS_JAVASCRIPT in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not Signature.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "payload",
    ["made-up", base64.b64encode(b'{"challenge": {}}').decode(), "x" * 5000],
)
def test_a_made_up_answer_is_refused_with_a_message_and_nothing_saved(
    post, busy, payload
):
    response = post(individual(altcha=payload))

    assert response.status_code == 400
    assert NOT_CHECKED in response.content.decode()
    assert not Signature.objects.exists()


def test_a_tampered_answer_is_refused(browser, post, busy):
    data = json.loads(base64.b64decode(solved(browser)))
    data["solution"]["derivedKey"] = "00" * 32
    tampered = base64.b64encode(json.dumps(data).encode()).decode()

    response = post(individual(altcha=tampered))

    assert NOT_CHECKED in response.content.decode()
    assert not Signature.objects.exists()


def test_a_replayed_answer_is_refused_and_signs_nobody_twice(browser, post, busy):
    payload = solved(browser)
    assert post(individual(1, altcha=payload)).status_code == 302

    replay = post(individual(2, altcha=payload))

    assert replay.status_code == 400
    assert NOT_CHECKED in replay.content.decode()
    assert list(Signature.objects.values_list("email", flat=True)) == [
        "olena1@example.org"
    ]
    assert len(mail.outbox) == 1


def test_a_typing_slip_does_not_spend_the_answer(browser, post, busy):
    payload = solved(browser)
    slip = post(individual(altcha=payload, email="not-an-address"))
    assert slip.status_code == 400 and NOT_CHECKED not in slip.content.decode()

    response = post(individual(altcha=payload))

    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_the_refused_form_keeps_what_was_typed_but_not_the_used_answer(
    browser, post, busy
):
    payload = solved(browser)
    post(individual(altcha=payload))

    html = post(individual(2, altcha=payload)).content.decode()

    assert 'value="olena2@example.org"' in html
    assert payload not in html


def test_challenges_are_never_stored_and_each_is_new(browser, busy):
    url = reverse("campaigns:challenge")
    first, second = browser.get(url), browser.get(url)

    assert "no-store" in first["Cache-Control"]
    assert "X-Page-Cache" not in first
    assert first.json()["parameters"]["nonce"] != second.json()["parameters"]["nonce"]


# --- The resend form and moderation ------------------------------------------------


def test_resending_the_link_works_without_a_cookie(
    browser, post, statement, django_capture_on_commit_callbacks
):
    post(individual())
    url = reverse("campaigns:resend", kwargs={"page_id": statement.pk})

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(url, {"email": "olena1@example.org"})

    assert response["Location"].endswith("?signed=resent-if-waiting")
    assert len(mail.outbox) == 2


def test_a_bad_address_to_resend_to_says_so_on_the_page(browser, statement):
    url = reverse("campaigns:resend", kwargs={"page_id": statement.pk})

    response = browser.post(url, {"email": "nope"})

    assert response.status_code == 400
    assert "Please enter a valid email address." in response.content.decode()
    assert not response.cookies


def test_a_cross_site_resend_is_refused(browser, statement):
    url = reverse("campaigns:resend", kwargs={"page_id": statement.pk})

    response = browser.post(
        url, {"email": "a@example.org"}, HTTP_ORIGIN="https://attacker.example"
    )

    assert response.status_code == 403


def test_a_signature_a_moderator_removes_leaves_the_cached_page_at_once(
    browser, statement, post
):
    post(individual(name="Spam Spammer"))
    signature = Signature.objects.get()
    signature.status = SignatureStatus.CONFIRMED
    signature.save()
    assert "Spam Spammer" in browser.get(statement.url).content.decode()
    assert browser.get(statement.url)["X-Page-Cache"] == "hit"

    signature.status = SignatureStatus.REMOVED
    signature.save()

    assert "Spam Spammer" not in browser.get(statement.url).content.decode()
