"""The address the Wagtail Site answers at, which every absolute link is built from.

The API, the feeds, the sitemap and share cards link to `Site.root_url`. Left at
Wagtail's default (`localhost:80`), they would send readers to a host that serves
nothing, so the demo sets it from the address it serves and production from
`SITE_URL`.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Site

_DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_site_url(url: str) -> tuple[str, int]:
    """The host and port of an address like `https://solidarity.example` or
    `http://127.0.0.1:8000`; a clear error for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValidationError(
            _("%(url)s is not a site address such as https://example.org."),
            params={"url": url},
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValidationError(
            _("%(url)s must be the site's root, without a path."), params={"url": url}
        )
    try:
        port = parts.port or _DEFAULT_PORTS[parts.scheme]
    except ValueError as error:
        raise ValidationError(
            _("%(url)s has no valid port."), params={"url": url}
        ) from error
    return parts.hostname.lower(), port


@transaction.atomic
def set_default_site_address(*, url: str) -> Site | None:
    """Point the default Site at `url`; returns it, or None when there is none yet."""
    hostname, port = parse_site_url(url)
    site = Site.objects.select_for_update().filter(is_default_site=True).first()
    if site is None:
        return None
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        # Saving a Site clears Wagtail's cached site root paths.
        site.save()
    return site
