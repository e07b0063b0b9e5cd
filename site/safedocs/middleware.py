from django.utils.cache import patch_cache_control

PUBLIC = "public"
STAFF_ONLY = "staff-only"
_VERDICT = "_safedocs_verdict"


def record_verdict(request, verdict: str) -> None:
    setattr(request, _VERDICT, verdict)


class DocumentCacheControlMiddleware:
    """Cache-Control for the documents the serve hook let through.

    Wagtail's serve view sends Last-Modified and no Cache-Control, so a proxy could
    keep a document after its page is unpublished; and a before_serve_document hook
    cannot change the response (Wagtail ignores a FileResponse it returns).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        verdict = getattr(request, _VERDICT, None)
        if verdict == PUBLIC:
            # Browsers and proxies must ask again: a document may stop being public.
            patch_cache_control(response, public=True, no_cache=True)
        elif verdict == STAFF_ONLY:
            patch_cache_control(response, private=True, no_cache=True)
        return response
