from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from campaigns.choices import SignerKind, WhoMaySign


class StatementIndexPage(Page):
    """The list of joint statements the network has published."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["campaigns.StatementPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("statement list")

    def get_context(self, request, *args, **kwargs):
        from campaigns.selectors import signature_counts_for

        context = super().get_context(request, *args, **kwargs)
        statements = list(
            StatementPage.objects.live()
            .public()
            .descendant_of(self.get_parent())
            .order_by("-first_published_at")
        )
        counts = signature_counts_for([s.translation_key for s in statements])
        context["statements"] = [(s, counts.get(s.translation_key)) for s in statements]
        return context


class StatementPage(RoutablePageMixin, Page):
    """A joint statement that organisations and people sign. Signatures count once
    the signer confirms their email; all language versions share one count."""

    body = RichTextField(
        _("statement text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    who_may_sign = models.CharField(
        _("who may sign"),
        max_length=20,
        choices=WhoMaySign.choices,
        default=WhoMaySign.BOTH,
    )
    closes_at = models.DateTimeField(
        _("closes for signatures at"), null=True, blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("who_may_sign"), FieldPanel("closes_at")],
            heading=_("Signing"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    api_fields = [
        APIField("body"),
        APIField("who_may_sign"),
        APIField("closes_at"),
        APIField("signature_summary"),
    ]
    parent_page_types = ["campaigns.StatementIndexPage", "campaigns.CampaignPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("joint statement")
        verbose_name_plural = _("joint statements")

    @property
    def is_open(self) -> bool:
        return self.closes_at is None or self.closes_at > timezone.now()

    @property
    def allowed_kinds(self) -> list[str]:
        if self.who_may_sign == WhoMaySign.ORGANISATIONS:
            return [SignerKind.ORGANISATION]
        if self.who_may_sign == WhoMaySign.INDIVIDUALS:
            return [SignerKind.INDIVIDUAL]
        return [SignerKind.ORGANISATION, SignerKind.INDIVIDUAL]

    def signature_summary(self) -> dict:
        from campaigns.selectors import signature_counts

        return signature_counts(self.translation_key).as_dict()

    @path("")
    def statement(self, request):
        from campaigns import views

        return views.statement_page(request, self)

    @path("resend/")
    def resend(self, request):
        from campaigns import views

        return views.resend_confirmation(request, self)

    @re_path(r"^confirm/(?P<token>[-\w]+)/$")
    def confirm(self, request, token):
        from campaigns import views

        return views.confirm_signature(request, self, token)
