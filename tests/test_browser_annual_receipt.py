"""A donor opens the link from a receipt, goes to their annual receipts, picks a
year, prints it (only the receipt is printed) and downloads it as a PDF."""

import os
from pathlib import Path

import pytest

from donations.donors.receipts import manage_token
from tests.browser import chromium_page
from tests.test_annual_receipts import DONOR, YEAR, at, gift, refund

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# Set to a folder to keep the screenshots and the PDF, to look at them.
ARTIFACTS = os.environ.get("ANNUAL_RECEIPT_ARTIFACTS")


def keep(page, name: str) -> None:
    if ARTIFACTS:
        Path(ARTIFACTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{ARTIFACTS}/{name}.png", full_page=True)


def test_a_donor_prints_and_downloads_their_receipt_for_last_year(
    live_server, home_pages
):
    gift(amount=5000, when=at(3, 5))
    gift(amount=2500, when=at(2, 1, year=YEAR - 1))
    dollars = gift(amount=10000, currency="USD", settled=9200, when=at(4, 10))
    refund(dollars, settled=2300)
    gift(amount=120000, currency="UAH", settled=2650, when=at(11, 20))

    with chromium_page() as page:
        page.goto(f"{live_server.url}/en/donate/manage/{manage_token(DONOR)}/")
        page.get_by_role("link", name="Annual receipts").click()
        heading = page.get_by_role("heading", level=1)
        assert heading.inner_text() == f"Donation receipt for {YEAR}"
        keep(page, "desktop")

        page.get_by_role("link", name=str(YEAR - 1), exact=True).click()
        assert heading.inner_text() == f"Donation receipt for {YEAR - 1}"
        page.get_by_role("link", name=str(YEAR), exact=True).click()

        page.emulate_media(media="print")
        assert not page.get_by_role("link", name="Download as PDF").is_visible()
        assert not page.locator(".site-header").is_visible()
        assert page.get_by_text("No goods or services were provided").is_visible()
        keep(page, "print")
        page.emulate_media(media="screen")

        page.set_viewport_size({"width": 375, "height": 800})
        widest = page.evaluate("document.documentElement.scrollWidth")
        assert widest <= 375, "the receipt overflows a phone's width"
        keep(page, "mobile")

        with page.expect_download() as download:
            page.get_by_role("link", name="Download as PDF").click()
        assert download.value.suggested_filename == f"donation-receipt-{YEAR}.pdf"
        if ARTIFACTS:
            download.value.save_as(f"{ARTIFACTS}/receipt.pdf")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
