"""Whether a document may be served to the public right now."""

from safeimages.visibility import live_public_pages_referencing


def document_is_public(document) -> bool:
    """True while a live, unrestricted page links this document.

    As with images, a page type can refuse to expose a document it references
    through `exposes_document(document)`.
    """
    for page in live_public_pages_referencing(document):
        exposes = getattr(page, "exposes_document", None)
        if exposes is None or exposes(document):
            return True
    return False
