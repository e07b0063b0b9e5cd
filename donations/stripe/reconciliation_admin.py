"""The nightly reconciliation's reports in the admin, read only (see
`donations.stripe.reconciliation`). Registered with the other money viewsets."""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import InspectView

from donations.ledger.admin import ReadOnlyViewSet
from donations.ledger.money import format_money
from donations.models import ReconciliationReport
from donations.stripe.reconciliation import ADMIN_URL_NAMESPACE, KIND_LABELS


def _amounts(amounts, names) -> str:
    if not amounts:
        return "—"
    return " / ".join(format_money(int(amounts.get(name, 0))) for name in names)


def mismatches_table(mismatches: list[dict]) -> str:
    """The mismatches as a table: id, type, kind, Stripe's and the ledger's
    amounts (escaped: ids come from Stripe)."""
    if not mismatches:
        return format_html("{}", _("None: the ledger agrees with Stripe."))
    rows = format_html_join(
        "",
        "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                mismatch.get("id", ""),
                " ".join(
                    part
                    for part in (mismatch.get("type"), mismatch.get("payout"))
                    if part
                ),
                KIND_LABELS.get(mismatch.get("kind"), mismatch.get("kind", "")),
                _amounts(mismatch.get("stripe"), ("amount", "fee", "net")),
                _amounts(mismatch.get("ledger"), ("fee", "net")),
            )
            for mismatch in mismatches
        ),
    )
    return format_html(
        '<table class="listing"><thead><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>',
        _("Balance transaction"),
        _("Type"),
        _("Mismatch"),
        _("Stripe: amount / fee / net"),
        _("Ledger: fee / net"),
        rows,
    )


class ReconciliationReportInspectView(InspectView):
    def get_mismatches_display_value(self):
        return mismatches_table(self.object.mismatches or [])


class ReconciliationReportViewSet(ReadOnlyViewSet):
    """One report per day: how many of Stripe's balance transactions and the
    ledger's postings were compared, and every mismatch found."""

    model = ReconciliationReport
    name = ADMIN_URL_NAMESPACE
    icon = "tasks"
    menu_label = _("Reconciliation")
    inspect_view_class = ReconciliationReportInspectView
    list_display = [
        "day",
        "mismatch_count",
        "stripe_count",
        "ledger_count",
        "error",
        "checked_at",
    ]
    inspect_view_fields = [
        "day",
        "checked_at",
        "stripe_count",
        "ledger_count",
        "mismatch_count",
        "error",
        "mismatches",
    ]
