"""Donors sign in with a one-time code sent by email, with no password: an address
that has gifts gets an account when a code is asked for, any other address gets the
same answer and nothing else; staff signing in by code still give their TOTP code
before the admin opens; after signing in donors go to their gifts and staff to the
admin; and erasing a donor's data deletes their account but never a staff one."""

import datetime
import re

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations.donors.accounts import donor_account_ensure
from donations.donors.services import donor_erase
from donations.models import Designation, Donation
from tests.conftest import PASSWORD, sign_in_with_totp

pytestmark = pytest.mark.django_db

DONOR = "giver@example.org"
STRANGER = "stranger@example.org"
REQUEST_CODE_URL = "/en/accounts/login/code/"
CONFIRM_CODE_URL = "/en/accounts/login/code/confirm/"
# allauth's login codes: two groups of four letters from RFC 8628's alphabet.
CODE = re.compile(r"^([BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4})$", re.M)


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
        "customer_id": "",
    }
    values.update(fields)
    return Donation.objects.create(**values)


def accounts_of(email):
    return get_user_model().objects.filter(email__iexact=email)


def ask_for_code(client, email, capture, url=REQUEST_CODE_URL):
    with capture(execute=True):
        return client.post(url, {"email": email})


def code_sent_to(email) -> str:
    [message] = [m for m in mail.outbox if m.to == [email]]
    match = CODE.search(message.body)
    assert match, message.body
    return match.group(1)


def test_a_donor_with_a_gift_and_no_account_signs_in_with_an_emailed_code(
    client, django_capture_on_commit_callbacks
):
    gift(amount=4200)
    assert not accounts_of(DONOR).exists()

    response = ask_for_code(client, DONOR, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == CONFIRM_CODE_URL
    assert len(mail.outbox) == 1
    code = code_sent_to(DONOR)
    # Not signed in until the code is given.
    assert "_auth_user_id" not in client.session

    response = client.post(CONFIRM_CODE_URL, {"code": code})

    assert response.status_code == 302
    assert response["Location"] == "/en/donate/my-gifts/"
    html = client.get(response["Location"]).content.decode()
    assert "€42" in html
    [user] = accounts_of(DONOR)
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert not user.groups.exists()
    assert EmailAddress.objects.get(user=user).verified  # by giving the code


def test_a_signed_in_donor_who_opens_the_admin_is_sent_to_their_gifts_once(
    client, donor
):
    client.force_login(donor)

    response = client.get("/admin/pages/", follow=True)

    # Not sent round between the admin and the sign-in page.
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
    assert response.redirect_chain[0][0].endswith("/donate/my-gifts/")
    # In the site's default language, as the admin's address has none.
    assert "Адмінпанель — для працівників мережі." in response.content.decode()
    assert response.wsgi_request.user == donor  # still signed in, as a donor


def test_an_unknown_address_gets_the_same_answer_no_code_and_no_account(
    django_capture_on_commit_callbacks,
):
    gift()
    donor, stranger = Client(), Client()

    to_donor = ask_for_code(donor, DONOR, django_capture_on_commit_callbacks)
    to_stranger = ask_for_code(stranger, STRANGER, django_capture_on_commit_callbacks)

    assert to_donor.status_code == to_stranger.status_code == 302
    assert to_donor["Location"] == to_stranger["Location"]
    pages = [
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page).replace(
            email, "ADDRESS"
        )
        for page, email in (
            (donor.get(to_donor["Location"]).content.decode(), DONOR),
            (stranger.get(to_stranger["Location"]).content.decode(), STRANGER),
        )
    ]
    assert pages[0] == pages[1]
    assert "If ADDRESS has gifts with us or an account" in pages[0]
    assert not accounts_of(STRANGER).exists()
    assert not EmailAddress.objects.filter(email__iexact=STRANGER).exists()
    [unknown] = [m for m in mail.outbox if m.to == [STRANGER]]
    assert not CODE.search(unknown.body)
    assert "sign up" not in unknown.body  # sign-up is closed
    # And nothing a stranger can type signs them in.
    stranger.post(CONFIRM_CODE_URL, {"code": code_sent_to(DONOR)})
    assert "_auth_user_id" not in stranger.session


def test_a_wrong_code_is_refused_and_three_wrong_codes_end_the_code(
    client, django_capture_on_commit_callbacks
):
    gift()
    ask_for_code(client, DONOR, django_capture_on_commit_callbacks)
    code = code_sent_to(DONOR)
    wrong = "BBBB-BBBB" if code != "BBBB-BBBB" else "CCCC-CCCC"

    response = client.post(CONFIRM_CODE_URL, {"code": wrong})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert "_auth_user_id" not in client.session
    for _ in range(2):
        client.post(CONFIRM_CODE_URL, {"code": wrong})
    response = client.post(CONFIRM_CODE_URL, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == REQUEST_CODE_URL
    assert "_auth_user_id" not in client.session
    assert client.get("/en/donate/my-gifts/")["Location"].startswith(
        "/en/accounts/login/"
    )


def test_staff_signing_in_by_code_must_still_give_the_totp_code_before_the_admin(
    client,
    editor_with_totp,
    totp_secret,
    home_pages,
    django_capture_on_commit_callbacks,
):
    ask_for_code(client, editor_with_totp.email, django_capture_on_commit_callbacks)

    response = client.post(
        CONFIRM_CODE_URL, {"code": code_sent_to(editor_with_totp.email)}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert "/accounts/login/" in client.get("/admin/")["Location"]

    response = client.post(
        response["Location"], {"code": pyotp.TOTP(totp_secret).now()}
    )

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_totp_signed_in_by_code_cannot_open_or_secure_the_admin(
    client, editor_without_mfa, django_capture_on_commit_callbacks
):
    # The mailbox alone is not enough: setting up TOTP asks for the password.
    ask_for_code(client, editor_without_mfa.email, django_capture_on_commit_callbacks)
    client.post(CONFIRM_CODE_URL, {"code": code_sent_to(editor_without_mfa.email)})
    assert "_auth_user_id" in client.session

    response = client.get("/admin/")

    assert response.status_code == 302
    setup_url = response["Location"]
    assert setup_url.startswith(reverse("mfa_activate_totp"))
    assert "/reauthenticate/" in client.get(setup_url)["Location"]
    assert client.get("/admin/pages/").status_code == 302


def test_after_sign_in_donors_land_on_their_gifts_in_their_language_staff_on_admin(
    client, donor, editor_with_totp, totp_secret
):
    response = client.post(
        "/ru/accounts/login/", {"login": donor.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/donate/my-gifts/"

    staff = sign_in_with_totp(Client(), editor_with_totp, totp_secret)
    response = staff.get("/ru/accounts/login/")  # signed in already: sent on
    assert response["Location"] == "/admin/"


def test_erasure_deletes_the_donor_account_and_keeps_a_staff_account_with_the_address(
    editor_with_totp,
):
    gift()
    donor = donor_account_ensure(email=DONOR)
    EmailAddress.objects.filter(user=donor).update(verified=True)
    TOTP.activate(donor, pyotp.random_base32())  # donors may add a factor too
    gift(editor_with_totp.email)

    donor_erase(email=DONOR)
    donor_erase(email=editor_with_totp.email)

    assert not accounts_of(DONOR).exists()
    assert not EmailAddress.objects.filter(email__iexact=DONOR).exists()
    assert not Authenticator.objects.filter(user_id=donor.pk).exists()
    editor_with_totp.refresh_from_db()
    assert EmailAddress.objects.filter(user=editor_with_totp, verified=True).exists()
    assert Authenticator.objects.filter(user=editor_with_totp).exists()


def test_a_donor_who_signed_in_by_code_and_erases_their_data_loses_the_account(
    client, django_capture_on_commit_callbacks
):
    gift()
    ask_for_code(client, DONOR, django_capture_on_commit_callbacks)
    client.post(CONFIRM_CODE_URL, {"code": code_sent_to(DONOR)})

    response = client.post("/en/donate/my-gifts/erase/", {"confirm": "on"})

    assert response.status_code == 200
    assert "Your data is erased" in response.content.decode()
    assert not accounts_of(DONOR).exists()
    assert client.get("/en/donate/my-gifts/")["Location"].startswith(
        "/en/accounts/login/"
    )


def test_a_donor_account_is_made_only_for_an_address_with_gifts_and_never_twice():
    gift("erased@example.org", erased_at=timezone.now())
    assert donor_account_ensure(email=STRANGER) is None
    assert donor_account_ensure(email="erased@example.org") is None
    gift()

    first = donor_account_ensure(email=" Giver@Example.org ")
    again = donor_account_ensure(email=DONOR)

    assert first is not None and first == again
    assert accounts_of(DONOR).count() == 1
    assert first.email == DONOR
    address = EmailAddress.objects.get(user=first)
    assert address.email == DONOR and address.primary and not address.verified


def test_a_deactivated_account_gets_no_new_account_and_no_code(
    django_user_model, django_capture_on_commit_callbacks
):
    gift()
    old = django_user_model.objects.create_user(
        username="old", email=DONOR, is_active=False
    )

    ask_for_code(Client(), DONOR, django_capture_on_commit_callbacks)

    assert list(accounts_of(DONOR)) == [old]
    [message] = mail.outbox
    assert not CODE.search(message.body)


def test_the_sign_in_page_offers_donors_an_emailed_code_and_manage_pages_link_to_it(
    client,
):
    html = client.get("/en/accounts/login/").content.decode()
    assert "Email me a sign-in code" in html
    assert f'href="{REQUEST_CODE_URL}"' in html

    html = client.get("/en/donate/manage/").content.decode()
    assert f'href="{REQUEST_CODE_URL}"' in html
    page = client.get(REQUEST_CODE_URL).content.decode()
    assert '<label for="id_email">' in page
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
