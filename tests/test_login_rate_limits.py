"""Every sign-in form refuses guessing: passwords, TOTP codes, and the admin's form."""

import pyotp
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/accounts/login/"


def attempt(client, email, password):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def is_signed_in_or_at_second_step(response):
    return response.status_code == 302


def test_an_account_is_locked_for_a_while_after_five_wrong_passwords(
    client, donor, settings
):
    for _ in range(settings.LOGIN_ATTEMPTS_LIMIT):
        assert attempt(client, donor.email, "wrong password").status_code == 200

    response = attempt(client, donor.email, PASSWORD)

    assert response.status_code in (200, 429)
    assert not is_signed_in_or_at_second_step(response)
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_do_not_lock_out_the_owner(client, donor, settings):
    for _ in range(settings.LOGIN_ATTEMPTS_LIMIT - 1):
        attempt(client, donor.email, "wrong password")

    response = attempt(client, donor.email, PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_one_address_guessing_many_accounts_is_stopped(
    client, django_user_model, donor
):
    for n in range(10):
        attempt(client, f"someone{n}@example.org", "guess")

    response = attempt(client, donor.email, PASSWORD)

    assert not is_signed_in_or_at_second_step(response)


def test_another_address_is_not_blocked_by_a_guesser(client, donor):
    for n in range(10):
        client.post(
            LOGIN_URL,
            {"login": f"someone{n}@example.org", "password": "guess"},
            REMOTE_ADDR="198.51.100.7",
        )

    response = client.post(
        LOGIN_URL,
        {"login": donor.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.9",
    )

    assert response.status_code == 302


def test_the_totp_code_form_locks_after_repeated_wrong_codes(
    client, editor_with_totp, totp_secret
):
    response = attempt(client, editor_with_totp.email, PASSWORD)
    code_url = response["Location"]
    for _ in range(10):
        client.post(code_url, {"code": "000000"})

    response = client.post(code_url, {"code": pyotp.TOTP(totp_secret).now()})

    assert response.status_code != 302
    assert "_auth_user_id" not in client.session


def test_the_wagtail_admin_login_form_leads_to_the_rate_limited_form(
    client, editor_with_totp
):
    response = client.get("/admin/login/?next=/admin/pages/", follow=True)

    assert response.redirect_chain[-1][0].endswith(
        "/accounts/login/?next=/admin/pages/"
    )
    for _ in range(6):
        client.post("/admin/login/", {"username": "editor", "password": "x"})
    assert "_auth_user_id" not in client.session
