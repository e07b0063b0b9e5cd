from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self):
        from campaigns import cache_purge  # noqa: F401  (moderation purges the cache)
