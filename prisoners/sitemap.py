from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class AllLanguagesSitemap(Sitemap):
    """Every live, public page in every language (Wagtail's own sitemap covers only
    the default site's tree, which holds one language)."""

    def items(self):
        return (
            Page.objects.live()
            .public()
            .filter(depth__gt=1)
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
