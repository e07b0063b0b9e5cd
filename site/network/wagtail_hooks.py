from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import views
from .access import members_of
from .admin import NetworkViewSetGroup, case_handlers
from .choices import CaseRole
from .cosign import COSIGN_ACTION
from .offboarding import OFFBOARD_ACTION
from .onboarding import ONBOARD_ACTION
from .services import handle_case


@hooks.register("after_create_page")
def attribute_new_profile_to_the_member(request, page):
    """A profile drafted by a member's editor is that member's case from the start:
    its staff go on editing it, and nobody else's editors see it."""
    if page.specific_class.__name__ != "PrisonerPage":
        return
    for member in members_of(request.user):
        handle_case(
            member=member,
            case_key=page.translation_key,
            role=CaseRole.DOCUMENTS,
            by=request.user,
        )


# --- The network's admin: members, case handling, co-signing ----------------------


@hooks.register("register_admin_viewset")
def register_network_viewsets():
    return NetworkViewSetGroup()


@hooks.register("register_admin_urls")
def register_cosign_urls():
    return [
        path("network/cosign/", views.cosign_index, name="network_cosign"),
        path(
            "network/cosign/<int:page_id>/",
            views.cosign_statement,
            name="network_cosign_statement",
        ),
    ]


class MemberStaffMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(members_of(request.user))


@hooks.register("register_admin_menu_item")
def register_cosign_menu_item():
    return MemberStaffMenuItem(
        gettext_lazy("Co-sign statements"),
        reverse("network_cosign"),
        name="network-cosign",
        icon_name="doc-full",
        order=260,
    )


class CosignMenuItem(ActionMenuItem):
    """In a statement's editor, for a member's staff: sign it for the member."""

    label = gettext_lazy("Co-sign for my organisation")
    name = "action-cosign"
    icon_name = "doc-full"
    order = 90

    def is_shown(self, context):
        page = context.get("page")
        return bool(
            page is not None
            and page.pk
            and page.specific_class.__name__ == "StatementPage"
            and members_of(context["request"].user)
        )

    def get_url(self, context):
        return reverse("network_cosign_statement", args=[context["page"].pk])


@hooks.register("register_page_action_menu_item")
def register_cosign_action_menu_item():
    return CosignMenuItem()


@hooks.register("before_edit_page")
def say_who_handles_the_case(request, page):
    """On a profile's editor, who works on the case. A message rather than a panel:
    the profile's own panels belong to its page class."""
    if request.method != "GET" or page.specific_class.__name__ != "PrisonerPage":
        return
    handlers = case_handlers(page.translation_key, user=request.user)
    if handlers:
        messages.info(
            request,
            _("Handled by: %(members)s") % {"members": "; ".join(handlers)},
        )
    else:
        messages.warning(request, _("No member organisation handles this case yet."))


class _NetworkFormatter(LogFormatter):
    label = ""

    def format_message(self, log_entry):
        return self.label


@hooks.register("register_log_actions")
def register_network_log_actions(actions):
    @actions.register_action(ONBOARD_ACTION)
    class Onboarded(_NetworkFormatter):
        label = gettext_lazy("Member added, first editor invited")

    @actions.register_action(OFFBOARD_ACTION)
    class Offboarded(LogFormatter):
        label = gettext_lazy("Member removed from the network")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            moved = ", ".join(
                f"{c.get('title')} ({c.get('outcome')})" for c in data.get("cases", [])
            )
            return _(
                "Left on %(date)s; cases to %(to)s: %(cases)s; "
                "%(staff)d staff signed out, %(deactivated)d deactivated"
            ) % {
                "date": data.get("ended_on", ""),
                "to": data.get("reassigned_to_name") or "—",
                "cases": moved or "—",
                "staff": len(data.get("staff", [])),
                "deactivated": len(data.get("deactivated", [])),
            }

    @actions.register_action(COSIGN_ACTION)
    class Cosigned(_NetworkFormatter):
        label = gettext_lazy("Co-signed for a member")
