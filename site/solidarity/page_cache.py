"""Public pages for anonymous visitors served from the cache, so that a spike of
visitors after news coverage does not take the site down.

Only live, public Wagtail pages are cached (`before_serve_page` marks them), only
for visitors without a session, and only 200 responses that set no cookie. Every
publish, unpublish, move or deletion of a page, and every change to a snippet,
setting or image, moves the cache to a new generation: all cached pages are
invalidated at once, so an unpublished person vanishes immediately.

A cached page is answered with the headers its first response had (X-Frame-Options,
Vary, Cache-Control, and whatever the middlewares inside this one added), so that a
hit is the same response as a miss, security headers included.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

logger = logging.getLogger(__name__)
GENERATION_KEY = "page-cache:generation"
# Never pages: the cache is not even asked for these.
NOT_PAGES = ("/admin/", "/healthz", "/api/", "/media/", "/img/", "/static/", "/i18n/")
MARK = "_solidarity_cacheable_page"


# Bumped when the stored form changes, so that a deploy never reads the old form.
KEY_VERSION = 3
# Headers a cached copy must not repeat: whether it was a hit is said anew each time.
NOT_STORED_HEADERS = frozenset({"x-page-cache", "set-cookie"})


def _fresh_generation() -> int:
    # Never a number used before: if the generation key is lost (evicted, culled by
    # the database cache, a cache restart) while pages cached under an old number
    # survive, starting again at 1 would bring an unpublished person back.
    return time.time_ns()


def current_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
        if generation is None:  # the cache refuses writes: cache nothing reusable
            return _fresh_generation()
    return generation


def _next_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def purge_public_pages() -> None:
    _next_generation()
    # A cache outside the database (Redis) sees the new generation before the change
    # is committed: a worker rendering the page in between would store the old page
    # under the new generation. Moving on once more after the commit closes that.
    transaction.on_commit(_next_generation)


def mark_cacheable(request) -> None:
    setattr(request, MARK, True)


def _cache_key(request) -> str:
    host, path = request.get_host(), request.get_full_path()
    return f"page-cache:v{KEY_VERSION}:{host}:{path}"


def _lookup(key: str):
    """(generation now, the stored copy if it belongs to that generation).

    One round trip for both: a stored copy carries the generation it was rendered
    under, instead of the key naming it, so a hit costs one Redis command, not two.
    """
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return generation, stored[1:]
    return generation, None


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self._may_use_cache(request):
            response = self.get_response(request)
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                self._private(response)
            return response
        try:
            key = _cache_key(request)
            generation, cached = _lookup(key)
        except Exception:  # a cache outage must not take the pages down with it
            logger.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content)
            for name, value in headers:
                response[name] = value
            self._vary_on_cookie(response)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._may_store(request, response):
            self._public(response)
            self._store(key, generation, response)
            self._vary_on_cookie(response)
            response["X-Page-Cache"] = "miss"
        return response

    @staticmethod
    def _public(response) -> None:
        # A CDN or Varnish in front keeps the page only briefly: the purge reaches
        # this cache on every node at once, but not a proxy's copy. Stored with the
        # page, so that a hit says the same as the miss did.
        if "Cache-Control" not in response:
            patch_cache_control(
                response,
                public=True,
                max_age=0,
                s_maxage=settings.PAGE_CACHE_SHARED_SECONDS,
            )

    @staticmethod
    def _private(response) -> None:
        # Rendered for a session (perhaps a signed-in editor seeing names of
        # reviewers, or a donor's own page): no shared cache may keep it, even one
        # that ignores Vary: Cookie.
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True)

    @staticmethod
    def _vary_on_cookie(response) -> None:
        # Whether this cache answers depends on the session cookie, so downstream
        # caches must keep signed-in and anonymous copies apart. The session
        # middleware says so on a miss (the page read the session); a hit does not
        # reach it.
        patch_vary_headers(response, ("Cookie",))

    @staticmethod
    def _store(key, generation, response) -> None:
        try:
            # Every header, not a chosen few: the view's and those of the middlewares
            # inside this one (X-Frame-Options, Content-Length) are not made again on
            # a hit.
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in NOT_STORED_HEADERS
            ]
            cache.set(
                key,
                (generation, response.content, headers),
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
