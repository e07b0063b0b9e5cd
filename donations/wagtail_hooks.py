from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from donations.ledger.admin import ReadOnlyViewSet
from donations.models import Donation, LedgerTransaction, Subscription
from donations.spending.admin import (
    AllocationViewSet,
    CaseBudgetLineViewSet,
    DisbursementViewSet,
    PayeeViewSet,
)
from donations.stripe.admin import RepairRunViewSet, StripeEventViewSet
from donations.stripe.reconciliation_admin import (
    ReconciliationReportViewSet,
)
from donations.stripe.reconciliation_admin import (
    admin_urls as reconciliation_admin_urls,
)


class DonationViewSet(ReadOnlyViewSet):
    model = Donation
    icon = "pick"
    menu_label = _("Donations")
    list_display = [
        "created_at",
        "frequency",
        "amount",
        "currency",
        "status",
        "designation",
    ]
    list_filter = ["status", "frequency", "designation", "currency"]
    list_export = [
        "public_id", "created_at", "paid_at", "frequency", "currency", "amount",
        "settled_amount", "fee_amount", "status", "designation", "subject_key",
    ]  # fmt: skip
    export_filename = "donations"


class SubscriptionViewSet(ReadOnlyViewSet):
    model = Subscription
    icon = "repeat"
    menu_label = _("Monthly gifts")
    list_display = ["stripe_id", "amount", "currency", "status", "started_at"]
    list_filter = ["status", "currency"]


class LedgerViewSet(ReadOnlyViewSet):
    model = LedgerTransaction
    icon = "list-ul"
    menu_label = _("Ledger")
    list_display = ["occurred_at", "description", "cause_key"]


class MoneyGroup(ViewSetGroup):
    menu_label = _("Money")
    menu_icon = "pick"
    menu_order = 400
    items = (
        DonationViewSet,
        SubscriptionViewSet,
        LedgerViewSet,
        StripeEventViewSet,
        ReconciliationReportViewSet,
        RepairRunViewSet,
    )


class SpendingGroup(ViewSetGroup):
    """Budgets (Editors and the Board), payees, allocations and payments (the Board
    only); each item shows to those with the right to see it."""

    menu_label = _("Spending")
    menu_icon = "list-ol"
    menu_order = 410
    items = (
        AllocationViewSet,
        DisbursementViewSet,
        CaseBudgetLineViewSet,
        PayeeViewSet,
    )


@hooks.register("campaign_raised")
def campaign_raised(*, campaign_key) -> int:
    """A campaign's progress bar: what the public may see it raised (campaigns
    ask through this hook, so that they need not import the money app)."""
    from donations.transparency.selectors import campaign_raised as published

    return published(campaign_key=campaign_key)


@hooks.register("register_admin_viewset")
def register_money_viewsets():
    return MoneyGroup()


@hooks.register("register_admin_viewset")
def register_spending_viewsets():
    return SpendingGroup()


@hooks.register("register_admin_urls")
def register_reconciliation_check_url():
    return reconciliation_admin_urls()


@hooks.register("register_log_actions")
def register_entry_actions(actions):
    actions.register_action(
        "donations.entry.draft", _("Draft"), _("Drafted for approval")
    )
    actions.register_action(
        "donations.entry.approve", _("Approve"), _("Approved and posted to the ledger")
    )
    actions.register_action(
        "donations.entry.reject", _("Reject"), _("Rejected; nothing posted")
    )
    actions.register_action(
        "donations.entry.withdraw", _("Withdraw"), _("Withdrawn; nothing posted")
    )


# What needs attention: the admin home's panel for the Board and superusers.
from donations.attention import hooks as _attention_hooks  # noqa: E402, F401

# The Board's dashboard and its sending of annual receipts register their own admin
# URLs and menu items.
from donations.dashboard import hooks as _dashboard_hooks  # noqa: E402, F401
from donations.donors.annual import hooks as _annual_hooks  # noqa: E402, F401

# The money page of a member's staff: its admin URL and menu item.
from donations.member_money import hooks as _member_money_hooks  # noqa: E402, F401
