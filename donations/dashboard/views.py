"""The Board's dashboard: the page, its data as JSON, and every chart's numbers as
CSV. Board members only: everyone else gets 403 (the admin's own decorator first
sends anyone signed out to the sign-in page)."""

from __future__ import annotations

import csv
import datetime
from functools import wraps

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import is_board_member
from donations.attention.views import attention_context
from donations.dashboard import charts, members, selectors
from donations.dashboard.forms import DashboardFilterForm
from donations.ledger.money import format_money
from donations.models import BudgetCategory

CSV_CHARTS = (
    "totals",
    "raised",
    "campaigns",
    "spending",
    "categories",
    "sankey",
    "cases",
    "members",
    "donors",
    "reconciliation",
)


def board_only(view):
    """403 for anyone who is not in the Board group, superusers included."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_board_member(request.user):
            # A response, not PermissionDenied: Wagtail's admin would turn that
            # into a redirect to the dashboard with a message.
            return HttpResponseForbidden(
                _("Only members of the Board may see the Board's dashboard."),
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    return never_cache(require_GET(wrapped))


def _filters(request) -> tuple[DashboardFilterForm, selectors.Filters]:
    form = DashboardFilterForm(request.GET or None)
    if request.GET:
        form.is_valid()
    return form, form.filters()


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def euros(cents: int | None) -> str:
    """Cents as an exact decimal amount of euros for CSV: -1234 → "-12.34"."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def share_percent(share) -> str:
    return "" if share is None else f"{share * 100:.1f}"


@board_only
def dashboard_view(request):
    form, filters = _filters(request)
    sort = request.GET.get("sort", selectors.DEFAULT_CASE_SORT)
    data = selectors.dashboard(filters, sort=sort, page=_page_number(request))
    by_member = members.member_table(filters)
    figures = {
        "raised-by-fund": charts.raised_by_fund(data.movements),
        "raised-by-frequency": charts.raised_by_frequency(data.movements),
        "raised-by-campaign": charts.raised_by_campaign(data.campaigns),
        "flow": charts.flow(data.sankey),
        "spending": charts.spending(data.commitments),
        "categories": charts.categories(data.commitments),
        "donors": charts.donors(data.donors),
        "recurring": charts.recurring(data.donors),
    }
    query = filters.as_query()
    nodes = {node.key: node.label for node in data.sankey.nodes}
    context = {
        "form": form,
        "data": data,
        "filters": filters,
        "totals": data.totals,
        "figures": figures,
        "sankey_rows": [
            (nodes[link.source], nodes[link.target], link.value)
            for link in data.sankey.links
        ],
        "case_rows": [
            (row, row.unspent_age_months(filters.end), share_percent(row.share_funded))
            for row in data.cases.rows
        ],
        "by_member": by_member,
        "member_rows": [
            (row, share_percent(row.coverage))
            for row in [*by_member.rows, by_member.others]
        ],
        "campaign_rows": [
            (title if key else _("Other campaigns"), data.campaigns.total(key))
            for key, title in data.campaigns.campaigns
        ],
        "donor_rows": [
            (
                m,
                ", ".join(
                    format_money(amount, currency)
                    for currency, amount in m.recurring.items()
                ),
            )
            for m in data.donors
        ],
        "sort_links": _sort_links(query, data.cases.sort),
        "page_links": _page_links(query, data.cases),
        "csv_links": {
            chart: f"{reverse('board_dashboard_csv')}?"
            + urlencode({**query, "chart": chart})
            for chart in CSV_CHARTS
        },
        "json_url": f"{reverse('board_dashboard_data')}?{urlencode(query)}",
        "allocations_url": reverse("allocation:index")
        + "?"
        + urlencode({"status": "pending"}),
        "disbursements_url": reverse("disbursement:index")
        + "?"
        + urlencode({"status": "pending"}),
        "categories": dict(BudgetCategory.choices),
        "burn_first": data.cases.burn_window[0],
        "burn_last": data.cases.burn_window[1],
        # What needs a person (donations.attention), at the top of the page.
        **attention_context(request),
    }
    return TemplateResponse(request, "donations/dashboard/dashboard.html", context)


def _sort_links(query: dict, current: str) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (largest first; again
    to reverse), and how it is sorted now (for aria-sort)."""
    links = {}
    for name in selectors.CASE_SORTS:
        descending = f"-{name}"
        target = name if current == descending else descending
        state = (
            "descending"
            if current == descending
            else "ascending"
            if current == name
            else "none"
        )
        links[name] = {
            "url": "?" + urlencode({**query, "sort": target}) + "#cases",
            "state": state,
        }
    return links


def _page_links(query: dict, table: selectors.CaseTable) -> dict:
    def url(page: int) -> str:
        return "?" + urlencode({**query, "sort": table.sort, "page": page}) + "#cases"

    return {
        "previous": url(table.page - 1) if table.page > 1 else None,
        "next": url(table.page + 1) if table.page < table.pages else None,
    }


@board_only
def dashboard_data(request):
    """The dashboard's numbers as JSON (cents), with the same filters."""
    _form, filters = _filters(request)
    sort = request.GET.get("sort", selectors.DEFAULT_CASE_SORT)
    data = selectors.dashboard(filters, sort=sort, page=_page_number(request))
    return JsonResponse(
        {**_as_json(data), "members": _members_json(members.member_table(filters))}
    )


def _members_json(table: members.MemberTable) -> list[dict]:
    return [
        {
            "member": row.slug or None,
            "name": row.name,
            "allocated": row.allocated,
            "paid": row.paid,
            "open": row.open,
            "cases": row.cases,
            "planned": row.planned,
            "allocated_on_cases_handled": row.allocated_on_handled,
            "coverage": float(row.coverage) if row.coverage is not None else None,
        }
        for row in [*table.rows, table.others]
    ]


def _as_json(data: selectors.Dashboard) -> dict:
    def month(value: datetime.date | None) -> str | None:
        return value.strftime("%Y-%m") if value else None

    filters = data.filters
    return {
        "currency": "EUR",
        "unit": "cents",
        "filters": filters.as_query(),
        "totals": data.totals,
        "funds": {
            fund_type: {
                "gross": f.gross,
                "refunds": f.refunds,
                "fees": f.fees,
                "allocated": f.allocated,
                "other": f.other,
                "opening_available": f.opening_available,
                "closing_available": f.closing_available,
            }
            for fund_type, f in data.movements.funds.items()
        },
        "raised": [
            {
                "month": month(m.month),
                "gross": m.gross,
                "by_fund": m.gross_by_fund,
                "one_off": m.gross_one_off,
                "monthly": m.gross_monthly,
                "refunds": m.refunds,
                "fees": m.fees,
                "net": m.net,
            }
            for m in data.movements.months
        ],
        "campaigns": [
            {
                "campaign": str(key) if key else None,
                "title": title,
                "months": {
                    month(m): value
                    for m, value in zip(
                        data.campaigns.months, data.campaigns.series(key), strict=True
                    )
                },
            }
            for key, title in data.campaigns.campaigns
        ],
        "spending": [
            {"month": month(m.month), "allocated": m.allocated, "paid": m.paid}
            for m in data.commitments.months
        ],
        "categories": [
            {
                "category": c.category,
                "planned": c.planned,
                "allocated": c.allocated,
                "allocated_to_date": c.allocated_to_date,
                "paid": c.paid,
                "opening_unpaid": c.opening_unpaid,
                "closing_unpaid": c.closing_unpaid,
            }
            for c in data.commitments.categories
        ],
        "sankey": {
            "nodes": [{"key": n.key, "label": n.label} for n in data.sankey.nodes],
            "links": [
                {"source": li.source, "target": li.target, "value": li.value}
                for li in data.sankey.links
            ],
        },
        "cases": {
            "count": data.cases.totals.count,
            "page": data.cases.page,
            "pages": data.cases.pages,
            "sort": data.cases.sort,
            "totals": vars(data.cases.totals),
            "rows": [_case_json(row, filters) for row in data.cases.rows],
        },
        "donors": [
            {
                "month": month(m.month),
                "active": m.active,
                "new": m.new,
                "cancelled": m.cancelled,
                "failed": m.failed,
                "recurring": m.recurring,
                "recurring_eur": m.recurring_eur,
            }
            for m in data.donors
        ],
        "reconciliation": [
            {
                "day": r.day.isoformat(),
                "mismatch_count": r.mismatch_count,
                "mismatches": r.mismatches,
                "error": r.error,
            }
            for r in data.reconciliations
        ],
        "pending": {
            "allocations": data.pending.allocations,
            "disbursements": data.pending.disbursements,
        },
    }


def _case_json(row: selectors.CaseRow, filters: selectors.Filters) -> dict:
    return {
        "case": str(row.key),
        "title": row.title,
        "region": row.region,
        "raised": row.raised,
        "allocated": row.allocated,
        "allocated_to_date": row.allocated_to_date,
        "paid": row.paid,
        "available": row.available,
        "planned": row.planned,
        "funded": row.funded,
        "shortfall": row.shortfall,
        "share_funded": float(row.share_funded)
        if row.share_funded is not None
        else None,
        "oldest_unspent": row.oldest_unspent.strftime("%Y-%m")
        if row.oldest_unspent
        else None,
        "unspent_age_months": row.unspent_age_months(filters.end),
        "burn_rate": row.burn_rate,
    }


@board_only
def dashboard_csv(request):
    """One chart's numbers (`chart=`), with the page's filters, amounts in euros
    to the cent."""
    chart = request.GET.get("chart", "")
    if chart not in CSV_CHARTS:
        return HttpResponse(
            _("Unknown chart. Choose one of: %(charts)s.")
            % {"charts": ", ".join(CSV_CHARTS)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    _form, filters = _filters(request)
    sort = request.GET.get("sort", selectors.DEFAULT_CASE_SORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = filters.end.strftime("%Y-%m")
    response["Content-Disposition"] = (
        f'attachment; filename="board-{chart}-{stamp}.csv"'
    )
    writer = csv.writer(response)
    for row in _csv_rows(chart, filters, sort):
        writer.writerow(row)
    return response


def _csv_rows(chart: str, filters: selectors.Filters, sort: str):
    month = "%Y-%m"
    if chart in ("totals", "raised", "sankey"):
        movements = selectors.fund_movements(filters)
    if chart in ("totals", "spending", "categories", "sankey"):
        spending = selectors.commitments(filters)
    if chart == "totals":
        yield [
            "fund_type",
            "gross_eur",
            "refunds_eur",
            "fees_eur",
            "allocated_eur",
            "other_eur",
            "available_before_eur",
            "available_after_eur",
        ]
        for fund_type, f in movements.funds.items():
            yield [
                fund_type,
                *map(
                    euros,
                    (
                        f.gross,
                        f.refunds,
                        f.fees,
                        f.allocated,
                        f.other,
                        f.opening_available,
                        f.closing_available,
                    ),
                ),
            ]
        yield ["paid", euros(spending.total("paid"))]
        yield ["committed_unpaid", euros(spending.total("closing_unpaid"))]
    elif chart == "raised":
        yield [
            "month",
            "gross_general_eur",
            "gross_campaign_eur",
            "gross_case_eur",
            "gross_one_off_eur",
            "gross_monthly_eur",
            "gross_eur",
            "refunds_and_disputes_eur",
            "fees_eur",
            "net_eur",
        ]
        for m in movements.months:
            yield [
                m.month.strftime(month),
                *map(
                    euros,
                    (
                        m.gross_by_fund.get("general", 0),
                        m.gross_by_fund.get("campaign", 0),
                        m.gross_by_fund.get("case", 0),
                        m.gross_one_off,
                        m.gross_monthly,
                        m.gross,
                        m.refunds,
                        m.fees,
                        m.net,
                    ),
                ),
            ]
    elif chart == "campaigns":
        campaigns = selectors.campaign_months(filters)
        yield ["month", "campaign", "title", "gross_eur"]
        for key, title in campaigns.campaigns:
            for m, value in zip(campaigns.months, campaigns.series(key), strict=True):
                yield [
                    m.strftime(month),
                    str(key) if key else "other",
                    title if key else _("Other campaigns"),
                    euros(value),
                ]
    elif chart == "spending":
        yield ["month", "allocated_eur", "paid_eur"]
        for m in spending.months:
            yield [m.month.strftime(month), euros(m.allocated), euros(m.paid)]
    elif chart == "categories":
        yield [
            "category",
            "planned_eur",
            "allocated_eur",
            "allocated_to_date_eur",
            "paid_eur",
            "unpaid_before_eur",
            "unpaid_after_eur",
        ]
        for c in spending.categories:
            yield [
                c.category,
                *map(
                    euros,
                    (
                        c.planned,
                        c.allocated,
                        c.allocated_to_date,
                        c.paid,
                        c.opening_unpaid,
                        c.closing_unpaid,
                    ),
                ),
            ]
    elif chart == "sankey":
        flow = selectors.sankey(filters, movements, spending)
        labels = {node.key: node.label for node in flow.nodes}
        yield ["source", "target", "source_label", "target_label", "amount_eur"]
        for link in flow.links:
            yield [
                link.source,
                link.target,
                labels[link.source],
                labels[link.target],
                euros(link.value),
            ]
    elif chart == "cases":
        table = selectors.case_table(filters, sort=sort, per_page=None)
        yield [
            "case",
            "title",
            "region",
            "raised_eur",
            "allocated_eur",
            "paid_eur",
            "available_eur",
            "planned_eur",
            "allocated_to_date_eur",
            "shortfall_eur",
            "share_funded_percent",
            "oldest_unspent_month",
            "unspent_age_months",
            "burn_rate_eur_per_month",
        ]
        for row in table.rows:
            age = row.unspent_age_months(filters.end)
            yield [
                str(row.key),
                row.title,
                row.region,
                *map(
                    euros,
                    (
                        row.raised,
                        row.allocated,
                        row.paid,
                        row.available,
                        row.planned,
                        row.allocated_to_date,
                        row.shortfall,
                    ),
                ),
                share_percent(row.share_funded),
                row.oldest_unspent.strftime(month) if row.oldest_unspent else "",
                "" if age is None else age,
                euros(row.burn_rate),
            ]
    elif chart == "members":
        table = members.member_table(filters)
        yield [
            "member",
            "name",
            "allocated_eur",
            "paid_eur",
            "open_eur",
            "cases",
            "planned_eur",
            "allocated_on_cases_handled_eur",
            "budget_coverage_percent",
        ]
        for row in [*table.rows, table.others]:
            yield [
                row.slug or "none",
                row.name,
                euros(row.allocated),
                euros(row.paid),
                euros(row.open),
                row.cases,
                euros(row.planned),
                euros(row.allocated_on_handled),
                share_percent(row.coverage),
            ]
    elif chart == "donors":
        donors = selectors.monthly_donors(filters)
        currencies = sorted({c for m in donors for c in m.recurring})
        yield [
            "month",
            "active",
            "new",
            "cancelled",
            "failed_payments",
            "received_eur_that_month",
            *(f"recurring_{c.lower()}_minor_units" for c in currencies),
        ]
        for m in donors:
            yield [
                m.month.strftime(month),
                m.active,
                m.new,
                m.cancelled,
                m.failed,
                euros(m.recurring_eur),
                *(m.recurring.get(c, 0) for c in currencies),
            ]
    elif chart == "reconciliation":
        yield ["day", "stripe_count", "ledger_count", "mismatch_count", "error"]
        for report in selectors.latest_reconciliations(count=90):
            yield [
                report.day.isoformat(),
                report.stripe_count,
                report.ledger_count,
                report.mismatch_count,
                report.error,
            ]
