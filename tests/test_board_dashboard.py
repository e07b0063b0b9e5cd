"""The Board's dashboard in the admin: who may see it, what the page and its CSV
say, and that it reads a fixed number of queries whatever the number of cases."""

import csv
import datetime
import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import BOARD_GROUP
from donations.dashboard import charts, selectors
from donations.dashboard.views import CSV_CHARTS
from donations.models import Designation, ReconciliationReport
from donations.spending import services as allocations
from tests.conftest import (
    add_profile,
    signed_in,
)
from tests.test_board_dashboard_totals import at, board_members, give

pytestmark = pytest.mark.django_db

PAGE = "/admin/board/"
DATA = "/admin/board/data.json"
EVERY_URL = [PAGE, DATA, *(f"/admin/board/export.csv?chart={c}" for c in CSV_CHARTS)]


@pytest.fixture
def board_client(client, django_user_model, home_pages):
    return signed_in(
        client, django_user_model, email="board@example.org", group=BOARD_GROUP
    )


@pytest.fixture
def some_money(prisoner_index, django_user_model):
    """Two cases with gifts, budgets, an allocation and a payment."""
    drafter, approver = board_members(django_user_model)
    this_month = selectors.current_month()
    cases = [
        add_profile(prisoner_index, title="Mariia Kovalenko"),
        add_profile(prisoner_index, title="Enver Asanov"),
    ]
    for n, case in enumerate(cases):
        give(
            designation=Designation.CASE,
            subject_key=case.translation_key,
            amount=12345 * (n + 1),
            when=at(selectors.add_months(this_month, -2)),
        )
        allocations.budget_line_set(
            case=case, category="counsel", planned_amount=500000, user=drafter
        )
    give(designation=Designation.GENERAL, amount=99999, when=at(this_month, 1))
    general = allocations.funds_for_case(cases[0])[-1]
    entry = allocations.allocation_draft(
        fund=general,
        case=cases[0],
        category="counsel",
        amount=50000,
        purpose="Lawyer",
        drafted_by=drafter,
    )
    entry = allocations.allocation_approve(allocation=entry, approver=approver)
    from donations.models import Payee

    payee = Payee.objects.create(name="Advocate", kind=Payee.Kind.LAWYER)
    payment = allocations.disbursement_draft(
        allocation=entry,
        payee=payee,
        paid_on=datetime.date.today(),
        amount=20000,
        drafted_by=drafter,
    )
    allocations.disbursement_approve(disbursement=payment, approver=approver)
    return cases


# --- Who may see it -------------------------------------------------------------------


def test_anyone_signed_out_is_sent_to_sign_in_and_sees_no_numbers(
    client, home_pages, some_money
):
    for url in EVERY_URL:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "login" in response["Location"], url
        assert b"12345" not in response.content and b"123.45" not in response.content


@pytest.mark.parametrize(
    "group, extra",
    [("Editors", {}), ("Moderators", {}), (None, {"is_superuser": True})],
    ids=["editor", "moderator", "superuser-outside-the-board"],
)
def test_staff_outside_the_board_get_403_on_the_page_its_data_and_every_csv(
    client, django_user_model, home_pages, some_money, group, extra
):
    staff = signed_in(
        client, django_user_model, email="staff@example.org", group=group, **extra
    )
    assert staff.get("/admin/").status_code == 200  # they are in the admin
    for url in EVERY_URL:
        response = staff.get(url)
        assert response.status_code == 403, url
        assert b"123.45" not in response.content


def test_a_board_member_with_a_second_factor_opens_all_of_it(board_client, some_money):
    for url in EVERY_URL:
        assert board_client.get(url).status_code == 200, url


def test_only_board_members_see_the_dashboard_in_the_admin_menu(
    client, django_user_model, board_client
):
    assert b"Board dashboard" in board_client.get("/admin/").content
    client.logout()
    editor = signed_in(
        client, django_user_model, email="editor2@example.org", group="Editors"
    )
    assert b"Board dashboard" not in editor.get("/admin/").content


# --- What it shows --------------------------------------------------------------------


def cell(html: str, attribute: str, value: str) -> str:
    match = re.search(rf'{attribute}="{value}">([^<]*)<', html)
    assert match, (attribute, value)
    return match.group(1).strip()


def euros_text(cents: int) -> str:
    from donations.ledger.money import format_money

    return format_money(cents)


def test_the_page_shows_the_ledgers_totals_and_every_chart(board_client, some_money):
    response = board_client.get(PAGE)
    html = response.content.decode()
    data = selectors.dashboard(selectors.default_filters())

    for name in ("gross", "fees", "allocated", "paid", "available"):
        assert cell(html, "data-total", name) == euros_text(data.totals[name])
    assert data.totals["allocated"] == 50000 and data.totals["paid"] == 20000
    figures = json.loads(
        re.search(
            r'<script id="board-dashboard-figures" type="application/json">'
            r"(.*?)</script>",
            html,
            re.S,
        ).group(1)
    )
    for name in ("raised-by-fund", "raised-by-campaign", "flow", "donors"):
        assert f'data-figure="{name}"' in html
        assert "data" in figures[name] and "layout" in figures[name]
    assert figures["flow"]["data"][0]["type"] == "sankey"
    for name, figure in figures.items():  # plotly's graph objects accept each one
        assert charts.validated(figure)["layout"]["title"]["text"], name
    # Only our own scripts, none inline but data.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in s or 'type="application/json"' in s for s in scripts), [
        s for s in scripts if "src=" not in s
    ]
    assert "/static/vendor/plotly.min.js" in html
    assert "cdn" not in "".join(re.findall(r'src="([^"]*)"', html)).lower()


def test_cases_come_furthest_below_budget_first_and_sort_by_any_column(
    board_client, some_money
):
    first, second = some_money
    html = board_client.get(PAGE).content.decode()
    # The first case got €500 allocated, so the second is further below budget.
    assert html.index(f'data-case="{second.translation_key}"') < html.index(
        f'data-case="{first.translation_key}"'
    )
    html = board_client.get(PAGE + "?sort=-allocated").content.decode()
    assert html.index(f'data-case="{first.translation_key}"') < html.index(
        f'data-case="{second.translation_key}"'
    )
    html = board_client.get(PAGE + "?sort=raised").content.decode()
    assert html.index(f'data-case="{first.translation_key}"') < html.index(
        f'data-case="{second.translation_key}"'
    )


def test_the_reconciliation_panel_shows_mismatches_and_a_matching_day_as_zero(
    board_client, some_money
):
    ReconciliationReport.objects.create(
        day=datetime.date(2026, 1, 2),
        checked_at=at(datetime.date(2026, 1, 1), 3),
        mismatch_count=0,
    )
    ReconciliationReport.objects.create(
        day=datetime.date(2026, 1, 3),
        checked_at=at(datetime.date(2026, 1, 1), 4),
        mismatch_count=1,
        mismatches=[{"kind": "missing", "id": "txn_dropped_1"}],
    )
    html = board_client.get(PAGE).content.decode()
    section = html[html.index('id="reconciliation"') :]
    assert "2026-01-03" in section and "txn_dropped_1" in section
    assert re.search(r"2026-01-02</th>\s*<td data-mismatches=\"0\">0</td>", section)


def test_pending_entries_are_counted_with_a_link_to_approve_them(
    board_client, some_money, django_user_model
):
    from donations.models import Allocation

    drafter = django_user_model.objects.get(email="treasurer@example.org")
    general = allocations.funds_for_case(some_money[1])[-1]
    allocations.allocation_draft(
        fund=general,
        case=some_money[1],
        category="travel",
        amount=100,
        purpose="Train",
        drafted_by=drafter,
    )
    assert Allocation.objects.filter(status="pending").count() == 1
    html = board_client.get(PAGE).content.decode()
    assert 'data-pending="1"' in html
    assert 'href="/admin/spending/allocations/?status=pending"' in html


def csv_rows(client, url) -> list[dict]:
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_has_the_same_numbers_as_the_page(board_client, some_money):
    first, _second = some_money
    data = board_client.get(DATA).json()
    cases = {
        row["case"]: row
        for row in csv_rows(board_client, "/admin/board/export.csv?chart=cases")
    }
    for row in data["cases"]["rows"]:
        exported = cases[row["case"]]
        for name in ("raised", "allocated", "paid", "available", "planned"):
            assert exported[f"{name}_eur"] == f"{row[name] / 100:.2f}", name
    raised = csv_rows(board_client, "/admin/board/export.csv?chart=raised")
    gross = sum(round(float(r["gross_eur"]) * 100) for r in raised)
    assert gross == data["totals"]["gross"]
    totals = csv_rows(board_client, "/admin/board/export.csv?chart=totals")
    assert {r["fund_type"]: r["gross_eur"] for r in totals}["case"] == "370.35"
    sankey = csv_rows(board_client, "/admin/board/export.csv?chart=sankey")
    assert {(r["source"], r["target"]): r["amount_eur"] for r in sankey}[
        ("fund:general", f"case:{first.translation_key}")
    ] == "500.00"
    html = board_client.get(PAGE).content.decode()
    row_html = html[html.index(f'data-case="{first.translation_key}"') :]
    assert cell(row_html, "data-value", "allocated") == "€500"


def test_filters_are_in_the_url_and_change_the_numbers(board_client, some_money):
    this_month = selectors.current_month()
    last_month = selectors.add_months(this_month, -1)
    everything = board_client.get(DATA).json()["totals"]
    earlier = board_client.get(DATA + f"?end={last_month:%Y-%m}").json()["totals"]
    assert everything["gross"] == 12345 + 24690 + 99999
    assert earlier["gross"] == 12345 + 24690  # the general gift is this month's
    assert earlier["allocated"] == 0
    travel = board_client.get(DATA + "?category=travel").json()
    assert travel["totals"]["allocated"] == 0 and travel["totals"]["planned"] == 0
    csv_travel = csv_rows(
        board_client, "/admin/board/export.csv?chart=categories&category=travel"
    )
    assert [r["category"] for r in csv_travel] == ["travel"]
    page = board_client.get(PAGE + f"?start={this_month:%Y-%m}").content.decode()
    assert cell(page, "data-total", "gross") == "€999.99"
    invalid = board_client.get(PAGE + "?start=nonsense&region=nowhere")
    assert invalid.status_code == 200
    assert "Give a month as YYYY-MM." in invalid.content.decode()


def test_unknown_csv_chart_is_a_bad_request(board_client):
    assert board_client.get("/admin/board/export.csv?chart=nope").status_code == 400


# --- Queries --------------------------------------------------------------------------


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return len(queries)


def add_cases(index, numbers, drafter):
    for n in numbers:
        case = add_profile(index, title=f"Person {n}")
        give(
            designation=Designation.CASE,
            subject_key=case.translation_key,
            amount=1000 + n,
            when=at(selectors.add_months(selectors.current_month(), -1)),
        )
        allocations.budget_line_set(
            case=case, category="expert", planned_amount=10000, user=drafter
        )


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_number_of_cases(
    board_client, prisoner_index, django_user_model, django_assert_max_num_queries
):
    drafter, _approver = board_members(django_user_model)
    add_cases(prisoner_index, range(5), drafter)
    board_client.get(PAGE)  # the menu and the session settle
    with_five = page_queries(board_client)
    add_cases(prisoner_index, range(5, 50), drafter)
    with django_assert_max_num_queries(with_five):
        assert board_client.get(PAGE).status_code == 200
    assert with_five <= 60


# --- plotly.js is ours ----------------------------------------------------------------


def test_plotly_js_is_one_of_our_static_files():
    found = finders.find("vendor/plotly.min.js")
    assert found and found.endswith("plotly/package_data/plotly.min.js")
    assert finders.find("vendor/plotly.js") is None
    with open(found, "rb") as bundle:
        assert b"plotly.js" in bundle.read(500)


def test_collectstatic_copies_plotly_js(tmp_path, settings):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "vendor" / "plotly.min.js").stat().st_size > 1_000_000
    assert (tmp_path / "js" / "board-dashboard.js").exists()
