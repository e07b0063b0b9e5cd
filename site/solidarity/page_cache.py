"""Public pages for anonymous visitors served from the cache, so that a spike of
visitors after news coverage does not take the site down.

Only live, public Wagtail pages are cached (`before_serve_page` marks them), only
for visitors without a session, and only 200 responses that set no cookie. Every
publish, unpublish, move or deletion of a page, and every change to a snippet,
setting or image, moves the cache to a new generation: all cached pages are
invalidated at once, so an unpublished person vanishes immediately.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

logger = logging.getLogger(__name__)
GENERATION_KEY = "page-cache:generation"
# Never pages: the cache is not even asked for these.
NOT_PAGES = ("/admin/", "/healthz", "/api/", "/media/", "/img/", "/static/", "/i18n/")
MARK = "_solidarity_cacheable_page"


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def purge_public_pages() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def mark_cacheable(request) -> None:
    setattr(request, MARK, True)


def _cache_key(request) -> str:
    generation = current_generation()
    return f"page-cache:{generation}:{request.get_host()}:{request.get_full_path()}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            return self.get_response(request)
        try:
            key = _cache_key(request)
            cached = cache.get(key)
        except Exception:  # a cache outage must not take the pages down with it
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            content, content_type, language = cached
            response = HttpResponse(content, content_type=content_type)
            if language:
                response["Content-Language"] = language
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._may_store(request, response):
            self._store(key, response)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _store(key, response) -> None:
        try:
            cache.set(
                key,
                (
                    response.content,
                    response["Content-Type"],
                    response.get("Content-Language"),
                ),
                timeout=settings.PAGE_CACHE_SECONDS,
            )
        except Exception:
            logger.warning("page cache unavailable", exc_info=True)

    @staticmethod
    def _may_use_cache(request) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path_info.startswith(NOT_PAGES)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    @staticmethod
    def _may_store(request, response) -> bool:
        user = getattr(request, "user", None)
        return bool(
            getattr(request, MARK, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and not (user and user.is_authenticated)
        )
