"""The guides and materials of one language: how to write to a prisoner safely, how
to challenge a Red Notice, asylum, and documents to download.

A guide's documents reach the public only while a live, public guide links them
(safedocs finds the links through Wagtail's reference index, which reads the
document blocks of the body)."""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import GuideBodyBlock
from .choices import GuideTopic

# A guide not reviewed for this long says so: laws, addresses and INTERPOL's rules
# change, and an old guide can send a letter to a closed colony.
STALE_AFTER = datetime.timedelta(days=365)


class GuideIndexPage(Page):
    """The guides of one language, grouped by topic, with a topic filter and
    search. Guides are written as its children."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["guides.GuidePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("guide list")

    def get_context(self, request, *args, **kwargs):
        from .selectors import GuideFilters, guides_by_topic, public_guides

        context = super().get_context(request, *args, **kwargs)
        base = public_guides(locale=self.locale).child_of(self)
        filters = GuideFilters.from_query(request.GET, locale=self.locale)
        groups = guides_by_topic(base, filters)
        context.update(
            filters=filters,
            groups=groups,
            result_count=sum(len(guides) for _, _, guides in groups),
            topics=[
                (value, label)
                for value, label in GuideTopic.choices
                if base.filter(topic=value).exists()
            ],
        )
        return context


class GuidePage(Page):
    """One guide: numbered steps, checklists, safety warnings and documents to
    download, with the date a person last checked it was still right."""

    topic = models.CharField(
        _("topic"), max_length=20, choices=GuideTopic.choices, db_index=True
    )
    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("One or two sentences for the list and search results."),
    )
    audience = models.CharField(
        _("who it is for"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. 'relatives of a person detained in Crimea'."),
    )
    body = StreamField(GuideBodyBlock(), blank=True, verbose_name=_("body"))
    last_reviewed = models.DateField(
        _("last reviewed"),
        default=datetime.date.today,
        help_text=_(
            "When someone last checked that the guide is still right. Shown on the "
            "guide; after a year it is marked as possibly out of date."
        ),
    )
    review_note = models.TextField(
        _("review note (editors only)"),
        blank=True,
        help_text=_(
            "Who checked it and what to check next time. Never shown on the site "
            "or in the API: a reviewing lawyer may not want to be named."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("topic"), FieldPanel("last_reviewed")]),
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("body"),
        InlinePanel("related_guides", label=_("Related guides")),
        FieldPanel("review_note"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("body"),
        index.FilterField("topic"),
    ]
    api_fields = [
        APIField("topic"),
        APIField("summary"),
        APIField("audience"),
        APIField("last_reviewed"),
        APIField("body"),
    ]
    parent_page_types = ["guides.GuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")

    @property
    def is_stale(self) -> bool:
        return timezone.localdate() - self.last_reviewed > STALE_AFTER

    def get_context(self, request, *args, **kwargs):
        from .selectors import related_guides

        context = super().get_context(request, *args, **kwargs)
        context["guide_index"] = self.get_parent()
        context["related"] = related_guides(guide=self)
        return context


class RelatedGuide(Orderable):
    """A guide to read next. Chosen in any language: the guide page shows its live
    translation in the page's own language."""

    guide = ParentalKey(
        GuidePage, on_delete=models.CASCADE, related_name="related_guides"
    )
    related = models.ForeignKey(
        GuidePage,
        verbose_name=_("guide"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("related")]
