from django.apps import AppConfig


class SafeDocsConfig(AppConfig):
    name = "safedocs"
    verbose_name = "Documents"

    def ready(self):
        from . import signals

        signals.connect()
