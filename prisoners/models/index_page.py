from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from home.site_cache import CachedViewRestrictionsMixin, public
from prisoners import choices
from prisoners.selectors import (
    FACET_CACHE_SECONDS,
    ProfileFilters,
    cached_listing,
    listing_key,
    profile_list,
)

PER_PAGE = 24


class PrisonerIndexPage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """The register of people the network defends: filters, search in any spelling,
    and a feed of profile updates."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["prisoners.PrisonerPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("prisoner list")

    def profiles(self):
        from .prisoner_page import PrisonerPage

        return public(PrisonerPage.objects.live().child_of(self))

    @path("")
    def index_route(self, request):
        filters = ProfileFilters.from_query(request.GET)
        base = self.profiles()
        listing = cached_listing(self, base, filters)
        results = profile_list(base, filters)
        paginator = Paginator(results, PER_PAGE)
        # Counted with the facets and cached with them: no COUNT(*) per request.
        paginator.count = listing["total"]
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
                "counts": listing["counts"],
                # The cards are a fragment kept as long as the counts (language,
                # list and page number in its key): the template says so.
                "cards_key": f"{listing_key(self, filters)}:{page_of_results.number}",
                "cards_seconds": FACET_CACHE_SECONDS,
                "statuses": choices.Status.choices,
                "persecution_types": choices.PersecutionType.choices,
                "criteria": choices.PaceCriterion.choices,
                "sorts": [
                    ("name", _("Name")),
                    ("-detained", _("Most recently detained")),
                    ("detained", _("Longest detained")),
                    ("-updated", _("Recently updated")),
                ],
            },
        )

    @path("feed/")
    def rss_feed(self, request):
        from prisoners.feeds import ProfileUpdatesRssFeed

        return ProfileUpdatesRssFeed(self)(request)

    @path("feed/atom/")
    def atom_feed(self, request):
        from prisoners.feeds import ProfileUpdatesAtomFeed

        return ProfileUpdatesAtomFeed(self)(request)

    @path("letters/")
    def letter_month(self, request):
        """ "Write a letter this month": people whose birthday falls in the month
        asked for (`?month=1`…`12`, the current one by default)."""
        from django.utils import timezone

        from prisoners.letters import birthday_label, letter_month_people, month_name

        today = timezone.localdate()
        asked = request.GET.get("month", "")
        month = int(asked) if asked.isdigit() and 1 <= int(asked) <= 12 else today.month
        people = letter_month_people(locale=self.locale, month=month, today=today)
        return self.render(
            request,
            template="prisoners/letter_month.html",
            context_overrides={
                "month": month,
                "month_name": month_name(month),
                "is_current_month": month == today.month,
                "previous_month": (month - 2) % 12 + 1,
                "previous_month_name": month_name((month - 2) % 12 + 1),
                "next_month": month % 12 + 1,
                "next_month_name": month_name(month % 12 + 1),
                "people": [
                    (person, birthday_label(person.birth_month, person.birth_day))
                    for person in people
                ],
            },
        )
