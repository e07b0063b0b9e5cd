"""The admin of spending: Board members draft and approve each other's entries,
budgets are kept by editors too, and payees and invoices stay with the Board."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from donations.ledger import services as ledger
from donations.models import (
    Account,
    Allocation,
    CaseBudgetLine,
    Designation,
    Disbursement,
    EntryStatus,
    Payee,
)
from donations.spending.services import (
    allocation_approve,
    allocation_draft,
    disbursement_approve,
    disbursement_draft,
)
from tests.conftest import (
    add_profile,
    admin_in_english,
    make_user,
    sign_in_with_totp,
)
from tests.gifts import give

pytestmark = pytest.mark.django_db

PAYEE = "Advokatske Biuro Vyhadane"


def staff(django_user_model, email, group=None, **extra):
    import pyotp

    secret = pyotp.random_base32()
    user = make_user(
        django_user_model, email=email, group=group, totp_secret=secret, **extra
    )
    return user, sign_in_with_totp(Client(), admin_in_english(user), secret)


@pytest.fixture
def alice(django_user_model):
    return staff(django_user_model, "alice@example.org", "Board")


@pytest.fixture
def bohdan(django_user_model):
    return staff(django_user_model, "bohdan@example.org", "Board")


@pytest.fixture
def editor(django_user_model):
    return staff(django_user_model, "editor@example.org", "Editors")


@pytest.fixture
def root(django_user_model):
    return staff(django_user_model, "root@example.org", is_superuser=True)


@pytest.fixture
def case(prisoner_index):
    page = add_profile(prisoner_index, title="Iryna Danylovych")
    give(amount=150_000, designation=Designation.CASE, subject_key=page.translation_key)
    return page


@pytest.fixture
def payment(case, alice, bohdan):
    fund = ledger.fund_account(
        fund_type=Account.FundType.CASE, subject_key=case.translation_key
    )
    allocation = allocation_approve(
        allocation=allocation_draft(
            fund=fund, case=case, category="counsel", amount=20_000,
            purpose="Appeal", drafted_by=alice[0],
        ),
        approver=bohdan[0],
    )  # fmt: skip
    payee = Payee.objects.create(name=PAYEE, kind="lawyer")
    return disbursement_approve(
        disbursement=disbursement_draft(
            allocation=allocation, payee=payee, paid_on=datetime.date(2026, 10, 2),
            amount=15_000, reference="INV-2026-17", drafted_by=alice[0],
            invoice=SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 fictional"),
        ),
        approver=bohdan[0],
    )  # fmt: skip


def test_a_board_member_drafts_an_allocation_and_a_colleague_approves_it_in_the_admin(
    case, alice, bohdan
):
    _, alice_client = alice
    response = alice_client.post(
        reverse("allocation:add"),
        {
            "case": case.pk,
            "fund": "case",
            "category": "counsel",
            "amount": "1 200,50",
            "purpose": "Counsel for the appeal",
        },
    )
    assert response.status_code == 302, response.content.decode()
    allocation = Allocation.objects.get()
    assert allocation.amount == 120_050
    assert allocation.status == EntryStatus.PENDING

    page = alice_client.get(reverse("allocation:inspect", args=[allocation.pk]))
    assert b"Withdraw" in page.content
    assert reverse("allocation:approve", args=[allocation.pk]).encode() not in (
        page.content
    )
    alice_client.post(reverse("allocation:approve", args=[allocation.pk]))
    allocation.refresh_from_db()
    assert allocation.status == EntryStatus.PENDING  # refused: her own

    _, bohdan_client = bohdan
    page = bohdan_client.get(reverse("allocation:inspect", args=[allocation.pk]))
    assert reverse("allocation:approve", args=[allocation.pk]).encode() in page.content
    bohdan_client.post(
        reverse("allocation:approve", args=[allocation.pk]), {"note": "Agreed"}
    )
    allocation.refresh_from_db()
    assert allocation.status == EntryStatus.APPROVED
    assert allocation.decision_note == "Agreed"
    history = bohdan_client.get(reverse("allocation:history", args=[allocation.pk]))
    assert history.status_code == 200


def test_an_over_commitment_is_refused_in_the_form_with_the_reason(case, alice):
    _, client = alice
    response = client.post(
        reverse("allocation:add"),
        {
            "case": case.pk,
            "fund": "case",
            "category": "travel",
            "amount": "1600",
            "purpose": "Travel to the hearing",
        },
    )
    assert response.status_code == 200
    assert "cannot be committed" in response.content.decode()
    assert not Allocation.objects.exists()


def test_nobody_edits_or_deletes_an_entry_in_the_admin(payment, alice, root):
    allocation = payment.allocation
    for _, client in (alice, root):
        for url in (
            reverse("allocation:edit", args=[allocation.pk]),
            reverse("allocation:delete", args=[allocation.pk]),
            reverse("disbursement:edit", args=[payment.pk]),
            reverse("disbursement:delete", args=[payment.pk]),
            reverse("payee:delete", args=[payment.payee_id]),
        ):
            assert client.get(url).status_code in (302, 403), url
            client.post(url, {"amount": "1"})
    assert Allocation.objects.get(pk=allocation.pk).amount == 20_000
    assert Disbursement.objects.filter(pk=payment.pk).exists()
    assert Payee.objects.filter(pk=payment.payee_id).exists()
    page = alice[1].get(reverse("disbursement:inspect", args=[payment.pk]))
    assert reverse("disbursement:edit", args=[payment.pk]).encode() not in page.content


@pytest.mark.parametrize("who", ["editor", "root"])
def test_spending_and_payees_are_the_boards_alone(request, payment, who):
    _, client = request.getfixturevalue(who)
    for url in (
        reverse("allocation:index"),
        reverse("allocation:add"),
        reverse("disbursement:index"),
        reverse("disbursement:inspect", args=[payment.pk]),
        reverse("disbursement:invoice", args=[payment.pk]),
        reverse("payee:index"),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert PAYEE.encode() not in response.content
    pending = disbursement_draft(
        allocation=payment.allocation,
        payee=payment.payee,
        paid_on=payment.paid_on,
        amount=100,
        drafted_by=Allocation.objects.get().drafted_by,
    )
    response = client.post(reverse("disbursement:approve", args=[pending.pk]))
    assert response.status_code in (302, 403)
    pending.refresh_from_db()
    assert pending.status == EntryStatus.PENDING


def test_the_board_sees_payees_and_downloads_invoices(payment, alice):
    _, client = alice
    assert PAYEE.encode() in client.get(reverse("disbursement:index")).content
    response = client.get(reverse("disbursement:invoice", args=[payment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fictional"
    assert "no-store" in response["Cache-Control"]


def test_an_invoice_is_never_served_from_media_even_to_the_board(payment, alice):
    _, client = alice
    assert payment.invoice.name.startswith("private/invoices/")
    assert "invoice" not in payment.invoice.name.removeprefix("private/invoices/")
    assert client.get(f"/media/{payment.invoice.name}").status_code == 404


def test_editors_keep_case_budgets_in_euros(case, editor):
    _, client = editor
    response = client.post(
        reverse("casebudgetline:add"),
        {"case": case.pk, "category": "translation", "planned_amount": "750.25"},
    )
    assert response.status_code == 302, response.content
    line = CaseBudgetLine.objects.get()
    assert (line.case_key, line.planned_amount) == (case.translation_key, 75_025)
    again = client.post(
        reverse("casebudgetline:add"),
        {"case": case.pk, "category": "translation", "planned_amount": "10"},
    )
    assert again.status_code == 200
    assert CaseBudgetLine.objects.count() == 1


def test_a_payment_is_recorded_against_an_allocation_in_the_admin(case, alice, bohdan):
    fund = ledger.fund_account(
        fund_type=Account.FundType.CASE, subject_key=case.translation_key
    )
    allocation = allocation_approve(
        allocation=allocation_draft(
            fund=fund, case=case, category="expert", amount=30_000,
            purpose="Linguistic expertise", drafted_by=alice[0],
        ),
        approver=bohdan[0],
    )  # fmt: skip
    payee = Payee.objects.create(
        name="Institute of Fictional Linguistics", kind="expert"
    )
    _, client = alice
    form = client.get(reverse("disbursement:add") + f"?allocation={allocation.pk}")
    assert "€300" in form.content.decode()
    response = client.post(
        reverse("disbursement:add"),
        {
            "allocation": allocation.pk,
            "payee": payee.pk,
            "paid_on": "2026-11-02",
            "amount": "280",
            "original_currency": "uah",
            "original_amount": "12950.00",
            "reference": "Act 44",
        },
    )
    assert response.status_code == 302, response.content.decode()
    payment = Disbursement.objects.get()
    assert (payment.amount, payment.original_currency, payment.original_amount) == (
        28_000,
        "UAH",
        1_295_000,
    )
    assert payment.status == EntryStatus.PENDING


def test_the_board_reads_reconciliation_reports_and_editors_do_not(alice, editor):
    from django.utils import timezone

    from donations.models import ReconciliationReport

    report = ReconciliationReport.objects.create(
        day=datetime.date(2026, 11, 28),
        checked_at=timezone.now(),
        stripe_count=3,
        ledger_count=2,
        mismatch_count=1,
        mismatches=[
            {"id": "txn_dropped_1", "type": "charge", "kind": "missing",
             "stripe": {"amount": 2500, "fee": 63, "net": 2437}, "ledger": None}
        ],
    )  # fmt: skip
    inspect = reverse("reconciliation_reports:inspect", args=[report.pk])
    assert b"txn_dropped_1" in alice[1].get(inspect).content
    assert alice[1].get(reverse("reconciliation_reports:index")).status_code == 200
    response = editor[1].get(inspect)
    assert response.status_code in (302, 403)
    assert b"txn_dropped_1" not in response.content
