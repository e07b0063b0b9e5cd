"""Small site-wide views that are not pages."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the
    static file rather than log a 404 on every first visit."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
