from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from .permission_policy import register

        register()
        from . import admin_scope, signals  # noqa: F401
