from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import HomeBodyBlock
from .site_cache import CachedViewRestrictionsMixin, cached, public


class HomePage(CachedViewRestrictionsMixin, Page):
    """The network's front page, one per language: who we defend and how to help."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("One or two sentences under the title: what the network does."),
    )
    body = StreamField(HomeBodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "prisoners.PrisonerIndexPage",
        "campaigns.CampaignIndexPage",
        "campaigns.StatementIndexPage",
        "network.NetworkIndexPage",
        "news.NewsIndexPage",
        "events.EventIndexPage",
        "guides.GuideIndexPage",
    ]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The same for everyone until a page changes (home/site_cache.py).
        context["home_sections"] = cached(
            f"home-sections:{self.pk}", self.sections, request=request
        )
        return context

    def sections(self) -> dict:
        """The live, public sections under this home page by type
        ("prisoners.prisonerindexpage" → page), for the blocks' links. One query."""
        sections = {}
        children = public(
            Page.objects.child_of(self)
            .live()
            .select_related("content_type")
            .order_by("path")
        )
        for child in children:
            label = f"{child.content_type.app_label}.{child.content_type.model}"
            sections.setdefault(label, child)
        return sections


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """What the footer and page heads say about the network, edited in Settings."""

    organisation_name = models.CharField(
        _("organisation name"), max_length=120, default="Solidarity"
    )
    contact_email = models.EmailField(_("public contact email"), blank=True)
    secure_contact_note = models.CharField(
        _("secure contact note"),
        max_length=250,
        blank=True,
        help_text=_("How to reach the network safely, e.g. Signal number or PGP key."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("organisation_name"),
                FieldPanel("contact_email"),
                FieldPanel("secure_contact_note"),
            ],
            heading=_("Contact"),
        )
    ]

    class Meta:
        verbose_name = _("site settings")

    @classmethod
    def for_request(cls, request):
        """The settings every public page's head and footer show, kept in the cache
        (a change to them moves the page cache's generation); the admin edits
        through `for_site`, never this copy."""
        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        from .site_cache import site_for_request

        site = site_for_request(request)
        if site is None:
            return super().for_request(request)
        # Shared by the requests of this process, so without Wagtail's `_request`
        # (only page links in settings use it, and these settings have none).
        instance = cached(
            f"site-settings:{site.pk}", lambda: cls.for_site(site), request=request
        )
        setattr(request, attr_name, instance)
        return instance


@register_snippet
class FooterText(TranslatableMixin, models.Model):
    """The footer's text, one per language: the newest in the visitor's shows."""

    body = RichTextField(features=["bold", "italic", "link"], verbose_name=_("body"))

    panels = [FieldPanel("body")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer text")
        verbose_name_plural = _("footer texts")

    def __str__(self):
        return f"{_('Footer text')} ({self.locale})"
