"""The dashboard's charts as plotly figures in plotly's JSON form, for the page.

The browser draws them with our own copy of plotly.js (static/js/board-dashboard.js
calls `Plotly.newPlot` on each). Amounts arrive in euro cents; the axes show euros,
and every hover label shows the exact amount formatted from the cents. The same
numbers are in a table under each chart and in its CSV export.

Each function returns what `plotly.graph_objects.Figure(...).to_plotly_json()`
would: `{"data": [traces], "layout": {...}}`. They write that dict directly,
because building and validating graph objects costs about 70 ms a figure (half a
second for the page's eight) on the development machines; `validated()` passes a
figure through plotly's graph objects, which refuse any property plotly does not
know, and the tests run every figure through it.
"""

from __future__ import annotations

import functools

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from donations.dashboard import selectors
from donations.ledger.money import format_money

COLOURS = {
    "general": "#2e6f9e",
    "campaign": "#c76b29",
    "case": "#3f8f5a",
    "one_off": "#5b6abf",
    "monthly": "#b0477a",
    "refunds": "#a33b3b",
    "fees": "#7a7a7a",
    "allocated": "#c99a2e",
    "paid": "#3f8f5a",
}
PALETTE = [
    "#2e6f9e",
    "#c76b29",
    "#3f8f5a",
    "#b0477a",
    "#5b6abf",
    "#8c6d31",
    "#3c9aa5",
    "#a33b3b",
    "#7a7a7a",
]


@functools.lru_cache(maxsize=2048)
def _month_label(month, language: str) -> str:
    return date_format(month, "M Y")


def month_label(month) -> str:
    return _month_label(month, get_language())


def _euros(cents: list[int]) -> list[float]:
    # Only the drawing uses floats; labels and tables use the exact cents.
    return [value / 100 for value in cents]


def validated(figure: dict) -> dict:
    """The figure as plotly's graph objects make it: raises ValueError on any
    property or value plotly does not accept."""
    import plotly.graph_objects as go

    return go.Figure(figure).to_plotly_json()


class Figure:
    """The little of `plotly.graph_objects.Figure` the charts use, as plain data."""

    def __init__(self, *traces: dict):
        self.data = list(traces)
        self.layout: dict = {}

    def add_trace(self, trace: dict) -> None:
        self.data.append(trace)

    def update_layout(self, **layout) -> None:
        self.layout.update(layout)


def _bar(name: str, months, cents: list[int], colour: str | None = None) -> dict:
    return {
        "type": "bar",
        "name": name,
        "x": [month_label(m) for m in months],
        "y": _euros(cents),
        "customdata": [format_money(value) for value in cents],
        "hovertemplate": "%{x}: %{customdata}<extra>" + name + "</extra>",
        "marker": {"color": colour},
    }


def _layout(figure, title: str, *, y_title: str = "€", barmode: str = "stack"):
    figure.update_layout(
        title={"text": title},
        barmode=barmode,
        margin={"l": 60, "r": 20, "t": 50, "b": 60},
        height=360,
        legend={"orientation": "h", "y": -0.2},
        yaxis={"title": {"text": y_title}, "tickformat": ",.0f"},
        font={"family": "system-ui, sans-serif"},
    )
    return figure


def _json(figure: Figure) -> dict:
    return {"data": figure.data, "layout": figure.layout}


def raised_by_fund(movements: selectors.FundMovements) -> dict:
    months = [m.month for m in movements.months]
    figure = Figure()
    labels = {
        "general": _("General fund"),
        "campaign": _("Campaign funds"),
        "case": _("Case funds"),
    }
    for fund_type, label in labels.items():
        cents = [m.gross_by_fund.get(fund_type, 0) for m in movements.months]
        figure.add_trace(_bar(label, months, cents, COLOURS[fund_type]))
    for name, key, colour in (
        (_("Refunds and disputes"), "refunds", COLOURS["refunds"]),
        (_("Fees"), "fees", COLOURS["fees"]),
    ):
        cents = [getattr(m, key) for m in movements.months]
        figure.add_trace(
            {
                "type": "scatter",
                "name": name,
                "x": [month_label(m) for m in months],
                "y": _euros(cents),
                "customdata": [format_money(v) for v in cents],
                "hovertemplate": "%{x}: %{customdata}<extra>" + name + "</extra>",
                "mode": "lines+markers",
                "line": {"color": colour},
            }
        )
    return _json(_layout(figure, _("Gross gifts per month, by fund")))


def raised_by_frequency(movements: selectors.FundMovements) -> dict:
    months = [m.month for m in movements.months]
    figure = Figure()
    figure.add_trace(
        _bar(
            _("One-off"),
            months,
            [m.gross_one_off for m in movements.months],
            COLOURS["one_off"],
        )
    )
    figure.add_trace(
        _bar(
            _("Monthly"),
            months,
            [m.gross_monthly for m in movements.months],
            COLOURS["monthly"],
        )
    )
    return _json(_layout(figure, _("Gross gifts per month: one-off and monthly")))


def raised_by_campaign(campaigns: selectors.CampaignMonths) -> dict:
    figure = Figure()
    for index, (key, title) in enumerate(campaigns.campaigns):
        name = title if key is not None else _("Other campaigns")
        figure.add_trace(
            _bar(
                name,
                campaigns.months,
                campaigns.series(key),
                PALETTE[index % len(PALETTE)],
            )
        )
    return _json(_layout(figure, _("Gross gifts per month, by campaign")))


def spending(commitments: selectors.Commitments) -> dict:
    months = [m.month for m in commitments.months]
    figure = Figure()
    figure.add_trace(
        _bar(
            _("Allocated"),
            months,
            [m.allocated for m in commitments.months],
            COLOURS["allocated"],
        )
    )
    figure.add_trace(
        _bar(_("Paid"), months, [m.paid for m in commitments.months], COLOURS["paid"])
    )
    return _json(_layout(figure, _("Allocated and paid per month"), barmode="group"))


def categories(commitments: selectors.Commitments) -> dict:
    rows = commitments.categories
    labels = [row.label for row in rows]
    figure = Figure()
    for name, key, colour in (
        (_("Planned"), "planned", "#9aa9b8"),
        (_("Allocated to date"), "allocated_to_date", COLOURS["allocated"]),
        (_("Paid in the period"), "paid", COLOURS["paid"]),
    ):
        cents = [getattr(row, key) for row in rows]
        figure.add_trace(
            {
                "type": "bar",
                "name": name,
                "y": labels,
                "x": _euros(cents),
                "orientation": "h",
                "customdata": [format_money(v) for v in cents],
                "hovertemplate": "%{y}: %{customdata}<extra>" + name + "</extra>",
                "marker": {"color": colour},
            }
        )
    figure = _layout(figure, _("Budgets by category"), barmode="group")
    figure.update_layout(
        height=460,
        xaxis={"title": {"text": "€"}, "tickformat": ",.0f"},
        yaxis={"title": {"text": ""}, "autorange": "reversed"},
    )
    return _json(figure)


def flow(sankey: selectors.Sankey) -> dict:
    """The Sankey diagram. Links whose net value is negative (reversals larger
    than new entries in the period) cannot be drawn; the table lists them."""
    index = {node.key: n for n, node in enumerate(sankey.nodes)}
    drawn = [link for link in sankey.links if link.value > 0]
    figure = Figure(
        {
            "type": "sankey",
            "arrangement": "snap",
            "valueformat": ",.2f",
            "valuesuffix": " €",
            "node": {
                "label": [node.label for node in sankey.nodes],
                "pad": 12,
                "thickness": 14,
                "color": [_node_colour(node.key) for node in sankey.nodes],
            },
            "link": {
                "source": [index[link.source] for link in drawn],
                "target": [index[link.target] for link in drawn],
                "value": _euros([link.value for link in drawn]),
                "customdata": [format_money(link.value) for link in drawn],
                "hovertemplate": "%{source.label} → %{target.label}: "
                "%{customdata}<extra></extra>",
            },
        }
    )
    figure.update_layout(
        title={"text": _("Where the money went")},
        height=620,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font={"family": "system-ui, sans-serif", "size": 12},
    )
    return _json(figure)


def _node_colour(key: str) -> str:
    if key.startswith("fund:"):
        return COLOURS.get(key.split(":", 1)[1], "#2e6f9e")
    if key.startswith("case:"):
        return "#3f8f5a"
    if key.startswith("category:"):
        return "#c99a2e"
    return {
        "gifts": "#5b6abf",
        "paid": "#2f6b3f",
        "refunds": COLOURS["refunds"],
        "fees": COLOURS["fees"],
    }.get(key, "#9aa9b8")


def donors(months: list[selectors.MonthDonors]) -> dict:
    labels = [month_label(m.month) for m in months]
    figure = Figure()
    figure.add_trace(
        {
            "type": "scatter",
            "name": _("Active at the end of the month"),
            "x": labels,
            "y": [m.active for m in months],
            "mode": "lines+markers",
            "line": {"color": COLOURS["monthly"]},
        }
    )
    for name, key, colour in (
        (_("New"), "new", COLOURS["case"]),
        (_("Cancelled"), "cancelled", COLOURS["fees"]),
        (_("Failed payments"), "failed", COLOURS["refunds"]),
    ):
        figure.add_trace(
            {
                "type": "bar",
                "name": name,
                "x": labels,
                "y": [getattr(m, key) for m in months],
                "marker": {"color": colour},
            }
        )
    figure = _layout(figure, _("Monthly donors"), y_title=_("people"), barmode="group")
    figure.update_layout(yaxis={"tickformat": ",d"})
    return _json(figure)


def recurring(months: list[selectors.MonthDonors]) -> dict:
    cents = [m.recurring_eur for m in months]
    figure = Figure(
        {
            "type": "scatter",
            "name": _("Received from monthly gifts (€, as settled)"),
            "x": [month_label(m.month) for m in months],
            "y": _euros(cents),
            "customdata": [format_money(v) for v in cents],
            "hovertemplate": "%{x}: %{customdata}<extra></extra>",
            "mode": "lines+markers",
            "fill": "tozeroy",
            "line": {"color": COLOURS["monthly"]},
        }
    )
    return _json(_layout(figure, _("Monthly recurring amount in euros")))
