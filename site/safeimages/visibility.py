"""Whether an image may be shown to the public right now."""

from wagtail.models import Page, ReferenceIndex


def image_is_public(image) -> bool:
    """True while a live, unrestricted page shows this image to visitors.

    The reference index records what each page's live content points at; a page
    type can refuse to expose an image it references (a profile whose photo has no
    consent, or is hidden) through `exposes_image(image)`.
    """
    references = ReferenceIndex.get_references_to(image).filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
    )
    page_ids = {int(ref.object_id) for ref in references}
    if not page_ids:
        return False
    for page in Page.objects.live().public().filter(pk__in=page_ids).specific():
        exposes = getattr(page, "exposes_image", None)
        if exposes is None or exposes(image):
            return True
    return False
