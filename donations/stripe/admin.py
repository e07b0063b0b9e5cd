"""The Stripe events and the repair runs in the admin, read only, except that the
Board (and superusers) can process failed events again ("Process again"), as
`manage.py stripe_events_retry` does. Registered with the other money viewsets."""

import datetime

from django import forms
from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from accounts.roles import is_board_or_superuser
from donations.ledger.admin import ReadOnlyViewSet
from donations.models import RepairRun, StripeEvent
from donations.stripe.events import events_to_retry, stripe_events_retry

# One click processes at most this many events while the page waits; the command
# has no limit.
RETRY_LIMIT = 200


class RetryForm(forms.Form):
    """Which events to process again: one (`event`), or the failed ones received
    since a day, of one type."""

    event = forms.CharField(required=False, widget=forms.HiddenInput)
    since = forms.DateField(
        label=gettext_lazy("Received since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    type = forms.ChoiceField(label=gettext_lazy("Type"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = (
            StripeEvent.objects.filter(status=StripeEvent.Status.FAILED)
            .order_by("type")
            .values_list("type", flat=True)
            .distinct()
        )
        self.fields["type"].choices = [("", _("Any type")), *((t, t) for t in types)]

    def selection(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        since = data.get("since")
        return {
            "since": datetime.datetime.combine(
                since, datetime.time.min, tzinfo=datetime.UTC
            )
            if since
            else None,
            "types": [data["type"]] if data.get("type") else None,
            "event_ids": [data["event"]] if data.get("event") else None,
            # A single event named may also be one still waiting for its retry.
            "include_waiting": bool(data.get("event")),
        }


class StripeEventIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if is_board_or_superuser(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Process failed events again"),
                    url=reverse("stripeevent:retry"),
                    icon_name="resubmit",
                )
            )
        return buttons

    def get_list_buttons(self, instance):
        buttons = super().get_list_buttons(instance)
        unprocessed = instance.status == StripeEvent.Status.FAILED or (
            instance.status == StripeEvent.Status.RECEIVED and instance.attempts
        )
        if unprocessed and is_board_or_superuser(self.request.user):
            buttons.insert(
                0,
                ListingButton(
                    _("Process again"),
                    url=reverse("stripeevent:retry") + f"?event={instance.event_id}",
                    icon_name="resubmit",
                    priority=5,
                ),
            )
        return buttons


class StripeEventViewSet(ReadOnlyViewSet):
    """Every verified webhook event, its status and last error; failed ones can be
    processed again."""

    model = StripeEvent
    icon = "warning"
    menu_label = gettext_lazy("Stripe events")
    index_view_class = StripeEventIndexView
    list_display = ["received_at", "type", "status", "attempts", "last_error"]
    list_filter = ["status", "type"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("retry/", self.retry_view, name="retry"),
        ]

    def retry_view(self, request):
        """GET: what would be processed again, to confirm; POST: do it now."""
        if not is_board_or_superuser(request.user):
            return HttpResponseForbidden(
                _("Only the Board and superusers may process Stripe events again."),
                content_type="text/plain; charset=utf-8",
            )
        form = RetryForm(request.POST if request.method == "POST" else request.GET)
        selection = form.selection()
        if request.method == "POST" and form.is_valid():
            outcome = stripe_events_retry(**selection, limit=RETRY_LIMIT)
            if outcome.processed:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d event was processed.",
                        "%(count)d events were processed.",
                        len(outcome.processed),
                    )
                    % {"count": len(outcome.processed)},
                )
            if outcome.failed:
                messages.error(
                    request,
                    ngettext(
                        "%(count)d event failed again: %(errors)s",
                        "%(count)d events failed again: %(errors)s",
                        len(outcome.failed),
                    )
                    % {
                        "count": len(outcome.failed),
                        "errors": "; ".join(
                            f"{event_id} ({error[:120]})"
                            for event_id, error in outcome.failed[:5]
                        ),
                    },
                )
            if not outcome.total:
                messages.info(request, _("No event needed processing again."))
            return redirect(reverse("stripeevent:index"))
        events = events_to_retry(**selection)
        return TemplateResponse(
            request,
            "donations/admin/stripe_events_retry.html",
            {
                "form": form,
                "events": events[:50],
                "count": events.count(),
                "limit": RETRY_LIMIT,
                "index_url": reverse("stripeevent:index"),
            },
        )


def _failures_table(failures: list[dict]) -> str:
    if not failures:
        return format_html("{}", _("None: every object was repaired."))
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
        ((f.get("kind", ""), f.get("id") or "—", f.get("error", "")) for f in failures),
    )
    return format_html(
        '<table class="listing"><thead><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("Kind"),
        _("Stripe id"),
        _("Error"),
        rows,
    )


class RepairRunInspectView(InspectView):
    def get_failures_display_value(self):
        return _failures_table(self.object.failures or [])

    def get_counts_display_value(self):
        return ", ".join(
            f"{kind}: {count}" for kind, count in (self.object.counts or {}).items()
        )


class RepairRunViewSet(ReadOnlyViewSet):
    """Each hourly repair from Stripe: what it synced, each object it could not
    repair and why, and whether it finished."""

    model = RepairRun
    name = "repair_runs"
    icon = "rotate"
    menu_label = gettext_lazy("Repairs from Stripe")
    list_display = [
        "started_at",
        "completed",
        "failure_count",
        "error",
        "finished_at",
    ]
    list_filter = ["completed"]
    inspect_view_class = RepairRunInspectView
    inspect_view_fields = [
        "started_at",
        "finished_at",
        "hours",
        "completed",
        "error",
        "counts",
        "failure_count",
        "failures",
    ]
