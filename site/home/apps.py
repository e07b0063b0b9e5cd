from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"

    def ready(self):
        from . import languages, signals

        languages.add_crimean_tatar()

        signals.connect()
        post_migrate.connect(apply_site_url, sender=self)


def apply_site_url(sender, **kwargs):
    """After every `migrate` (each deploy runs one), the Site follows SITE_URL."""
    from django.conf import settings

    from .site_address import set_default_site_address

    if settings.SITE_URL:
        set_default_site_address(url=settings.SITE_URL)
