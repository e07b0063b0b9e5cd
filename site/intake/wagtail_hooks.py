from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter

from . import admin_views, keys
from .selectors import waiting_count
from .services import DESTROY_ACTION, OPEN_ACTION, STATE_ACTION


@hooks.register("register_admin_urls")
def register_intake_urls():
    return [
        path("intake/", admin_views.report_index, name="intake_index"),
        path("intake/key/", admin_views.my_key, name="intake_key"),
        path("intake/recipients/", admin_views.recipients, name="intake_recipients"),
        path(
            "intake/<uuid:report_id>/", admin_views.report_detail, name="intake_report"
        ),
        path(
            "intake/<uuid:report_id>/action/",
            admin_views.report_action,
            name="intake_report_action",
        ),
        path(
            "intake/<uuid:report_id>/file/<int:attachment_id>/",
            admin_views.download_attachment,
            name="intake_attachment",
        ),
    ]


class ReportsMenuItem(MenuItem):
    """Shown to those who read reports, with how many wait for them."""

    def is_shown(self, request):
        return keys.recipient_of(request.user) is not None or request.user.has_perm(
            "intake.manage_recipients"
        )

    def render_component(self, request):
        component = super().render_component(request)
        count = waiting_count(recipient=keys.recipient_of(request.user))
        if count:
            component.label = f"{self.label} ({count})"
        return component


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        # Not "Reports": Wagtail's own menu of reports has that name.
        gettext_lazy("Case reports"),
        reverse("intake_index"),
        name="intake",
        icon_name="mail",
        order=250,
    )


class WaitingReportsPanel(Component):
    name = "waiting_reports"
    template_name = "intake/admin/home_panel.html"
    order = 40

    def __init__(self, count):
        self.count = count

    def get_context_data(self, parent_context):
        return {"count": self.count}


@hooks.register("construct_homepage_panels")
def waiting_reports_first(request, panels):
    count = waiting_count(recipient=keys.recipient_of(request.user))
    if count:
        panels.insert(0, WaitingReportsPanel(count))


class _Label(LogFormatter):
    label = ""

    def format_message(self, log_entry):
        return self.label


@hooks.register("register_log_actions")
def register_intake_log_actions(actions):
    @actions.register_action(OPEN_ACTION)
    class Opened(_Label):
        label = gettext_lazy("Report opened")

        def format_message(self, log_entry):
            if (log_entry.data or {}).get("attachment"):
                return _("Report's file opened")
            return _("Report opened")

    @actions.register_action(STATE_ACTION)
    class StateChanged(_Label):
        label = gettext_lazy("Report moved on")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Report: %(from)s → %(to)s") % {
                "from": data.get("from", ""),
                "to": data.get("to", ""),
            }

    @actions.register_action(DESTROY_ACTION)
    class Destroyed(_Label):
        label = gettext_lazy("Report destroyed")
