from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from donations.stripe.webhook_views import stripe_webhook
from home.share_cards import share_card
from home.views import favicon
from prisoners.api import api_router
from prisoners.sitemap import AllLanguagesSitemap
from safeimages.views import PublicImageServeView, staff_media

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Wagtail's own sign-in form has no second factor: every admin sign-in goes
    # through allauth's, which asks for the TOTP code and is rate-limited.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Uploaded files are never public: staff see them, visitors get renditions
    # through `public_image`, which checks that a live page still shows them.
    path("media/<path:path>", staff_media, name="staff_media"),
    re_path(
        r"^img/([^/]*)/(\d*)/([^/]*)/[^/]*$",
        PublicImageServeView.as_view(),
        name="public_image",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v2/", api_router.urls),
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": AllLanguagesSitemap}}),
    path("favicon.ico", favicon),
    path("share/<int:page_id>.png", share_card, name="share_card"),
]


urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("donate/", include("donations.urls")),
    path("transparency/", include("donations.transparency.views")),
    path("report/", include("intake.urls")),
    path("sign/", include("campaigns.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
