"""Payee and donor privacy on every public surface: a payment with a distinctive
payee, reference and invoice, and gifts from a named donor, leave no trace on the
profile, the campaign, the transparency page, its CSV, the API, the feeds, search or
the sitemap — only categories, months and amounts."""

import datetime
import html
from pathlib import PurePath
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.models import CampaignPrisoner
from donations.ledger import services as ledger
from donations.ledger.money import format_money
from donations.models import Account, Designation, Donation, Payee
from donations.spending.services import (
    allocation_approve,
    allocation_draft,
    disbursement_approve,
    disbursement_draft,
)
from donations.transparency.selectors import campaign_money, public_cutoff
from tests.conftest import add_profile, make_user
from tests.factories import CampaignPageFactory, RegionFactory
from tests.gifts import give, post

pytestmark = pytest.mark.django_db

PAYEE = "Zlatoustov Advokatura"
PAYEE_DETAILS = "IBAN UA213223130000026007233566001"
REFERENCE = "ZX-REF-99317"
INVOICE = "zlatoustov-invoice-2026.pdf"
PURPOSE = "Bail for the cousin in Dzhankoi"
DONOR_EMAIL = "brave.donor@example.net"
DONOR_NAME = "Bravely Named Donor"
LONE_GIFT = 12_345  # this month, a case's only donor
LAST_MONTHS_LONE_GIFT = 7777  # last month, the same case's only donor


def last_month(day: int) -> datetime.date:
    return (public_cutoff() - datetime.timedelta(days=1)).replace(day=day)


def named_gift(*, amount, designation, subject_key, when):
    donation = Donation.objects.create(
        frequency=Donation.Frequency.ONE_OFF,
        currency="EUR",
        amount=amount,
        designation=designation,
        subject_key=subject_key,
        status=Donation.Status.PAID,
        settled_amount=amount,
        fee_amount=0,
        paid_at=when,
        email=DONOR_EMAIL,
        show_name=True,
        public_name=DONOR_NAME,
    )
    post(donation, amount=amount, fee=0, when=when, kind="charge")
    return donation


@pytest.fixture
def payment(prisoner_index, campaign_index, django_user_model, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    alice = make_user(django_user_model, email="alice@example.org", group="Board")
    bohdan = make_user(django_user_model, email="bohdan@example.org", group="Board")
    crimea = RegionFactory(name="Crimea", slug="crimea")
    case = add_profile(prisoner_index, title="Server Mustafayev", home_region=crimea)
    lonely = add_profile(prisoner_index, title="Lonely Case")
    campaign = CampaignPageFactory(parent=campaign_index, title="Crimean Solidarity")
    CampaignPrisoner.objects.create(campaign=campaign, prisoner=case)
    campaign.save_revision().publish()

    give(amount=500_000, when=timezone.now() - datetime.timedelta(days=70))
    for _ in range(3):
        named_gift(
            amount=3000,
            designation=Designation.CAMPAIGN,
            subject_key=campaign.translation_key,
            when=timezone.now() - datetime.timedelta(days=70),
        )
    named_gift(
        amount=LAST_MONTHS_LONE_GIFT,
        designation=Designation.CASE,
        subject_key=lonely.translation_key,
        when=datetime.datetime.combine(last_month(3), datetime.time(9), datetime.UTC),
    )
    named_gift(
        amount=LONE_GIFT,
        designation=Designation.CASE,
        subject_key=lonely.translation_key,
        when=timezone.now(),
    )

    payee = Payee.objects.create(
        name=PAYEE, kind=Payee.Kind.LAWYER, country="Ukraine", details=PAYEE_DETAILS
    )
    approved_at = datetime.datetime.combine(
        last_month(2), datetime.time(12), datetime.UTC
    )
    with mock.patch("django.utils.timezone.now", return_value=approved_at):
        allocation = allocation_approve(
            allocation=allocation_draft(
                fund=ledger.fund_account(fund_type=Account.FundType.GENERAL),
                case=case,
                category="counsel",
                amount=90_000,
                purpose=PURPOSE,
                drafted_by=alice,
            ),
            approver=bohdan,
        )
    disbursement = disbursement_draft(
        allocation=allocation,
        payee=payee,
        paid_on=last_month(20),
        amount=61_700,
        original_currency="UAH",
        original_amount=2_830_000,
        reference=REFERENCE,
        invoice=SimpleUploadedFile(INVOICE, b"%PDF-1.4 fictional invoice"),
        drafted_by=alice,
    )
    disbursement_approve(disbursement=disbursement, approver=bohdan)
    disbursement.refresh_from_db()
    return disbursement, case, campaign, lonely


def public_surfaces(client, case, campaign, lonely) -> dict[str, str]:
    urls = {
        "profile": case.url,
        "lonely profile": lonely.url,
        "campaign": campaign.url,
        "transparency": "/en/transparency/",
        "transparency uk": "/uk/transparency/",
        "csv": "/en/transparency/transparency.csv",
        "home": "/en/",
        "donate": "/en/donate/",
        "list": "/en/prisoners/",
        "campaigns": "/en/campaigns/",
        "api profiles": "/api/v2/pages/?type=prisoners.PrisonerPage&fields=*",
        "api campaigns": "/api/v2/pages/?type=campaigns.CampaignPage&fields=*",
        "api profile": f"/api/v2/pages/{case.pk}/",
        "api campaign": f"/api/v2/pages/{campaign.pk}/",
        "api search": f"/api/v2/pages/?search={PAYEE}",
        "rss": "/en/prisoners/feed/",
        "atom": "/en/prisoners/feed/atom/",
        "sitemap": "/sitemap.xml",
    }
    surfaces = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        surfaces[name] = html.unescape(response.content.decode("utf-8-sig"))
    return surfaces


def test_no_payee_reference_invoice_or_purpose_appears_on_any_public_surface(
    client, payment
):
    disbursement, case, campaign, lonely = payment
    stored = disbursement.invoice.name
    assert stored and INVOICE not in stored  # stored under an unguessable name
    secrets = [
        PAYEE,
        "Zlatoustov",
        PAYEE_DETAILS,
        REFERENCE,
        INVOICE,
        stored,
        PurePath(stored).stem,
        "invoices/",
        PURPOSE,
        "Dzhankoi",
        str(disbursement.public_id),
        "28\u202f300",  # the amount paid in hryvnias
    ]

    surfaces = public_surfaces(client, case, campaign, lonely)

    for name, text in surfaces.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked through {name}"
    # Search finds nothing by them (the search box only repeats the query).
    for query in (PAYEE, REFERENCE, PURPOSE):
        response = client.get("/en/prisoners/", {"q": query})
        assert response.context["result_count"] == 0, query
        found = client.get("/api/v2/pages/", {"search": query}).json()
        assert found["meta"]["total_count"] == 0, query
    # What is public is there: the category, the month and the amount.
    profile = surfaces["profile"]
    assert "Defence counsel" in profile
    assert format_money(61_700) in profile
    assert last_month(1).strftime("%Y-%m") in profile
    assert "617.00" in surfaces["csv"]


def test_no_donor_email_name_or_lone_gift_appears_on_any_public_surface(
    client, payment
):
    disbursement, case, campaign, lonely = payment

    surfaces = public_surfaces(client, case, campaign, lonely)

    for name, text in surfaces.items():
        for secret in (
            DONOR_EMAIL,
            "brave.donor",
            DONOR_NAME,
            format_money(LONE_GIFT),
            format_money(LAST_MONTHS_LONE_GIFT),
            "123.45",
            "77.77",
        ):
            assert secret not in text, f"{secret!r} leaked through {name}"
    # The campaign's three gifts are published, rounded down to tens of euros.
    assert format_money(9000) in surfaces["campaign"]
    # A case whose only gifts are recent shows no block at all, not even a zero
    # that would tell someone gave.
    assert 'id="money"' not in surfaces["lonely profile"]


def test_the_api_offers_no_money_records(client, payment):
    for path in (
        "/api/v2/disbursements/",
        "/api/v2/payees/",
        "/api/v2/allocations/",
        "/api/v2/documents/",
    ):
        assert client.get(path, follow=True).status_code == 404, path


def test_a_campaigns_progress_bar_and_api_follow_the_disclosure_rule(client, payment):
    _disbursement, _case, campaign, _lonely = payment
    named_gift(
        amount=LONE_GIFT,
        designation=Designation.CAMPAIGN,
        subject_key=campaign.translation_key,
        when=timezone.now(),
    )
    published = campaign_money(campaign_key=campaign.translation_key).raised

    api = client.get(f"/api/v2/pages/{campaign.pk}/").json()
    page = html.unescape(client.get(campaign.url).content.decode())

    assert api["fundraising"]["raised"] == published
    assert f"Raised so far: €{published // 100} of" in page
