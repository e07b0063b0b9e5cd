"""The news list of one language and its articles.

Tags point at profiles and campaigns of any language: what counts is the page's
translation key, so tagging the Ukrainian profile also tags the English one, and a
list shows the tagged page in its own language, when that page is live and public.
"""

import datetime
import hashlib

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.site_cache import CachedViewRestrictionsMixin, cached, generation

from .blocks import ArticleBodyBlock
from .choices import ArticleKind

PER_PAGE = 12
CARDS_SECONDS = 600
PUBLIC_MEMBER = {"is_public": True, "ended_on__isnull": True}


class NewsIndexPage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """The news and analysis of one language: filters, search and RSS/Atom feeds.
    Articles are written as its children."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news list")

    def articles(self):
        from .selectors import public_articles

        return public_articles(locale=self.locale).child_of(self)

    @path("")
    def index_route(self, request):
        from .selectors import NewsFilters, filter_articles, news_filter_options

        base = self.articles()
        filters = NewsFilters.from_query(request.GET, locale=self.locale)
        results = filter_articles(base, filters)
        paginator = Paginator(results, PER_PAGE)
        # The count and the filters' options change only when a page does: kept
        # under the page cache's generation (home/site_cache.py).
        query = sorted(filters.as_query().items())
        digest = hashlib.sha256(repr(query).encode()).hexdigest()[:24]
        paginator.count = cached(
            f"news-count:{self.pk}:{digest}", results.count, request=request
        )
        try:
            page_of_results = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            page_of_results = paginator.page(1)
        return self.render(
            request,
            context_overrides={
                "filters": filters,
                "results": page_of_results,
                "result_count": paginator.count,
                "options": cached(
                    f"news-options:{self.pk}",
                    lambda: news_filter_options(base, locale=self.locale),
                    request=request,
                ),
                "kinds": ArticleKind.choices,
                # The cards: public articles only, the same for every visitor.
                "cards_key": (
                    f"{generation(request)}:{self.pk}:{digest}:"
                    f"{page_of_results.number}:{request.get_host()}"
                ),
                "cards_seconds": CARDS_SECONDS,
            },
        )

    @path("feed/")
    def rss_feed(self, request):
        from .feeds import NewsRssFeed

        return NewsRssFeed(self)(request)

    @path("feed/atom/")
    def atom_feed(self, request):
        from .feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)


class ArticlePage(CachedViewRestrictionsMixin, Page):
    """One piece of news, a statement of the network, a report of an event or an
    analysis, tagged to the people, campaigns and members it is about."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=ArticleKind.choices,
        default=ArticleKind.NEWS,
        db_index=True,
    )
    date = models.DateField(
        _("date"),
        default=datetime.date.today,
        db_index=True,
        help_text=_("Shown on the article and used to order the list."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("One or two sentences for lists, feeds and search results."),
    )
    image = models.ForeignKey(
        "safeimages.SafeImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Never a photo of a person without their photo consent."),
    )
    body = StreamField(ArticleBodyBlock(), blank=True, verbose_name=_("body"))
    author = models.CharField(
        _("author"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. a person's name or 'the network's secretariat'."),
    )
    author_member = models.ForeignKey(
        "network.Member",
        verbose_name=_("written by member organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # Only members any public page may name: a hidden member's name must not
        # even reach the editors of other members through this list.
        limit_choices_to=PUBLIC_MEMBER,
        help_text=_("Shown only while the member is public."),
    )
    members = ParentalManyToManyField(
        "network.Member",
        verbose_name=_("member organisations it is about"),
        blank=True,
        related_name="news_articles",
        limit_choices_to=PUBLIC_MEMBER,
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldRowPanel([FieldPanel("author"), FieldPanel("author_member")]),
        MultiFieldPanel(
            [
                InlinePanel("person_tags", label=_("People")),
                InlinePanel("campaign_tags", label=_("Campaigns")),
                FieldPanel("members", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("What it is about"),
            help_text=_(
                "Links show only while the profile, campaign or member is public."
            ),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("kind"),
        index.FilterField("date"),
    ]
    api_fields = [APIField("kind"), APIField("date"), APIField("summary")]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    @property
    def author_line(self) -> str:
        member = self.author_member
        if member is not None and member.shown_publicly:
            return member.name
        return self.author

    @property
    def published_at(self) -> datetime.datetime:
        """The date as a moment, for feeds: the first publication when it fell on
        that day, else the day's start."""
        first = self.first_published_at
        if first and timezone.localdate(first) == self.date:
            return first
        return timezone.make_aware(
            datetime.datetime.combine(self.date, datetime.time())
        )

    def get_context(self, request, *args, **kwargs):
        from .selectors import article_tags

        context = super().get_context(request, *args, **kwargs)
        tags = article_tags(article=self)
        context["tags"] = tags
        context["news_index"] = self.get_parent()
        context["network_index_url"] = ""
        if tags.members:
            from network.selectors import network_index

            index = network_index(self.locale)
            context["network_index_url"] = index.get_url(request) if index else ""
        return context


class ArticlePerson(Orderable):
    article = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="person_tags"
    )
    person = models.ForeignKey(
        "prisoners.PrisonerPage",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("person")]


class ArticleCampaign(Orderable):
    article = ParentalKey(
        ArticlePage, on_delete=models.CASCADE, related_name="campaign_tags"
    )
    campaign = models.ForeignKey(
        "campaigns.CampaignPage",
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("campaign")]
