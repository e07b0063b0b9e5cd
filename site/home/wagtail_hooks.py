from wagtail import hooks

from solidarity.page_cache import mark_cacheable


@hooks.register("before_serve_page")
def cache_live_public_pages(page, request, serve_args, serve_kwargs):
    if page.live and not getattr(request, "is_preview", False):
        if not page.get_view_restrictions().exists():
            mark_cacheable(request)
