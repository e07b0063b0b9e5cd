"""Django's LocaleMiddleware, without its guess at a missing language prefix for
addresses that exist without one.

On a 404 Django tries the path again under /uk/…, and the page tree's catch-all
route there accepts any path, so an API answer of "no such page" (a draft's id at
/api/v2/pages/<id>/) became a redirect to /uk/api/… and only then a 404. A path
that resolves without a prefix belongs to a route outside `i18n_patterns` (the API,
images, share cards): its view's 404 is the answer.
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LanguagePrefixLocaleMiddleware(LocaleMiddleware):
    def process_response(self, request, response):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if (
            response.status_code == 404
            and not translation.get_language_from_path(request.path_info)
            and is_valid_path(request.path_info, urlconf)
        ):
            # The headers Django adds to an unprefixed answer, without the redirect.
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        return super().process_response(request, response)
