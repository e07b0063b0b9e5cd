from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BaseDjangoAuthPermissionPolicy
from wagtail.permissions import register_permission_policy

from solidarity.exports import SafeExportViewSetMixin

from .models import OutboxMessage
from .services import outbox_retry

RUN_OUTBOX = "outbox.run_outbox"


class OutboxPermissionPolicy(BaseDjangoAuthPermissionPolicy):
    """One permission for the whole screen: "Can see and resend outgoing email",
    held by no staff group unless an administrator gives it (superusers have it).
    Nobody adds, edits or deletes a message here."""

    def user_has_permission(self, user, action):
        return action == "view" and user.has_perm(RUN_OUTBOX)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return self._get_users_with_any_permission_codenames({"run_outbox"})


register_permission_policy(OutboxMessage, OutboxPermissionPolicy(OutboxMessage))

# What the screen may show: never the subject, body, links or addresses, which
# stay sealed (outbox.sealing).
SHOWN = [
    "template",
    "recipient_domains",
    "status",
    "attempts",
    "created_at",
    "next_attempt_at",
    "sent_at",
    "last_error",
]


class OutboxViewSet(SafeExportViewSetMixin, ModelViewSet):
    """Whoever runs the site sees every outgoing email's fate (template, recipients'
    domain, status, attempts), and sends failed ones again."""

    model = OutboxMessage
    icon = "mail"
    menu_label = gettext_lazy("Outgoing email")
    add_to_settings_menu = True
    list_display = SHOWN
    list_filter = ["status", "template"]
    search_fields = ["template", "recipient_domains"]
    inspect_view_enabled = True
    inspect_view_fields = SHOWN
    form_fields = []  # nothing to edit: messages are only sent again
    list_export = SHOWN

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/retry/", require_POST(self.retry_view), name="retry"),
        ]

    def retry_view(self, request, pk):
        if not request.user.has_perm(RUN_OUTBOX):
            return redirect("wagtailadmin_home")
        message = get_object_or_404(OutboxMessage, pk=pk)
        outbox_retry(message_pk=message.pk)
        messages.success(request, _("The message will be sent again."))
        return redirect(reverse(self.get_url_name("index")))


outbox_viewset = OutboxViewSet("outbox")


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return outbox_viewset
