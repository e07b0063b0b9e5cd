from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from home.site_address import set_default_site_address


class Command(BaseCommand):
    help = (
        "Point the default Wagtail Site at the public address, so that the API, the "
        "feeds and the sitemap link to it. Without an argument, uses SITE_URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", help="e.g. https://solidarity.example")

    def handle(self, *args, url=None, **options):
        url = url or settings.SITE_URL
        if not url:
            raise CommandError("Give an address, or set SITE_URL.")
        try:
            site = set_default_site_address(url=url)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        if site is None:
            raise CommandError("There is no default site yet: run `migrate` first.")
        self.stdout.write(f"The site's links now start with {site.root_url}/")
