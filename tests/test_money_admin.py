"""Only the Board sees money records in the admin, and nobody edits them there."""

import pyotp
import pytest

from tests.conftest import make_user, sign_in_with_totp

pytestmark = pytest.mark.django_db

MONEY_PAGES = ["/admin/donation/", "/admin/subscription/", "/admin/ledgertransaction/"]


def signed_in(client, django_user_model, group):
    secret = pyotp.random_base32()
    user = make_user(
        django_user_model,
        email=f"{group.lower()}@example.org",
        group=group,
        totp_secret=secret,
    )
    return sign_in_with_totp(client, user, secret)


def test_the_board_sees_donations_and_the_ledger(client, django_user_model, home_pages):
    board = signed_in(client, django_user_model, "Board")

    for url in MONEY_PAGES:
        assert board.get(url).status_code == 200, url


def test_editors_do_not_see_money_records(client, django_user_model, home_pages):
    editor = signed_in(client, django_user_model, "Editors")

    for url in MONEY_PAGES:
        assert editor.get(url).status_code in (302, 403), url


def test_nobody_can_add_or_edit_donations_in_the_admin(
    client, django_user_model, home_pages
):
    board = signed_in(client, django_user_model, "Board")

    for url in ("/admin/donation/new/", "/admin/donation/edit/1/"):
        assert board.get(url, follow=True).status_code == 404, url
