"""The browser's rules for our pages: Content-Security-Policy and Permissions-Policy.

Public pages get the strict policy of `CONTENT_SECURITY_POLICY` (settings): our own
scripts, styles, fonts and connections only, no inline code, no `unsafe-*`, forms
posted to us or to Stripe Checkout (the donate form's redirect), framed by
ourselves only. The Wagtail admin and the Board's plotly dashboard get
`ADMIN_CONTENT_SECURITY_POLICY`: Wagtail starts its widgets with inline scripts, and
Wagtail and plotly write inline styles. The admin's previews render public templates
with an editor's draft in them, so they keep the public policy, as the page will have
once published.

Both middlewares sit outside the page cache, so a cached page is answered with the
same headers as a fresh one, and a change of policy reaches cached pages at once.
The policy is chosen by path, not by view decorators, for the same reason: a cache
hit never runs the view.
"""

import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ADMIN_PREFIXES = ("/admin/",)
# Wagtail's previews of a page or a snippet: the preview panel's iframe, "Preview in
# new tab", a workflow task's preview, a draft and an old revision.
PREVIEW_PATH = re.compile(
    r"^/admin/(?:"
    r"pages/\d+/edit/preview/"
    r"|pages/add/[^/]+/[^/]+/\d+/preview/"
    r"|pages/workflow/preview/\d+/\d+/"
    r"|pages/\d+/view_draft/"
    r"|pages/\d+/revisions/\d+/view/"
    r"|snippets/[^/]+/[^/]+/preview/"
    r"|snippets/[^/]+/[^/]+/history/[^/]+/revisions/\d+/view/"
    r")"
)


class PathPolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin policy for the admin's paths."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(ADMIN_PREFIXES)
            and not PREVIEW_PATH.match(request.path_info)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class PermissionsPolicyMiddleware:
    """Turns off browser features no page of ours uses (settings.PERMISSIONS_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
