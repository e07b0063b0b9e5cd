from django.http import Http404
from wagtail import hooks

from accounts.second_factor import is_staff_member, session_used_second_factor

from .middleware import PUBLIC, STAFF_ONLY, record_verdict
from .visibility import document_is_public


@hooks.register("before_serve_document")
def serve_only_linked_documents(document, request):
    """Documents for the public only while a live page links them, so that an
    unpublished page takes its files with it; staff who passed the second factor
    (as for /media/) get any document, from the admin's links."""
    if document_is_public(document):
        record_verdict(request, PUBLIC)
    elif is_staff_member(request.user) and session_used_second_factor(request):
        record_verdict(request, STAFF_ONLY)
    else:
        # 404 rather than 403: a visitor must not learn that the document exists.
        raise Http404
