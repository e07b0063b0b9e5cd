from django.apps import AppConfig


class PrisonersConfig(AppConfig):
    name = "prisoners"
