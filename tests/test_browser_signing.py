"""A visitor signs a statement, confirms from the email, and sees it counted."""

import re

import pytest
from django.core import mail

from tests.browser import chromium_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_signs_confirms_by_email_and_sees_the_signature_counted(
    live_server, statement
):
    url = f"{live_server.url}{statement.url}"
    with chromium_page() as page:
        page.goto(url)
        assert "0 signatures" in page.locator("#signature-count").inner_text()

        page.check("input[name=kind][value=individual]")
        page.fill("input[name=name]", "Maria Browser")
        page.select_option("select[name=country]", "LT")
        page.fill("input[name=email]", "maria@example.org")
        page.click("form.sign-form button[type=submit]")
        page.wait_for_url("**?signed=created**")
        assert "confirm your signature" in page.locator("[role=status]").inner_text()

        link = re.search(r"https?://\S+/confirm/\S+/", mail.outbox[-1].body).group(0)
        page.goto(link)
        page.click("text=Confirm my signature")
        page.wait_for_selector("text=confirmed and counted")

        page.goto(url)
        assert "1 signature" in page.locator("#signature-count").inner_text()
        assert "Maria Browser" in page.locator(".signatory-list").inner_text()
