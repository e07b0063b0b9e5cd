from wagtail import hooks

from solidarity.page_cache import mark_cacheable


@hooks.register("before_serve_page")
def cache_live_public_pages(page, request, serve_args, serve_kwargs):
    # A page behind a view restriction answers 200 only to visitors with a session
    # (a password or a sign-in), and those are never served from or into the cache.
    if page.live and not getattr(request, "is_preview", False):
        mark_cacheable(request)
