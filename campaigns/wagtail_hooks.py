from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from campaigns.admin_filters import SignatureFilterSet
from campaigns.choices import SignatureStatus, SignerKind
from campaigns.models import CampaignTheme, Signature, StatementPage
from solidarity.exports import SafeExportViewSetMixin


class CampaignThemeViewSet(SnippetViewSet):
    model = CampaignTheme
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    add_to_admin_menu = False


register_snippet(CampaignThemeViewSet)


SIGNER_EMAILS = "campaigns.export_signer_emails"


class SignatureInspectView(InspectView):
    """A signature's details. Its email shows only to those allowed to contact
    signers; moderators see its domain, enough to tell an organisation's own
    address from a free mailbox before approving it."""

    def get_fields(self):
        fields = [f for f in super().get_fields() if f != "email_digest"]
        if self.request.user.has_perm(SIGNER_EMAILS):
            return fields
        return ["email_domain" if f == "email" else f for f in fields]

    def get_field_label(self, field_name, field):
        if field_name == "email_domain":
            return _("Email domain")
        return super().get_field_label(field_name, field)

    def get_email_domain_display_value(self):
        return self.object.email.rpartition("@")[2] or "-"


class SignatureViewSet(SafeExportViewSetMixin, ModelViewSet):
    """Moderating signatures: approve organisations, remove spam, export. Emails
    are shown and exported only to holders of "Can see and export signers' email
    addresses" (superusers), never publicly."""

    model = Signature
    icon = "user"
    menu_label = _("Signatures")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "kind", "country", "status", "approved", "confirmed_at"]
    filterset_class = SignatureFilterSet
    search_fields = ["name", "email"]
    form_fields = ["name", "show_name", "country", "website", "status", "approved"]
    list_export = [
        "statement_key",
        "kind",
        "name",
        "show_name",
        "country",
        "website",
        "email",
        "status",
        "approved",
        "created_at",
        "confirmed_at",
    ]
    export_filename = "signatures"
    export_column_permissions = {"email": SIGNER_EMAILS}
    inspect_view_enabled = True
    inspect_view_class = SignatureInspectView
    create_view_class = None

    def get_queryset(self, request):
        return Signature.objects.all()


signature_viewset = SignatureViewSet("signatures")


@hooks.register("register_admin_viewset")
def register_signature_viewset():
    return signature_viewset


class SignatureCountsPanel(Component):
    """On the admin dashboard: each statement's counts and what awaits moderation."""

    name = "signature_counts"
    order = 150

    def render_html(self, parent_context=None):
        counts = {
            row["statement_key"]: row
            for row in Signature.objects.values("statement_key").annotate(
                confirmed=Count("pk", filter=Q(status=SignatureStatus.CONFIRMED)),
                pending=Count("pk", filter=Q(status=SignatureStatus.PENDING)),
                to_approve=Count(
                    "pk",
                    filter=Q(
                        status=SignatureStatus.CONFIRMED,
                        kind=SignerKind.ORGANISATION,
                        approved=False,
                    ),
                ),
            )
        }
        statements = {}
        for statement in StatementPage.objects.order_by("pk"):
            statements.setdefault(statement.translation_key, statement)
        rows = [(s, counts.get(key, {})) for key, s in statements.items()]
        return render_to_string(
            "campaigns/admin/signature_counts_panel.html", {"rows": rows}
        )


@hooks.register("construct_homepage_panels")
def add_signature_counts(request, panels):
    if request.user.has_perm("campaigns.view_signature"):
        panels.append(SignatureCountsPanel())
