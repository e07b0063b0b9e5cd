from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from donations.models import Donation, LedgerTransaction, StripeEvent, Subscription


class ReadOnlyViewSet(ModelViewSet):
    """Money records are written by services only: the admin shows, never edits."""

    add_to_admin_menu = False
    inspect_view_enabled = True
    form_fields: list[str] = []

    def get_urlpatterns(self):
        read_only = {"index", "index_results", "inspect"}
        return [p for p in super().get_urlpatterns() if p.name in read_only]


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


class StripeEventViewSet(ReadOnlyViewSet):
    model = StripeEvent
    icon = "warning"
    menu_label = _("Stripe events")
    list_display = ["received_at", "type", "status", "attempts", "last_error"]
    list_filter = ["status", "type"]


class LedgerViewSet(ReadOnlyViewSet):
    model = LedgerTransaction
    icon = "list-ul"
    menu_label = _("Ledger")
    list_display = ["occurred_at", "description", "cause_key"]


class MoneyGroup(ViewSetGroup):
    menu_label = _("Money")
    menu_icon = "pick"
    menu_order = 400
    items = (DonationViewSet, SubscriptionViewSet, LedgerViewSet, StripeEventViewSet)


@hooks.register("register_admin_viewset")
def register_money_viewsets():
    return MoneyGroup()
