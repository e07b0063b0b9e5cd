"""The public transparency page names the member organisations money was paid
through only where the member is public and chose to be named, under the same
rule as every spending figure (complete months only); the others' money is in the
totals and under no name."""

import csv
import datetime
import html
import io

import pytest

from accounts.roles import BOARD_GROUP
from donations.ledger.money import format_money
from donations.models import Designation, Payee
from donations.spending import services as spending
from donations.transparency.selectors import (
    network_money,
    paid_by_member,
    public_cutoff,
)
from network.models import Member
from tests.conftest import add_profile, make_user
from tests.gifts import give

pytestmark = pytest.mark.django_db

PAGE = "/en/transparency/"
CSV = "/en/transparency/transparency.csv"


def last_month(day: int = 10) -> datetime.date:
    return (public_cutoff() - datetime.timedelta(days=1)).replace(day=day)


def make_member(name, **fields):
    return Member.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        country="UA",
        joined_on=datetime.date(2024, 1, 1),
        **fields,
    )


@pytest.fixture
def board(django_user_model):
    return (
        make_user(django_user_model, email="drafter@example.org", group=BOARD_GROUP),
        make_user(django_user_model, email="approver@example.org", group=BOARD_GROUP),
    )


@pytest.fixture
def members():
    return {
        "named": make_member("Named Aid", is_public=True, named_in_transparency=True),
        "unnamed": make_member("Quiet Aid", is_public=True),
        "private": make_member(
            "Hidden Aid", is_public=False, named_in_transparency=True
        ),
        "gone": make_member(
            "Former Aid",
            is_public=True,
            named_in_transparency=True,
            ended_on=datetime.date(2026, 1, 1),
        ),
    }


def pay_through(case, board, member, amount, *, paid_on):
    drafter, approver = board
    allocation = spending.allocation_draft(
        fund=spending.funds_for_case(case)[-1],
        case=case,
        category="counsel",
        amount=amount,
        purpose="Counsel",
        drafted_by=drafter,
    )
    allocation = spending.allocation_approve(allocation=allocation, approver=approver)
    # Drafted while the member was current; one that left keeps its past work.
    allocation.carried_out_by = member
    allocation.save()
    payee = Payee.objects.create(name=f"Lawyer of {member}", kind="lawyer")
    payment = spending.disbursement_draft(
        allocation=allocation,
        payee=payee,
        paid_on=paid_on,
        amount=amount,
        drafted_by=drafter,
    )
    return spending.disbursement_approve(disbursement=payment, approver=approver)


@pytest.fixture
def story(prisoner_index, board, members):
    case = add_profile(prisoner_index, title="Olena Testenko")
    give(designation=Designation.GENERAL, amount=10_000_000)
    named = pay_through(case, board, members["named"], 30_000, paid_on=last_month())
    reversal = spending.disbursement_reversal_draft(
        disbursement=named, amount=5_000, reason="Returned", drafted_by=board[0]
    )
    # A reversal dated last month, as if returned then.
    reversal.paid_on = last_month(20)
    reversal.save()
    spending.disbursement_approve(disbursement=reversal, approver=board[1])
    # This month's payment is not published yet: a lawyer's travel this week
    # must not show.
    pay_through(case, board, members["named"], 7_000, paid_on=public_cutoff())
    pay_through(case, board, members["unnamed"], 11_000, paid_on=last_month())
    pay_through(case, board, members["private"], 13_000, paid_on=last_month())
    pay_through(case, board, members["gone"], 17_000, paid_on=last_month())
    return case


def test_only_public_named_members_are_listed_with_complete_months_only(story):
    assert {s.key: (s.label, s.amount) for s in paid_by_member()} == {
        "named-aid": ("Named Aid", 25_000)  # less the reversal, not this month
    }
    # The others' money is still in the totals.
    assert network_money().paid == 25_000 + 11_000 + 13_000 + 17_000


def test_the_page_names_the_named_member_and_no_other(client, story):
    page = html.unescape(client.get(PAGE).content.decode())
    assert "Paid through member organisations" in page
    assert "Named Aid" in page and format_money(25_000) in page
    for hidden in ("Quiet Aid", "Hidden Aid", "Former Aid", "Lawyer of"):
        assert hidden not in page, hidden


def test_the_csv_lists_the_named_member_only(client, story):
    text = client.get(CSV).content.decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text)) if r[0] == "paid_by_member"]
    assert rows == [["paid_by_member", "named-aid", "Named Aid", "250.00", "EUR"]]
    for hidden in ("Quiet Aid", "Hidden Aid", "Former Aid"):
        assert hidden not in text


def test_a_member_that_stops_being_named_vanishes_from_the_cached_page(
    client, story, members
):
    assert "Named Aid" in client.get(PAGE).content.decode()  # now cached
    member = members["named"]
    member.named_in_transparency = False
    member.save()
    assert "Named Aid" not in client.get(PAGE).content.decode()
    assert "Named Aid" not in client.get(CSV).content.decode("utf-8-sig")


def test_no_section_while_no_named_member_was_paid(client, prisoner_index, members):
    assert paid_by_member() == ()
    assert "Paid through member organisations" not in client.get(PAGE).content.decode()


def test_the_members_figures_cost_one_query_however_many_payments(
    story, prisoner_index, board, members
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        paid_by_member()
    pay_through(story, board, members["named"], 1_000, paid_on=last_month(3))
    make_member("Another Aid", is_public=True, named_in_transparency=True)
    with CaptureQueriesContext(connection) as after:
        paid_by_member()
    assert len(before) == len(after) == 1
