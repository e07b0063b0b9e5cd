from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from campaigns.blocks import CampaignBodyBlock
from campaigns.choices import CampaignStatus

from .theme import CampaignTheme


class CampaignIndexPage(Page):
    """The network's campaigns: active first, filterable by theme and region."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["campaigns.CampaignPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("campaign list")

    def get_context(self, request, *args, **kwargs):
        from campaigns.selectors import campaign_list, campaign_list_filters

        context = super().get_context(request, *args, **kwargs)
        theme = request.GET.get("theme", "")[:80]
        region = request.GET.get("region", "")[:80]
        context["campaigns"] = campaign_list(self, theme=theme, region=region)
        context["filters"] = campaign_list_filters(self)
        context["chosen"] = {"theme": theme, "region": region}
        return context


class CampaignPage(Page):
    """A time-bound public push for a person, a group or a theme, with a fundraising
    goal, the people it concerns, a statement to sign and dated updates."""

    summary = models.TextField(_("summary"), max_length=500)
    hero_image = models.ForeignKey(
        "safeimages.SafeImage",
        verbose_name=_("hero image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(CampaignBodyBlock(), blank=True, verbose_name=_("body"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.ACTIVE,
        db_index=True,
    )
    theme = models.ForeignKey(
        CampaignTheme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fundraising_goal = models.PositiveIntegerField(
        _("fundraising goal (EUR)"),
        default=0,
        help_text=_("In whole euros, the base currency; 0 for no goal."),
    )
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    statement = models.ForeignKey(
        "campaigns.StatementPage",
        verbose_name=_("statement to sign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("status"), FieldPanel("theme")]),
                FieldRowPanel([FieldPanel("fundraising_goal"), FieldPanel("ends_on")]),
                FieldPanel("statement"),
            ],
            heading=_("Campaign"),
        ),
        InlinePanel("prisoner_links", label=_("People it concerns")),
        InlinePanel("updates", label=_("Updates")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("status"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("status"),
        APIField("theme_slug"),
        APIField("ends_on"),
        APIField("fundraising"),
        APIField("people"),
        APIField("public_updates"),
        APIField("statement_id"),
    ]
    parent_page_types = ["campaigns.CampaignIndexPage"]
    subpage_types = ["campaigns.StatementPage"]

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    @property
    def theme_slug(self):
        return self.theme.slug if self.theme else None

    def fundraising(self) -> dict:
        from campaigns.selectors import campaign_progress

        return campaign_progress(self).as_dict()

    def live_prisoners(self):
        from prisoners.models import PrisonerPage

        return (
            PrisonerPage.objects.live()
            .public()
            .filter(campaign_links__campaign=self)
            .order_by("campaign_links__sort_order")
        )

    def people(self) -> list[dict]:
        return [{"id": p.pk, "name": p.title} for p in self.live_prisoners()]

    def public_updates(self) -> list[dict]:
        return [
            {"date": u.date.isoformat(), "title": u.title, "text": u.text}
            for u in self.updates.all()
        ]

    def get_context(self, request, *args, **kwargs):
        from campaigns.selectors import campaign_progress

        context = super().get_context(request, *args, **kwargs)
        context["prisoners"] = self.live_prisoners().select_related("home_region")
        context["progress"] = campaign_progress(self)
        context["statement"] = (
            self.statement if self.statement and self.statement.live else None
        )
        context["updates"] = self.updates.all()
        context["cta"] = self.calls_to_action(request, context)
        # The money block comes from the template (`{% campaign_money page %}`): the
        # campaign knows nothing of the money app.
        return context

    def calls_to_action(self, request, context) -> dict:
        statement = context["statement"]
        from prisoners.letters import has_letter_sheet

        # The first person a letter can reach today, by the letter sheet's rule; not
        # simply the first person, whose letters may be blocked or address stale.
        writable = next((p for p in context["prisoners"] if has_letter_sheet(p)), None)
        return {
            "donate_url": "#donate",
            "sign_url": statement.get_url(request) if statement else "",
            "write_url": f"{writable.get_url(request)}#write" if writable else "",
            "share_url": request.build_absolute_uri(self.get_url(request)),
        }


class CampaignPrisoner(Orderable):
    campaign = ParentalKey(
        CampaignPage, on_delete=models.CASCADE, related_name="prisoner_links"
    )
    prisoner = models.ForeignKey(
        "prisoners.PrisonerPage",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="campaign_links",
    )

    panels = [FieldPanel("prisoner")]


class CampaignUpdate(Orderable):
    campaign = ParentalKey(
        CampaignPage, on_delete=models.CASCADE, related_name="updates"
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    text = RichTextField(_("text"), blank=True, features=["bold", "italic", "link"])

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("title")]),
        FieldPanel("text"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["-date"]
