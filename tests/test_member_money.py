"""Money that flows to member organisations: a member can be a payee (a grant),
allocations and payments say which member carries out the work, the Board's
dashboard adds the figures by member, and each member's staff see a read-only
money page of their own cases, with no donor and nothing of other members'."""

import csv
import datetime
import html as html_lib
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import BOARD_GROUP
from donations.dashboard import members as by_member
from donations.dashboard import selectors
from donations.ledger.money import format_money
from donations.models import Allocation, Designation, Disbursement, EntryStatus, Payee
from donations.spending import services as spending
from network.choices import CaseRole, StaffKind
from network.models import CaseHandling, Member
from network.staff import ensure_member_groups, group_name
from tests.conftest import add_profile, make_user, signed_in
from tests.gifts import give

pytestmark = pytest.mark.django_db

MONEY_PAGE = "/admin/network/money/"
MEMBERS_CSV = "/admin/board/export.csv?chart=members"


def make_member(name, **fields):
    member = Member.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-"),
        country="UA",
        joined_on=datetime.date(2024, 1, 1),
        **{"is_public": True, **fields},
    )
    ensure_member_groups(member=member)
    return member


@pytest.fixture
def board(django_user_model):
    return (
        make_user(django_user_model, email="drafter@example.org", group=BOARD_GROUP),
        make_user(django_user_model, email="approver@example.org", group=BOARD_GROUP),
    )


@pytest.fixture
def kharkiv():
    return make_member("Kharkiv Aid")


@pytest.fixture
def crimea():
    return make_member("Crimea Watch")


@pytest.fixture
def cases(prisoner_index, kharkiv, crimea):
    ours = add_profile(prisoner_index, title="Olena Ours")
    theirs = add_profile(prisoner_index, title="Taras Theirs")
    CaseHandling.objects.create(
        member=kharkiv, case_key=ours.translation_key, role=CaseRole.LEGAL_DEFENCE
    )
    CaseHandling.objects.create(
        member=crimea, case_key=theirs.translation_key, role=CaseRole.DOCUMENTS
    )
    return ours, theirs


def allocate(case, board, amount, *, category="counsel", member=None):
    drafter, approver = board
    entry = spending.allocation_draft(
        fund=spending.funds_for_case(case)[-1],  # the general fund
        case=case,
        category=category,
        amount=amount,
        purpose="Defence counsel for the appeal",
        carried_out_by=member,
        drafted_by=drafter,
    )
    return spending.allocation_approve(allocation=entry, approver=approver)


def pay(allocation, board, payee, amount, *, member=None, approve=True):
    drafter, approver = board
    entry = spending.disbursement_draft(
        allocation=allocation,
        payee=payee,
        paid_on=timezone.localdate(),
        amount=amount,
        reference="INV-SECRET-42",
        carried_out_by=member,
        drafted_by=drafter,
    )
    if approve:
        entry = spending.disbursement_approve(disbursement=entry, approver=approver)
    return entry


@pytest.fixture
def story(cases, board, kharkiv, crimea):
    """Kharkiv Aid handles Olena's case and gets a grant for her counsel; Crimea
    Watch handles Taras's, whose expert the network pays directly."""
    ours, theirs = cases
    drafter, _approver = board
    give(designation=Designation.GENERAL, amount=1_000_000)
    spending.budget_line_set(
        case=ours, category="counsel", planned_amount=400_000, user=drafter
    )
    spending.budget_line_set(
        case=ours, category="expert", planned_amount=100_000, user=drafter
    )
    spending.budget_line_set(
        case=theirs, category="counsel", planned_amount=300_000, user=drafter
    )
    grant_payee = Payee.objects.create(
        name="Kharkiv Aid (grants)", kind=Payee.Kind.ORGANISATION, member=kharkiv
    )
    lawyer = Payee.objects.create(name="Advocate Secretname", kind="lawyer")
    ours_counsel = allocate(ours, board, 200_000, member=kharkiv)
    pay(ours_counsel, board, grant_payee, 120_000)  # inherits Kharkiv Aid
    reversal = spending.disbursement_reversal_draft(
        disbursement=Disbursement.objects.get(amount=120_000),
        amount=20_000,
        reason="Returned",
        drafted_by=drafter,
    )
    spending.disbursement_approve(disbursement=reversal, approver=board[1])
    allocate(ours, board, 50_000, category="expert")  # no member
    theirs_counsel = allocate(theirs, board, 90_000, member=crimea)
    pay(theirs_counsel, board, lawyer, 30_000)
    pay(theirs_counsel, board, lawyer, 5_000, approve=False)  # pending
    return {"grant_payee": grant_payee, "lawyer": lawyer}


# --- Payees, carried out by, four eyes ------------------------------------------------


def test_a_payment_inherits_the_member_of_its_allocation(story, kharkiv):
    payment = Disbursement.objects.get(amount=120_000)
    assert payment.carried_out_by == kharkiv
    assert Disbursement.objects.get(amount=20_000).carried_out_by == kharkiv


def test_a_grant_to_a_member_must_be_carried_out_by_that_member(
    cases, board, kharkiv, crimea
):
    ours, _theirs = cases
    give(designation=Designation.GENERAL, amount=500_000)
    grant_payee = Payee.objects.create(
        name="Kharkiv Aid", kind=Payee.Kind.ORGANISATION, member=kharkiv
    )
    allocation = allocate(ours, board, 100_000, member=crimea)

    with pytest.raises(spending.BoardRuleError, match="carried out by Kharkiv Aid"):
        pay(allocation, board, grant_payee, 10_000)
    with pytest.raises(spending.BoardRuleError, match="carried out by Kharkiv Aid"):
        pay(allocation, board, grant_payee, 10_000, member=crimea)
    assert not Disbursement.objects.exists()  # nothing recorded

    payment = pay(allocation, board, grant_payee, 10_000, member=kharkiv)
    assert payment.carried_out_by == kharkiv


def test_a_grant_with_no_member_named_is_carried_out_by_the_payee_member(
    cases, board, kharkiv
):
    ours, _theirs = cases
    give(designation=Designation.GENERAL, amount=500_000)
    grant_payee = Payee.objects.create(
        name="Kharkiv Aid", kind=Payee.Kind.ORGANISATION, member=kharkiv
    )
    allocation = allocate(ours, board, 100_000)
    assert pay(allocation, board, grant_payee, 10_000).carried_out_by == kharkiv


def test_a_member_that_has_left_cannot_be_chosen(cases, board, kharkiv):
    ours, _theirs = cases
    kharkiv.ended_on = datetime.date(2025, 1, 1)
    kharkiv.save()
    with pytest.raises(spending.BoardRuleError, match="has left the network"):
        allocate(ours, board, 100_000, member=kharkiv)
    assert not Allocation.objects.exists()


def test_four_eyes_still_hold_for_an_entry_carried_out_by_a_member(
    cases, board, kharkiv
):
    ours, _theirs = cases
    drafter, approver = board
    give(designation=Designation.GENERAL, amount=500_000)
    entry = spending.allocation_draft(
        fund=spending.funds_for_case(ours)[-1],
        case=ours,
        category="counsel",
        amount=100_000,
        purpose="Counsel",
        carried_out_by=kharkiv,
        drafted_by=drafter,
    )
    with pytest.raises(spending.BoardRuleError, match="different Board member"):
        spending.allocation_approve(allocation=entry, approver=drafter)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING and entry.ledger_transaction is None


def test_a_reversal_keeps_the_member_of_what_it_reverses(story, kharkiv):
    allocation = Allocation.objects.get(amount=200_000)
    reversal = spending.allocation_reversal_draft(
        allocation=allocation,
        amount=10_000,
        reason="Less needed",
        drafted_by=allocation.decided_by,
    )
    assert reversal.carried_out_by == kharkiv


def test_the_board_drafts_an_allocation_for_a_member_and_sees_it_on_the_entry(
    client, django_user_model, cases, kharkiv, home_pages
):
    ours, _theirs = cases
    give(designation=Designation.GENERAL, amount=500_000)
    board_client = signed_in(
        client, django_user_model, email="b@example.org", group=BOARD_GROUP
    )
    form = board_client.get("/admin/spending/allocations/add/")
    assert b"Carried out by member organisation" in form.content
    response = board_client.post(
        "/admin/spending/allocations/add/",
        {
            "case": ours.pk,
            "fund": "general",
            "category": "counsel",
            "amount": "1000",
            "purpose": "Counsel",
            "carried_out_by": kharkiv.pk,
        },
    )
    assert response.status_code == 302, response.content
    entry = Allocation.objects.get()
    assert entry.carried_out_by == kharkiv
    page = board_client.get(response["Location"])
    assert b"Kharkiv Aid" in page.content


def test_the_payment_form_refuses_a_grant_carried_out_by_another_member(
    client, django_user_model, cases, board, kharkiv, crimea, home_pages
):
    ours, _theirs = cases
    give(designation=Designation.GENERAL, amount=500_000)
    allocation = allocate(ours, board, 100_000)
    grant_payee = Payee.objects.create(
        name="Kharkiv Aid", kind=Payee.Kind.ORGANISATION, member=kharkiv
    )
    board_client = signed_in(
        client, django_user_model, email="b@example.org", group=BOARD_GROUP
    )
    response = board_client.post(
        f"/admin/spending/payments/add/?allocation={allocation.pk}",
        {
            "allocation": allocation.pk,
            "payee": grant_payee.pk,
            "carried_out_by": crimea.pk,
            "paid_on": timezone.localdate().isoformat(),
            "amount": "100",
        },
    )
    assert response.status_code == 200
    assert b"must be carried out by Kharkiv Aid" in response.content
    assert not Disbursement.objects.exists()


# --- The Board's dashboard, by member -------------------------------------------------


def ledger_totals():
    spent = selectors.commitments(selectors.default_filters())
    return spent.total("allocated"), spent.total("paid")


def test_the_figures_by_member_add_up_to_the_ledger(story, kharkiv, crimea):
    table = by_member.member_table(selectors.default_filters())
    rows = {row.name: row for row in table.rows}

    k, c = rows["Kharkiv Aid"], rows["Crimea Watch"]
    assert (k.allocated, k.paid, k.open) == (200_000, 100_000, 100_000)
    assert (k.cases, k.planned) == (1, 500_000)
    assert k.coverage == Decimal("0.4")  # 2000 of 5000 planned
    assert (c.allocated, c.paid, c.open) == (90_000, 30_000, 60_000)  # pending: no
    assert (c.cases, c.planned, c.coverage) == (1, 300_000, Decimal("0.3"))
    assert (table.others.allocated, table.others.paid) == (50_000, 0)
    assert (table.total("allocated"), table.total("paid")) == ledger_totals()


def test_the_figures_by_member_follow_the_category_filter(story):
    filters = selectors.Filters(end=selectors.current_month(), category="expert")
    table = by_member.member_table(filters)
    rows = {row.name: row for row in table.rows}
    assert rows["Kharkiv Aid"].allocated == 0
    assert rows["Kharkiv Aid"].planned == 100_000
    assert table.others.allocated == 50_000


def test_the_figures_by_member_read_the_same_queries_however_many_entries(
    story, cases, board, kharkiv
):
    with CaptureQueriesContext(connection) as before:
        by_member.member_table(selectors.default_filters())
    ours, _theirs = cases
    for _ in range(3):
        allocate(ours, board, 1_000, member=kharkiv)
    make_member("Odesa Help")
    with CaptureQueriesContext(connection) as after:
        by_member.member_table(selectors.default_filters())
    assert len(after) == len(before) <= 5


@pytest.fixture
def board_client(client, django_user_model, home_pages):
    return signed_in(
        client, django_user_model, email="board@example.org", group=BOARD_GROUP
    )


def test_the_dashboard_shows_the_members_table_its_csv_and_json(story, board_client):
    page = board_client.get("/admin/board/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="table-members"' in html and "Kharkiv Aid" in html

    response = board_client.get(MEMBERS_CSV)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["member", "name", "allocated_eur", "paid_eur", "open_eur"]
    kharkiv = next(row for row in rows if row[0] == "kharkiv-aid")
    assert kharkiv[2:9] == [
        "2000.00", "1000.00", "1000.00", "1", "5000.00", "2000.00", "40.0"
    ]  # fmt: skip
    assert rows[-1][0] == "none" and rows[-1][2] == "500.00"

    data = board_client.get("/admin/board/data.json").json()
    named = {row["member"]: row for row in data["members"]}
    assert named["crimea-watch"]["paid"] == 30_000
    assert named["crimea-watch"]["open"] == 60_000


@pytest.mark.parametrize("group", ["Editors", None])
def test_the_members_table_is_for_the_board_only(
    client, django_user_model, story, kharkiv, group, home_pages
):
    if group is None:
        group = group_name(kharkiv, StaffKind.EDITORS)
    staff = signed_in(client, django_user_model, email="s@example.org", group=group)
    for url in ("/admin/board/", MEMBERS_CSV, "/admin/board/data.json"):
        response = staff.get(url)
        assert response.status_code == 403, url
        assert b"Kharkiv" not in response.content


# --- A member's money page ------------------------------------------------------------


def staff_of(client, django_user_model, member, email="staff@example.org"):
    return signed_in(
        client,
        django_user_model,
        email=email,
        group=group_name(member, StaffKind.EDITORS),
    )


def test_member_staff_see_their_cases_money_and_nothing_else(
    client, django_user_model, story, kharkiv, home_pages
):
    staff = staff_of(client, django_user_model, kharkiv)
    response = staff.get(MONEY_PAGE)
    assert response.status_code == 200
    html = response.content.decode()

    assert "Olena Ours" in html
    counsel = re.search(r'<tr data-category="counsel">(.*?)</tr>', html).group(1)
    cells = [html_lib.unescape(c) for c in re.findall(r"<td>(.*?)</td>", counsel)]
    # Planned, allocated, paid (a reversal taking away), open.
    assert cells == [format_money(n) for n in (400_000, 200_000, 100_000, 100_000)]
    assert "Kharkiv Aid (grants)" in html  # the payee is the member itself
    # Another member's case and money, payees, references, purposes: never.
    assert "Taras Theirs" not in html
    assert "Crimea Watch" not in html
    assert "Advocate Secretname" not in html
    assert "INV-SECRET-42" not in html
    assert "Defence counsel for the appeal" not in html
    assert "donor" not in html.lower()


def test_the_money_page_counts_only_the_members_own_approved_entries(
    story, kharkiv, cases
):
    from donations.member_money.selectors import member_money

    ours, _theirs = cases
    money = member_money(kharkiv)
    (case,) = money.cases
    assert case.key == ours.translation_key
    counsel = {line.category: line for line in case.categories}["counsel"]
    assert (counsel.planned, counsel.allocated, counsel.paid, counsel.open) == (
        400_000,
        200_000,
        100_000,
        100_000,
    )
    # The expert allocation names no member: planned shows, the money does not.
    expert = {line.category: line for line in case.categories}["expert"]
    assert (expert.planned, expert.allocated) == (100_000, 0)
    assert [e.amount for e in case.payments] == [-20_000, 120_000]


def test_a_payee_other_than_the_member_is_not_shown_even_on_its_own_case(
    story, crimea, cases
):
    from donations.member_money.selectors import member_money

    (case,) = member_money(crimea).cases
    assert [e.payee for e in case.payments] == ["", ""]  # the lawyer stays unnamed
    assert sorted(e.status for e in case.payments) == ["approved", "pending"]


def test_the_money_page_is_refused_to_staff_in_no_member_and_to_the_board(
    client, django_user_model, story, home_pages
):
    for n, group in enumerate(["Editors", BOARD_GROUP]):
        client.logout()
        staff = signed_in(
            client, django_user_model, email=f"s{n}@example.org", group=group
        )
        response = staff.get(MONEY_PAGE)
        assert response.status_code == 403, group
        assert b"Olena" not in response.content


def test_a_board_member_who_is_also_member_staff_sees_the_page(
    client, django_user_model, story, kharkiv, home_pages
):
    staff = staff_of(client, django_user_model, kharkiv)
    user = staff.get("/admin/").wsgi_request.user
    user.groups.add(*user.groups.model.objects.filter(name=BOARD_GROUP))
    assert staff.get(MONEY_PAGE).status_code == 200


def test_the_money_page_is_refused_to_people_outside_the_admin(
    client, django_user_model, story, home_pages
):
    assert client.get(MONEY_PAGE).status_code == 302  # signed out: sign in first
    someone = make_user(django_user_model, email="donor@example.org")
    client.force_login(someone)
    response = client.get(MONEY_PAGE)
    assert response.status_code in (302, 403)
    assert b"Olena" not in response.content


def test_staff_of_a_member_that_left_are_refused(
    client, django_user_model, story, kharkiv, home_pages
):
    staff = staff_of(client, django_user_model, kharkiv)
    Member.objects.filter(pk=kharkiv.pk).update(ended_on=datetime.date(2025, 6, 1))
    assert staff.get(MONEY_PAGE).status_code == 403


def test_only_member_staff_see_the_money_page_in_the_menu(
    client, django_user_model, kharkiv, home_pages
):
    staff = staff_of(client, django_user_model, kharkiv)
    assert b"/admin/network/money/" in staff.get("/admin/").content
    client.logout()
    editor = signed_in(
        client, django_user_model, email="e@example.org", group="Editors"
    )
    assert b"/admin/network/money/" not in editor.get("/admin/").content


def test_a_member_paying_a_lawyer_sees_the_payment_but_not_the_lawyer(
    client, django_user_model, story, crimea, home_pages
):
    staff = staff_of(client, django_user_model, crimea, email="c@example.org")
    page = staff.get(MONEY_PAGE).content.decode()
    assert "Taras Theirs" in page and "Olena Ours" not in page
    assert format_money(30_000) in html_lib.unescape(page)
    assert "Advocate Secretname" not in page
    assert "Kharkiv" not in page
