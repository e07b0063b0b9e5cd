from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import OutboxMessage
from .services import outbox_retry


class OutboxViewSet(ModelViewSet):
    """Staff see every outgoing email's fate, and send failed ones again."""

    model = OutboxMessage
    icon = "mail"
    menu_label = gettext_lazy("Outgoing email")
    add_to_settings_menu = True
    list_display = [
        "subject",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    inspect_view_enabled = True
    form_fields = []  # nothing to edit: messages are only sent again
    list_export = [
        "subject",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "last_error",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/retry/", require_POST(self.retry_view), name="retry"),
        ]

    def retry_view(self, request, pk):
        if not request.user.has_perm("outbox.change_outboxmessage"):
            return redirect("wagtailadmin_home")
        message = get_object_or_404(OutboxMessage, pk=pk)
        outbox_retry(message_pk=message.pk)
        messages.success(request, _("The message will be sent again."))
        return redirect(reverse(self.get_url_name("index")))


outbox_viewset = OutboxViewSet("outbox")


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return outbox_viewset
