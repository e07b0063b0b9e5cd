from django.apps import AppConfig


class SafeImagesConfig(AppConfig):
    name = "safeimages"
    verbose_name = "Images"
