import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model
from wagtail.images.views.serve import ServeView

from donations.models.allocation import PRIVATE_MEDIA_PREFIX

from .visibility import image_is_public


class PublicImageServeView(ServeView):
    """Signed rendition URLs for public pages, answering 404 once no live page
    shows the image, so that unpublishing a person also removes their photo."""

    def get(self, request, signature, image_id, filter_spec, filename=None):
        image = get_image_model().objects.filter(pk=image_id).first()
        if image is None or not image_is_public(image):
            raise Http404
        response = super().get(request, signature, image_id, filter_spec, filename)
        # Browsers and proxies must ask again: an image may stop being public.
        patch_cache_control(response, no_cache=True, public=True)
        return response


@require_GET
@login_required
def staff_media(request, path):
    """Uploaded files (originals and renditions) for the admin only; the public
    never gets a media URL."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    if path.startswith(PRIVATE_MEDIA_PREFIX):
        # Invoices name payees: only the Board's own view serves them.
        raise Http404
    if ".." in path.split("/") or not default_storage.exists(path):
        raise Http404
    content_type, _ = mimetypes.guess_type(path)
    response = FileResponse(default_storage.open(path), content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
