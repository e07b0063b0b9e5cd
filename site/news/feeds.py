"""RSS and Atom feeds of one language's news list: live, public articles only, with
absolute links built from each page's full URL."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .selectors import for_cards

FEED_LENGTH = 30


class NewsRssFeed(Feed):
    def __init__(self, index_page):
        super().__init__()
        self.index_page = index_page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.index_page.title

    def link(self):
        return self.index_page.get_full_url(request=self.request)

    def feed_url(self):
        return self.link() + self.index_page.reverse_subpage(self.route_name)

    route_name = "rss_feed"

    def description(self):
        return self.index_page.intro or _("News and analysis from the network.")

    def items(self):
        return for_cards(self.index_page.articles())[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(request=self.request)

    def item_guid(self, item):
        return item.get_full_url(request=self.request)

    def item_author_name(self, item):
        return item.author_line or None

    def item_categories(self, item):
        return [item.get_kind_display()]

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_published_at


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    route_name = "atom_feed"
    subtitle = NewsRssFeed.description
