"""Whether an image may be shown to the public right now."""

from collections.abc import Iterator

from wagtail.models import Page, ReferenceIndex


def live_public_pages_referencing(obj) -> Iterator[Page]:
    """The live, unrestricted pages whose live content points at `obj`.

    The reference index records what each page's own row holds, which for a live
    page is its live content: a draft's changes wait in a revision, not indexed.
    """
    references = ReferenceIndex.get_references_to(obj).filter(
        base_content_type__app_label="wagtailcore",
        base_content_type__model="page",
    )
    page_ids = {int(ref.object_id) for ref in references}
    if not page_ids:
        return iter(())
    return iter(Page.objects.live().public().filter(pk__in=page_ids).specific())


def image_is_public(image) -> bool:
    """True while a live, unrestricted page shows this image to visitors.

    A page type can refuse to expose an image it references (a profile whose photo
    has no consent, or is hidden) through `exposes_image(image)`.
    """
    for page in live_public_pages_referencing(image):
        exposes = getattr(page, "exposes_image", None)
        if exposes is None or exposes(image):
            return True
    # A public member's logo is shown on the network's pages; a hidden member's
    # logo is served to nobody.
    from network.models import Member

    return Member.objects.public().filter(logo=image).exists()
