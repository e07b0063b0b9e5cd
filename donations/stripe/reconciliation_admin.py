"""The nightly reconciliation's reports in the admin, read only (see
`donations.stripe.reconciliation`), and the Board's check of a range of days, today
included (`ReconciliationCheckView`). Registered with the other money viewsets."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from accounts.roles import is_board_or_superuser
from donations.ledger.admin import ReadOnlyViewSet
from donations.ledger.money import format_money
from donations.models import ReconciliationReport
from donations.stripe.client import is_configured
from donations.stripe.reconciliation import (
    ADMIN_URL_NAMESPACE,
    KIND_LABELS,
    days_between,
    reconciliation_run,
)


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


class ReconciliationReportIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if is_board_or_superuser(self.request.user):
            buttons.append(
                HeaderButton(
                    gettext("Check a range of days"),
                    url=reverse(CHECK_URL_NAME),
                    icon_name="resubmit",
                )
            )
        return buttons


class ReconciliationReportViewSet(ReadOnlyViewSet):
    """One report per day: how many of Stripe's balance transactions and the
    ledger's postings were compared, and every mismatch found."""

    model = ReconciliationReport
    name = ADMIN_URL_NAMESPACE
    icon = "tasks"
    menu_label = _("Reconciliation")
    index_view_class = ReconciliationReportIndexView
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


# --- The Board checks a range of days -------------------------------------------------

CHECK_URL_NAME = "reconciliation_check"


def utc_today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


class ReconciliationRangeForm(forms.Form):
    """From and to (UTC days, both included): to is today at the latest, from is
    not after to, and the range is at most RECONCILIATION_RANGE_MAX_DAYS long."""

    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        today = utc_today()
        if end and end > today:
            self.add_error(
                "end",
                gettext("The last day can be today (%(today)s) at the latest.")
                % {"today": today.isoformat()},
            )
        if start and end and start > end:
            self.add_error(
                "start", gettext("The first day must not be after the last.")
            )
        maximum = settings.RECONCILIATION_RANGE_MAX_DAYS
        if start and end and start <= end and (end - start).days + 1 > maximum:
            self.add_error(
                None,
                ngettext(
                    "At most %(count)d day can be checked at a time.",
                    "At most %(count)d days can be checked at a time.",
                    maximum,
                )
                % {"count": maximum},
            )
        return cleaned

    def days(self) -> list[datetime.date]:
        return days_between(
            start=self.cleaned_data["start"], end=self.cleaned_data["end"]
        )


class ReconciliationCheckView(WagtailAdminTemplateMixin, FormView):
    """Board members (and superusers) check any range of days up to today against
    Stripe. A short range is checked while the page waits; a longer one in the
    background. The page then shows the range's reports; today's is partial."""

    form_class = ReconciliationRangeForm
    template_name = "donations/admin/reconciliation_check.html"
    page_title = _("Check a range of days")
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not is_board_or_superuser(request.user):
            return HttpResponseForbidden(
                gettext("Only the Board and superusers may run the reconciliation."),
                content_type="text/plain; charset=utf-8",
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(f"{ADMIN_URL_NAMESPACE}:index"),
                "label": gettext("Reconciliation"),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_initial(self):
        today = utc_today()
        start = self.request.GET.get("start") or (
            today - datetime.timedelta(days=settings.RECONCILIATION_DAYS)
        )
        return {"start": start, "end": self.request.GET.get("end") or today}

    def shown_range(self) -> tuple[datetime.date, datetime.date] | None:
        """The range whose stored reports the page shows (after a check)."""
        form = ReconciliationRangeForm(self.request.GET)
        if "start" in self.request.GET and form.is_valid():
            days = form.days()
            return days[0], days[-1]
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = utc_today()
        shown = self.shown_range()
        reports = (
            list(
                ReconciliationReport.objects.filter(
                    day__gte=shown[0], day__lte=shown[1]
                ).order_by("day")
            )
            if shown
            else []
        )
        context.update(
            {
                "configured": is_configured(),
                "shown": shown,
                "reports": [(report, report.day == today) for report in reports],
                "missing_days": (
                    len(days_between(start=shown[0], end=shown[1])) - len(reports)
                    if shown
                    else 0
                ),
                "includes_today": bool(shown and shown[1] == today),
                "today": today,
                "max_days": settings.RECONCILIATION_RANGE_MAX_DAYS,
                "inline_days": settings.RECONCILIATION_INLINE_DAYS,
                "index_url": reverse(f"{ADMIN_URL_NAMESPACE}:index"),
            }
        )
        return context

    def form_valid(self, form):
        if not is_configured():
            form.add_error(None, gettext("Stripe is not set up: nothing to check."))
            return self.form_invalid(form)
        days = form.days()
        if len(days) <= settings.RECONCILIATION_INLINE_DAYS:
            reports = reconciliation_run(days=days, notify=False)
            errors = sum(1 for report in reports if report.error)
            mismatches = sum(report.mismatch_count for report in reports)
            messages.success(
                self.request,
                ngettext(
                    "%(days)d day checked. Mismatches: %(mismatches)d; could not "
                    "be checked: %(errors)d.",
                    "%(days)d days checked. Mismatches: %(mismatches)d; could not "
                    "be checked: %(errors)d.",
                    len(days),
                )
                % {"days": len(days), "mismatches": mismatches, "errors": errors},
            )
        else:
            from donations.stripe.tasks import reconcile_range

            start, end = days[0].isoformat(), days[-1].isoformat()
            # After the commit: a worker must find what this request wrote.
            transaction.on_commit(lambda: reconcile_range.delay(start, end))
            messages.info(
                self.request,
                ngettext(
                    "%(days)d day is being checked in the background; its report "
                    "appears here once done.",
                    "%(days)d days are being checked in the background; their "
                    "reports appear here as each day is done.",
                    len(days),
                )
                % {"days": len(days)},
            )
        query = urlencode({"start": days[0].isoformat(), "end": days[-1].isoformat()})
        return redirect(f"{reverse(CHECK_URL_NAME)}?{query}")


def admin_urls():
    """Registered by donations/wagtail_hooks.py under the admin."""
    return [
        path(
            "reconciliation/check/",
            ReconciliationCheckView.as_view(),
            name=CHECK_URL_NAME,
        )
    ]
