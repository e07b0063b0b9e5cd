"""Annual receipts: one receipt per donor and calendar year, from the ledger's
figures (refunds deducted, lost disputes left out), in the donor's language, as a
printable page and a PDF from the manage link; and the Board's January sending,
once per donor and year however often it is run, never for a year not over."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import BOARD_GROUP
from donations.donors.annual.selectors import (
    AnnualReceiptError,
    annual_receipt,
    annual_receipt_years,
)
from donations.donors.annual.services import (
    annual_receipt_send,
    annual_receipts_pending,
    annual_receipts_send,
)
from donations.donors.receipts import manage_token
from donations.donors.services import donor_erase
from donations.models import AnnualReceiptSent, Designation, Donation
from outbox.delivery import outbox_open
from outbox.models import OutboxMessage
from outbox.selectors import outbox_messages_to
from tests.gifts import post
from tests.test_board_dashboard import signed_in

pytestmark = pytest.mark.django_db

DONOR = "donor@example.org"
OTHER = "other@example.org"
YEAR = timezone.localdate().year - 1
PAGE = "/admin/board/annual-receipts/"


def at(month: int, day: int, year: int = YEAR, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


def gift(
    *,
    amount: int,
    currency: str = "EUR",
    settled: int | None = None,
    when: datetime.datetime,
    email: str = DONOR,
    language: str = "en",
    frequency: str = Donation.Frequency.ONE_OFF,
) -> Donation:
    """A paid gift of `amount` (minor units of `currency`) that Stripe settled to
    `settled` euro cents, posted to the ledger as its webhook would post it."""
    settled = amount if settled is None else settled
    donation = Donation.objects.create(
        frequency=frequency,
        currency=currency,
        amount=amount,
        designation=Designation.GENERAL,
        status=Donation.Status.PAID,
        email=email,
        language=language,
        settled_amount=settled,
        fee_amount=30,
        paid_at=when,
    )
    post(donation, amount=settled, fee=30, when=when, kind="charge")
    return donation


def refund(donation: Donation, *, settled: int, full: bool = False) -> None:
    when = donation.paid_at + datetime.timedelta(days=20)
    post(donation, amount=-settled, fee=0, when=when, kind="refund")
    donation.status = (
        Donation.Status.REFUNDED if full else Donation.Status.PARTIALLY_REFUNDED
    )
    donation.save()


def lose_dispute(donation: Donation) -> None:
    when = donation.paid_at + datetime.timedelta(days=30)
    post(donation, amount=-donation.settled_amount, fee=1500, when=when, kind="dispute")
    donation.status, donation.dispute_status = Donation.Status.DISPUTED, "lost"
    donation.save()


@pytest.fixture
def year_of_gifts():
    """A donor's year: euros, dollars (part refunded) and pounds (all refunded),
    a monthly payment, a lost dispute; gifts the year before and after, another
    donor's gift and a failed payment, none of which belong to the receipt."""
    gift(amount=5000, when=at(3, 5))
    dollars = gift(amount=10000, currency="USD", settled=9200, when=at(4, 10))
    refund(dollars, settled=2300)
    pounds = gift(amount=2000, currency="GBP", settled=2340, when=at(5, 1))
    refund(pounds, settled=2340, full=True)
    euros = gift(amount=3000, when=at(6, 1))
    refund(euros, settled=1000)
    lose_dispute(gift(amount=4000, when=at(7, 1)))
    gift(
        amount=1000,
        currency="USD",
        settled=920,
        when=at(12, 31, hour=22),
        frequency=Donation.Frequency.MONTHLY,
        language="uk",
    )
    gift(amount=9900, when=at(12, 31, year=YEAR - 1, hour=23))
    gift(amount=7700, when=at(1, 1, year=YEAR + 1, hour=0))
    gift(amount=6600, when=at(8, 1), email=OTHER)
    Donation.objects.create(
        frequency=Donation.Frequency.ONE_OFF,
        currency="EUR",
        amount=8800,
        designation=Designation.GENERAL,
        status=Donation.Status.FAILED,
        email=DONOR,
    )


def manage_path(lang="en", email=DONOR) -> str:
    return f"/{lang}/donate/manage/{manage_token(email)}/"


# --- The figures -------------------------------------------------------------------


def test_the_receipt_deducts_refunds_leaves_out_lost_disputes_and_other_years(
    year_of_gifts,
):
    receipt = annual_receipt(emails=[DONOR.upper()], year=YEAR)

    assert [(g.paid_on.month, g.currency, g.amount) for g in receipt.gifts] == [
        (3, "EUR", 5000),
        (4, "USD", 10000),
        (5, "GBP", 2000),
        (6, "EUR", 3000),
        (12, "USD", 1000),
    ]
    assert [(g.refunded, g.settled_refunded) for g in receipt.gifts] == [
        (0, 0),
        (2500, 2300),  # a quarter of the dollars, at the gift's own rate
        (2000, 2340),
        (1000, 1000),
        (0, 0),
    ]
    assert [g.refund_converted for g in receipt.gifts] == [
        False,
        True,
        False,
        False,
        False,
    ]
    totals = {t.currency: (t.given, t.refunded, t.net) for t in receipt.totals}
    assert list(totals) == ["EUR", "GBP", "USD"]
    assert totals == {
        "EUR": (8000, 1000, 7000),
        "GBP": (2000, 2000, 0),
        "USD": (11000, 2500, 8500),
    }
    euros = receipt.euros
    assert (euros.given, euros.refunded, euros.net) == (20460, 5640, 14820)


def test_the_years_offered_are_complete_years_with_a_gift_kept(year_of_gifts):
    only_refunded = at(2, 2, year=YEAR - 3)
    refund(gift(amount=500, when=only_refunded), settled=500, full=True)

    assert annual_receipt_years(emails=[DONOR]) == [YEAR, YEAR - 1]
    assert annual_receipt_years(emails=[OTHER]) == [YEAR]
    assert annual_receipt_years(emails=["nobody@example.org"]) == []


def test_a_year_that_is_not_over_has_no_receipt(year_of_gifts):
    with pytest.raises(AnnualReceiptError):
        annual_receipt(emails=[DONOR], year=YEAR + 1)


def test_an_erased_donor_has_no_receipts(year_of_gifts):
    donor_erase(email=DONOR)

    assert annual_receipt(emails=[DONOR], year=YEAR).gifts == ()
    assert annual_receipt_years(emails=[DONOR]) == []
    assert [r.email for r in annual_receipts_pending(year=YEAR)] == [OTHER]


# --- The page and the PDF ----------------------------------------------------------


def text_of(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u202f", " ").split())


def test_the_manage_link_opens_a_printable_receipt_with_the_totals(
    client, home_pages, year_of_gifts, settings
):
    settings.ORGANISATION_LEGAL_NAME = "Solidarity Network e.V."
    settings.ORGANISATION_REGISTRATION = "Register of associations VR 12345"

    response = client.get(f"{manage_path()}annual/")

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert (
        "no-store" in response["Cache-Control"]
        or "max-age=0" in (response["Cache-Control"])
    )
    text = text_of(response)
    assert f"Donation receipt for {YEAR}" in text
    assert "Solidarity Network e.V." in text and "VR 12345" in text
    assert "No goods or services were provided in return" in text
    assert "EUR €80 €10 €70" in text
    assert "USD $110 $25 $85" in text
    assert "All gifts, in euros as received €204.60 €56.40 €148.20" in text
    assert "$25*" in text  # the converted refund is marked and explained
    assert "€99" not in text and "€77" not in text and "€66" not in text
    html = response.content.decode()
    # The print rules live in the page's own stylesheet (no inline styles: CSP).
    assert "css/annual-receipt.css" in html
    assert (
        "@media print"
        in (settings.BASE_DIR / "static/css/annual-receipt.css").read_text()
    )
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    # The year picker lists only the years with gifts, this one marked.
    years = re.findall(r'annual/(\d{4})/"( aria-current="page")?', html)
    assert years == [(str(YEAR), ' aria-current="page"'), (str(YEAR - 1), "")]


def test_a_year_without_gifts_is_not_found_and_a_forged_link_opens_nothing(
    client, home_pages, year_of_gifts
):
    assert client.get(f"{manage_path()}annual/{YEAR - 2}/").status_code == 404
    assert client.get(f"{manage_path()}annual/{YEAR + 1}/").status_code == 404
    assert client.get(f"/en/donate/manage/forged/annual/{YEAR}/").status_code == 400
    response = client.get(f"/en/donate/manage/forged/annual/{YEAR}/receipt.pdf")
    assert response.status_code == 400
    assert b"%PDF" not in response.content


def test_a_donor_who_gave_only_this_year_is_told_when_the_receipt_comes(
    client, home_pages
):
    gift(amount=2500, when=timezone.now(), email="new@example.org")

    response = client.get(f"{manage_path(email='new@example.org')}annual/")

    assert response.status_code == 200
    assert f"from 1 January {YEAR + 2}" in text_of(response)


def test_the_page_speaks_the_donors_language(client, home_pages, year_of_gifts):
    ukrainian = client.get(f"{manage_path('uk')}annual/{YEAR}/")
    russian = client.get(f"{manage_path('ru')}annual/{YEAR}/")

    assert '<html lang="uk">' in ukrainian.content.decode()
    assert f"5 березня {YEAR}" in text_of(ukrainian)
    assert "Повернутися до ваших пожертв" in text_of(ukrainian)
    assert '<html lang="ru">' in russian.content.decode()
    assert f"5 марта {YEAR}" in text_of(russian)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace("\u202f", " ").split())


def test_the_pdf_has_the_same_figures_and_cyrillic_text(
    client, home_pages, year_of_gifts
):
    response = client.get(f"{manage_path('ru')}annual/{YEAR}/receipt.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="donation-receipt-{YEAR}.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert f"5 марта {YEAR}" in text
    for figure in ("€80", "€70", "$110", "$85", "£20", "€204.60", "€148.20"):
        assert figure in text, figure
    assert "https://" not in response.content.decode("latin-1")


# --- The Board's January sending ---------------------------------------------------


def outbox_to(email: str) -> list[OutboxMessage]:
    return list(outbox_messages_to(recipients=[email]))


def test_every_donor_is_emailed_a_link_to_their_receipt_in_their_language(
    client, home_pages, year_of_gifts
):
    result = annual_receipts_send(year=YEAR)

    assert (result.sent, result.skipped) == (2, 0)
    [mine] = [outbox_open(message=m) for m in outbox_to(DONOR)]
    # The last gift of the year was given in Ukrainian.
    assert str(YEAR) in mine.subject
    body = mine.body
    link = re.search(r"https?://\S+/uk/donate/manage/\S+/annual/(\d{4})/", body)
    assert link and link.group(1) == str(YEAR)
    assert "€" not in body and "$" not in body  # the figures stay behind the link
    assert not mine.attachments
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    assert client.get(f"/{path}").status_code == 200
    assert len(outbox_to(OTHER)) == 1
    assert AnnualReceiptSent.objects.filter(year=YEAR).count() == 2
    assert not AnnualReceiptSent.objects.filter(email_digest__contains="@").exists()


def test_sending_twice_emails_each_donor_once(year_of_gifts):
    annual_receipts_send(year=YEAR)
    again = annual_receipts_send(year=YEAR)
    call_command("send_annual_receipts", year=YEAR, stdout=io.StringIO())

    assert again.sent == 0
    assert len(outbox_to(DONOR)) == 1 and len(outbox_to(OTHER)) == 1
    assert annual_receipts_pending(year=YEAR) == []


def test_a_run_that_finds_the_receipt_already_recorded_sends_nothing(year_of_gifts):
    # What a racing run sees once the other's transaction committed.
    AnnualReceiptSent.objects.create(
        email_digest=AnnualReceiptSent.digest_of(DONOR), year=YEAR
    )

    assert annual_receipt_send(email=DONOR, language="en", year=YEAR) is False
    assert outbox_to(DONOR) == []


def test_the_current_year_is_refused_until_it_is_over(year_of_gifts):
    with pytest.raises(AnnualReceiptError):
        annual_receipts_send(year=YEAR + 1)
    with pytest.raises(AnnualReceiptError):
        annual_receipt_send(email=DONOR, language="en", year=YEAR + 1)
    with pytest.raises(Exception, match="not over"):
        call_command("send_annual_receipts", year=YEAR + 1, stdout=io.StringIO())
    assert not OutboxMessage.objects.exists()


def test_erased_donors_are_not_emailed_and_their_record_is_forgotten(year_of_gifts):
    annual_receipts_send(year=YEAR)
    donor_erase(email=DONOR)

    assert not AnnualReceiptSent.objects.filter(
        email_digest=AnnualReceiptSent.digest_of(DONOR)
    ).exists()
    assert annual_receipts_send(year=YEAR).sent == 0


def test_the_command_says_how_many_would_be_emailed_without_sending(year_of_gifts):
    out = io.StringIO()
    call_command("send_annual_receipts", year=YEAR, dry_run=True, stdout=out)

    assert "2 donors" in out.getvalue()
    assert not OutboxMessage.objects.exists()


@pytest.fixture
def board_client(client, django_user_model, home_pages):
    return signed_in(
        client, django_user_model, email="board@example.org", group=BOARD_GROUP
    )


def test_the_board_sees_the_count_confirms_and_sends_once(board_client, year_of_gifts):
    page = board_client.get(f"{PAGE}?year={YEAR}")
    assert page.status_code == 200
    assert 'data-pending="2"' in page.content.decode()

    unconfirmed = board_client.post(PAGE, {"year": YEAR})
    assert unconfirmed.status_code == 400
    assert not OutboxMessage.objects.exists()

    for _ in range(2):
        response = board_client.post(PAGE, {"year": YEAR, "confirm": "on"})
        assert response.status_code == 302
    assert len(outbox_to(DONOR)) == 1 and len(outbox_to(OTHER)) == 1
    after = board_client.get(f"{PAGE}?year={YEAR}")
    assert 'data-pending="0"' in after.content.decode()


def test_the_board_cannot_send_for_the_year_not_over(board_client, year_of_gifts):
    page = board_client.get(f"{PAGE}?year={YEAR + 1}")
    assert "not over yet" in page.content.decode()

    board_client.post(PAGE, {"year": YEAR + 1, "confirm": "on"})
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    "group, extra",
    [("Editors", {}), (None, {"is_superuser": True})],
    ids=["editor", "superuser-outside-the-board"],
)
def test_staff_outside_the_board_get_403(
    client, django_user_model, home_pages, year_of_gifts, group, extra
):
    staff = signed_in(
        client, django_user_model, email="staff@example.org", group=group, **extra
    )

    assert staff.get(PAGE).status_code == 403
    assert staff.post(PAGE, {"year": YEAR, "confirm": "on"}).status_code == 403
    assert not OutboxMessage.objects.exists()
