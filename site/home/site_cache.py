"""What every public page needs and what rarely changes, kept in the cache under
the page cache's generation instead of asked of the database on every request.

The Site, the route from an address to its page, the page's view restrictions,
the list of private sections, the site settings, the home pages, the menu, the
footer and the language links are the same for every visitor until an editor
publishes, unpublishes, moves or deletes a page, or changes a snippet, a setting,
a Site or a privacy restriction. Each of those moves the page cache to a new
generation (home/signals.py), and every key here names the generation, so a
change is seen on the next request. Nothing here holds a draft: only live pages
are routed and listed, and a routed page is loaded again from the database,
`live` checked, on every request.

Entries also expire after SECONDS, so a lost purge cannot keep them for ever.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Page, PageViewRestriction, Site

SECONDS = 600
MEMO_ENTRIES = 20_000
_GENERATION_ATTR = "_solidarity_generation"
# The request being answered, so that helpers called without it (selectors,
# models) still read the generation once per request.
_request: ContextVar = ContextVar("solidarity_site_cache_request", default=None)


def generation(request=None) -> int:
    """The page cache's generation, read once per request (one cache round trip)."""
    from solidarity.page_cache import current_generation

    request = request if request is not None else _request.get()
    if request is not None and hasattr(request, _GENERATION_ATTR):
        return getattr(request, _GENERATION_ATTR)
    try:
        value = current_generation()
    except Exception:  # the cache is down: a number no entry was kept under
        value = time.time_ns()
    if request is not None:
        setattr(request, _GENERATION_ATTR, value)
    return value


class _Memo:
    """This process's copy of what it read from the shared cache, for the current
    generation only: the generation is still read from the shared cache on every
    request, so a purge on any node is seen here on the next request. It saves a
    round trip per entry; entries are treated as read-only."""

    def __init__(self):
        self.generation = None
        self.entries: dict[str, tuple[float, Any]] = {}

    def get(self, generation_now: int, key: str):
        if self.generation != generation_now:
            self.generation, self.entries = generation_now, {}
            return None
        found = self.entries.get(key)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    def set(self, generation_now: int, key: str, value) -> None:
        if self.generation != generation_now or len(self.entries) >= MEMO_ENTRIES:
            self.generation, self.entries = generation_now, {}
        self.entries[key] = (time.monotonic() + SECONDS, value)


_memo = _Memo()


def _get(key: str, request=None):
    generation_now = generation(request)
    value = _memo.get(generation_now, key)
    if value is None:
        try:
            value = cache.get(f"site-cache:{generation_now}:{key}")
        except Exception:  # a cache outage must not take the pages down with it
            return None
        if value is not None:
            _memo.set(generation_now, key, value)
    return value


def _set(key: str, value, request=None) -> None:
    generation_now = generation(request)
    try:
        cache.set(f"site-cache:{generation_now}:{key}", value, timeout=SECONDS)
    except Exception:
        return
    _memo.set(generation_now, key, value)


def cached(key: str, compute: Callable[[], Any], *, request=None) -> Any:
    """`compute()`, kept under `key` in this generation. None is not kept."""
    value = _get(key, request)
    if value is None:
        value = compute()
        if value is not None:
            _set(key, value, request)
    return value


# --- The Site and the route -------------------------------------------------------


def site_for_request(request) -> Site | None:
    """Site.find_for_request, without a query once the Site is cached."""
    if not hasattr(request, "_wagtail_site"):
        host = request._get_raw_host()
        port = request.get_port()
        site_id = cached(
            f"site:{host}:{port}",
            lambda: getattr(Site._find_for_request(request), "pk", None),
            request=request,
        )
        request._wagtail_site = (
            site_by_id(site_id, request=request)
            if site_id
            else Site._find_for_request(request)
        )
    return request._wagtail_site


def site_by_id(site_id: int, *, request=None) -> Site:
    return cached(
        f"site-object:{site_id}",
        lambda: Site.objects.select_related("root_page").get(pk=site_id),
        request=request,
    )


def _route_uncached(request, site: Site, components: list[str]):
    root = site.root_page.localized.specific
    result = root.route(request, components)
    page = result[0]
    consumed = page.depth - root.depth
    if page.url_path.startswith(root.url_path) and 0 <= consumed <= len(components):
        return result, (page.pk, page.specific_class._meta.label_lower, consumed)
    return result, None


def route_for_request(request, path: str):
    """Wagtail's routing, with the page found by one query on its primary key.

    The cache holds which page an address leads to (in this language and
    generation), never the page itself: the page is read again, live only, and
    routes what is left of the address itself (a RoutablePage's sub-route).
    """
    from django.apps import apps
    from django.http import Http404

    site = site_for_request(request)
    if site is None:
        return None
    components = [c for c in path.split("/") if c]
    from django.utils import translation

    key = f"route:{site.pk}:{translation.get_language()}:{'/'.join(components)}"
    target = _get(key, request)
    if target is not None:
        pk, label, consumed = target
        model = apps.get_model(label)
        # A page type may name what its template reads (`routed_queryset`).
        loader = getattr(model, "routed_queryset", None)
        queryset = loader() if loader else model.objects.select_related("locale")
        page = queryset.live().filter(pk=pk).first()
        if page is not None:
            try:
                return page.route(request, components[consumed:])
            except Http404:
                return None
    try:
        result, target = _route_uncached(request, site, components)
    except Http404:
        return None
    if target is not None:
        _set(key, target, request)
    return result


class CachedRouteMiddleware:
    """Finds the Site and the page of a Wagtail address from the cache, before
    Wagtail's serve view would look them up in the database (it reads what is
    set on the request: `_wagtail_site`, `_wagtail_route_for_request`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail import views as wagtail_views

        if (
            view_func is wagtail_views.serve
            and request.method in ("GET", "HEAD")
            and not hasattr(request, "_wagtail_route_for_request")
        ):
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            if not hasattr(request, "_wagtail_cached_site_root_paths"):
                # Where Page.get_url() looks first; Wagtail's own copy is one more
                # round trip to the cache per request.
                request._wagtail_cached_site_root_paths = cached(
                    "site-root-paths", Site.get_site_root_paths, request=request
                )
            request._wagtail_route_for_request = route_for_request(request, path)
        return None


# --- Privacy ----------------------------------------------------------------------


def private_paths() -> tuple[str, ...]:
    """The tree paths of every page with a view restriction (few, or none)."""
    return cached(
        "private-paths",
        lambda: tuple(
            sorted(PageViewRestriction.objects.values_list("page__path", flat=True))
        ),
    )


def private_q() -> Q:
    """Pages inside a private section, as Wagtail's `PageQuerySet.private_q()`,
    without asking the database for the restrictions on every request."""
    q = Q()
    for path in private_paths():
        q |= Q(path__startswith=path)
    return q if q else Q(pk__in=[])


def public(queryset):
    """`queryset.public()`, from the cached list of private sections."""
    return queryset.exclude(private_q())


class CachedViewRestrictionsMixin:
    """A page whose view restrictions (its own and its ancestors') are looked up
    once per generation. With none, Wagtail's check runs no query at all."""

    def get_view_restrictions(self):
        ids = cached(
            f"restrictions:{self.pk}",
            lambda: list(
                super(CachedViewRestrictionsMixin, self)
                .get_view_restrictions()
                .values_list("pk", flat=True)
            ),
        )
        if not ids:
            return PageViewRestriction.objects.none()
        return PageViewRestriction.objects.filter(pk__in=ids)


def page_link_targets(page: Page) -> dict[str, Page]:
    """The live translations of `page` by language code, itself included."""

    def compute():
        return {
            p.locale.language_code: p
            for p in page.get_translations(inclusive=True)
            .live()
            .select_related("locale")
            .defer_streamfields()
        }

    if not page.pk:  # a preview of a page never saved
        return compute()
    return cached(f"translations:{page.pk}", compute)
