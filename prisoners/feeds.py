"""RSS and Atom feeds of profile updates: published profiles, public parts only."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

FEED_LENGTH = 50


class ProfileUpdatesRssFeed(Feed):
    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.index_page.title

    def link(self):
        return self.index_page.get_url(request=self.request)

    def description(self):
        return self.index_page.intro or _(
            "Updates to the profiles of political prisoners."
        )

    def items(self):
        return (
            self.index_page.profiles()
            .select_related("home_region")
            .order_by("-last_published_at")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        lines = [item.get_status_display()]
        if item.shows("home_region") and item.home_region:
            lines.append(item.home_region.name)
        if item.assessment_summary:
            lines.append(item.assessment_summary[:400])
        return " — ".join(lines)

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class ProfileUpdatesAtomFeed(ProfileUpdatesRssFeed):
    feed_type = Atom1Feed
    subtitle = ProfileUpdatesRssFeed.description
