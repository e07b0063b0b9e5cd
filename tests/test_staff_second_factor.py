"""Staff reach the Wagtail admin only after a TOTP check in this session."""

import pyotp
import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/en/accounts/login/"


def sign_in_with_password(client, email, next_url="/admin/"):
    return client.post(
        f"{LOGIN_URL}?next={next_url}", {"login": email, "password": PASSWORD}
    )


def test_the_admin_sends_anonymous_visitors_to_the_allauth_sign_in(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_wagtails_own_login_form_is_replaced_by_the_one_with_a_second_factor(
    client, editor_without_mfa
):
    response = client.post("/admin/login/", {"username": "nomfa", "password": PASSWORD})

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_staff_without_a_second_factor_is_sent_to_set_one_up(
    client, editor_without_mfa
):
    sign_in_with_password(client, editor_without_mfa.email)

    for path in ["/admin/", "/admin/pages/", "/admin/images/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_staff_with_totp_must_give_the_code_before_being_signed_in(
    client, editor_with_totp
):
    response = sign_in_with_password(client, editor_with_totp.email)

    assert response.status_code == 302
    assert "/2fa/authenticate/" in response["Location"]
    assert client.get("/admin/").status_code == 302  # not signed in yet


def test_a_wrong_totp_code_keeps_the_admin_closed(client, editor_with_totp):
    response = sign_in_with_password(client, editor_with_totp.email)
    client.post(response["Location"], {"code": "000000"})

    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_with_totp_reaches_the_admin_after_giving_the_code(
    client, editor_with_totp, totp_secret, home_pages
):
    response = sign_in_with_password(client, editor_with_totp.email)
    response = client.post(
        response["Location"], {"code": pyotp.TOTP(totp_secret).now()}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"

    response = client.get("/admin/")

    assert response.status_code == 200
    assert b"wagtail" in response.content.lower()


def test_a_session_that_skipped_the_second_factor_is_asked_for_the_code(
    client, editor_with_totp, totp_secret, home_pages
):
    # E.g. a session from before the authenticator was set up.
    client.force_login(editor_with_totp)

    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))

    response = client.post(
        response["Location"], {"code": pyotp.TOTP(totp_secret).now()}
    )
    assert response.status_code == 302
    assert client.get("/admin/pages/").status_code == 200


def test_a_staff_member_can_set_up_totp_and_then_open_the_admin(
    client, editor_without_mfa, home_pages
):
    sign_in_with_password(client, editor_without_mfa.email)
    response = client.get("/admin/")
    setup_url = response["Location"]

    # Adding a factor is account-sensitive: allauth asks for the password again.
    response = client.get(setup_url)
    assert "/reauthenticate/" in response["Location"]
    client.post(response["Location"], {"password": PASSWORD})

    setup_page = client.get(setup_url)
    assert setup_page.status_code == 200
    secret = setup_page.context["form"].secret
    response = client.post(setup_url, {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302

    # Setting up the authenticator is not yet using it: the admin asks for a
    # fresh code once (the first one may not be reused).
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_people_without_staff_access_never_reach_the_admin(client, donor):
    client.force_login(donor)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or response[
        "Location"
    ].startswith("/")
