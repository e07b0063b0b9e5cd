"""What purges the public page cache: any change that can alter a public page."""

from functools import cache

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_slug_changed,
    page_unpublished,
    post_page_move,
)

from solidarity.page_cache import purge_public_pages


@cache
def _models_shown_on_pages() -> frozenset:
    from django.apps import apps
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.images import get_image_model
    from wagtail.models import Locale, PageViewRestriction, Site
    from wagtail.snippets.models import get_snippet_models

    models = set(get_snippet_models()) | {get_image_model()}
    # The routes, privacy and language links kept by home/site_cache.py: a new
    # privacy restriction must hide its pages at once.
    models |= {Site, Locale, PageViewRestriction}
    models |= {m for m in apps.get_models() if issubclass(m, BaseSiteSetting)}
    return frozenset(models)


def _purge(sender, **kwargs):
    purge_public_pages()


def _purge_if_shown(sender, instance, **kwargs):
    if isinstance(instance, Page) and kwargs.get("signal") is post_delete:
        purge_public_pages()
    elif type(instance) in _models_shown_on_pages():
        purge_public_pages()


def connect() -> None:
    page_published.connect(_purge, dispatch_uid="page-cache-published")
    page_unpublished.connect(_purge, dispatch_uid="page-cache-unpublished")
    page_slug_changed.connect(_purge, dispatch_uid="page-cache-slug")
    post_page_move.connect(_purge, dispatch_uid="page-cache-moved")
    post_save.connect(_purge_if_shown, dispatch_uid="page-cache-saved")
    post_delete.connect(_purge_if_shown, dispatch_uid="page-cache-deleted")
