"""Settings shared by every environment, read from the environment (django-environ).

`.env.example` lists every variable. Nothing here is secret: secrets come from the
environment, and production refuses to start without them (see production.py).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

SITE_DIR = Path(__file__).resolve().parent.parent.parent  # site/
BASE_DIR = SITE_DIR.parent  # the checkout

env = environ.Env()
# A developer's .env is read when present; real deployments set the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "home",
    "accounts",
    "safeimages",
    "safedocs",
    "outbox",
    "operations",
    "network",
    "intake",
    "prisoners",
    "campaigns",
    "donations",
    "news",
    "events",
    "guides",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_countries",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "anymail",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache: cached pages get the same policies as fresh ones.
    "solidarity.security_headers.PathPolicyCSPMiddleware",
    "solidarity.security_headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, minus the /uk/ redirect of a 404 from a route outside i18n_patterns.
    "solidarity.language_prefix.LanguagePrefixLocaleMiddleware",
    "solidarity.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    "accounts.page_screens.PageScreensMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "safedocs.middleware.DocumentCacheControlMiddleware",
    # Last, so that it sees the resolved view: Wagtail's serve gets its Site and
    # page from the cache (home/site_cache.py).
    "home.site_cache.CachedRouteMiddleware",
]

ROOT_URLCONF = "solidarity.urls"
WSGI_APPLICATION = "solidarity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Data ------------------------------------------------------------------------
# SQLite in the checkout is the embedded default for a first run; production and CI
# point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Production keeps connections (settings/production.py); a first run on SQLite and
# the tests open one per request, which costs nothing there.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASES["default"].setdefault(
    "CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=False)
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis is optional: without it the cache is a table in the database and Celery runs
# tasks inline, so a first run needs nothing but Python.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="solidarity"),
        }
    }
else:
    # Never per-process memory: every worker must see the same cache, or a purged
    # page (an unpublished person) lives on in the others and each counts sign-in
    # attempts apart. home's migration 0003 creates the table, so `migrate` is enough.
    # Culling starts past MAX_ENTRIES (300 by default would drop rate-limit counters).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "solidarity_cache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-outbox": {"task": "outbox.tasks.sweep_outbox", "schedule": 60.0},
    "repair-from-stripe": {
        "task": "donations.stripe.tasks.repair_from_stripe",
        "schedule": 3600.0,
    },
    "process-waiting-stripe-events": {
        "task": "donations.stripe.tasks.process_waiting_events",
        "schedule": 300.0,
    },
    # Erased donors' customers still to delete at Stripe (donations.donors).
    "erase-donors-at-stripe": {
        "task": "donations.donors.tasks.erase_at_stripe",
        "schedule": 600.0,
    },
    "forget-expired-manage-links": {
        "task": "donations.donors.tasks.forget_expired_manage_links",
        "schedule": 24 * 60 * 60.0,
    },
    "erase-old-signature-emails": {
        "task": "campaigns.tasks.erase_old_signature_emails",
        "schedule": 24 * 60 * 60.0,
    },
    "publish-scheduled-pages": {
        "task": "home.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    # Compares the ledger with Stripe for the previous RECONCILIATION_DAYS days and
    # emails the Board (donations.stripe.reconciliation).
    "reconcile-with-stripe": {
        "task": "donations.stripe.tasks.reconcile_with_stripe",
        "schedule": crontab(hour=3, minute=30),
    },
    # One email to the Board when something new needs attention (donations.attention).
    # Triage learns how many reports wait, and nothing else (site/intake/tasks.py).
    "intake-daily-count": {
        "task": "intake.tasks.send_triage_count",
        "schedule": crontab(hour=7, minute=0),
    },
    "intake-destroy-expired": {
        "task": "intake.tasks.destroy_expired",
        "schedule": crontab(hour=4, minute=10),
    },
    "send-attention-digest": {
        "task": "donations.attention.tasks.send_attention_digest",
        "schedule": crontab(minute=15),
    },
}
CELERY_TIMEZONE = "UTC"
# How many days before today the nightly reconciliation checks again (late events).
RECONCILIATION_DAYS = env.int("RECONCILIATION_DAYS", default=3)
# The Board's check of a range of days from the admin: at most this many days, and
# up to RECONCILIATION_INLINE_DAYS of them checked while the page waits (more in
# the background).
RECONCILIATION_RANGE_MAX_DAYS = env.int("RECONCILIATION_RANGE_MAX_DAYS", default=92)
RECONCILIATION_INLINE_DAYS = env.int("RECONCILIATION_INLINE_DAYS", default=7)

# What needs the Board's attention (donations/attention/selectors.py): a Stripe event
# or a repair shows after this many failed tries; a gift Stripe reported paid and the
# ledger lacks, this many minutes after the report; reconciliation problems of this
# many past days; no successful reconciliation for this many hours. The digest email
# is sent at most once per ATTENTION_DIGEST_MINUTES, and only with something new.
ATTENTION_AFTER_TRIES = env.int("ATTENTION_AFTER_TRIES", default=3)
ATTENTION_GIFT_MINUTES = env.int("ATTENTION_GIFT_MINUTES", default=120)
ATTENTION_RECONCILIATION_DAYS = env.int("ATTENTION_RECONCILIATION_DAYS", default=31)
ATTENTION_RECONCILIATION_HOURS = env.int("ATTENTION_RECONCILIATION_HOURS", default=36)
ATTENTION_DIGEST_MINUTES = env.int("ATTENTION_DIGEST_MINUTES", default=60)

# Anonymous visitors get public pages from the cache (see solidarity/page_cache.py).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# How long a CDN or Varnish in front may keep an anonymous page (s-maxage): the
# purge after a publish does not reach it, so this is how stale it may be.
PAGE_CACHE_SHARED_SECONDS = env.int("PAGE_CACHE_SHARED_SECONDS", default=1)

# The letter-writing month lists only people whose address was verified within
# this many months: an old address loses letters, or worse, reaches someone else.
LETTERS_ADDRESS_MAX_AGE_MONTHS = env.int("LETTERS_ADDRESS_MAX_AGE_MONTHS", default=6)

# --- Reports of persecution (site/intake) -------------------------------------------
# Argon2id's cost for passphrases and receipt codes: INTERACTIVE (64 MB, ~0.1 s),
# MODERATE (256 MB) or SENSITIVE (1 GB); the tests use MIN.
INTAKE_KDF_LEVEL = env.str("INTAKE_KDF_LEVEL", default="INTERACTIVE")
INTAKE_FILE_LIMITS = {
    "count": env.int("INTAKE_MAX_FILES", default=5),
    "bytes": env.int("INTAKE_MAX_FILE_BYTES", default=10_000_000),
    "total_bytes": env.int("INTAKE_MAX_TOTAL_BYTES", default=25_000_000),
}
# A report's request, files sealed in the browser included; anything bigger is cut.
INTAKE_MAX_REQUEST_BYTES = env.int("INTAKE_MAX_REQUEST_BYTES", default=40_000_000)
# Reports never accepted are destroyed this many days after they arrived.
INTAKE_RETENTION_DAYS = env.int("INTAKE_RETENTION_DAYS", default=90)
INTAKE_RATE_LIMITS = {
    "submit": {"limit": env.int("INTAKE_SUBMIT_PER_IP", default=5), "window": 3600},
    "receipt": {"limit": env.int("INTAKE_RECEIPT_PER_IP", default=10), "window": 3600},
    # Across all visitors: past this many reports an hour, the form also asks the
    # browser for a proof of work (the donate form's ALTCHA check).
    "busy": {"limit": env.int("INTAKE_BUSY_PER_HOUR", default=30), "window": 3600},
}
# An error report never shows uploaded files' names for a view marked sensitive.
DEFAULT_EXCEPTION_REPORTER = "solidarity.errors.DiscreetExceptionReporter"

# --- Joint statements ------------------------------------------------------------
SIGNATURE_CONFIRMATION_DAYS = env.int("SIGNATURE_CONFIRMATION_DAYS", default=7)
# Signers' emails are erased this long after confirmation; the signature stays.
SIGNATURE_EMAIL_RETENTION_DAYS = env.int("SIGNATURE_EMAIL_RETENTION_DAYS", default=90)
SIGNING_RATE_LIMITS = {
    "ip": {
        "limit": env.int("SIGNING_LIMIT_PER_IP", default=20),
        "window": 3600,
    },
    "email": {
        "limit": env.int("SIGNING_LIMIT_PER_EMAIL", default=3),
        "window": 3600,
    },
}
# Once this many signing attempts were made within the hour, across all visitors,
# the signing form asks the browser for ALTCHA's proof of work (0: always).
SIGNING_CHALLENGE_PER_HOUR = env.int("SIGNING_CHALLENGE_PER_HOUR", default=300)
# How many reverse proxies add themselves to X-Forwarded-For in front of the app.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# --- Donations -------------------------------------------------------------------
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# Another Stripe-compatible server (stripe-mock, say) for testing; empty for Stripe.
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")
STRIPE_WEBHOOK_TOLERANCE = env.int("STRIPE_WEBHOOK_TOLERANCE", default=300)
STRIPE_EVENT_MAX_ATTEMPTS = env.int("STRIPE_EVENT_MAX_ATTEMPTS", default=10)
# A typical European card fee's share, for the "cover the fees" option (the fixed
# part is per currency, in donations/ledger/money.py).
DONATION_FEE_SHARE = 0.015
# How long the manage-my-gifts link in a receipt works.
DONOR_LINK_DAYS = env.int("DONOR_LINK_DAYS", default=30)
# Who issues the annual donation receipts (donations/donors/annual/): the legal name
# (WAGTAIL_SITE_NAME when unset), its registration (register and number) and postal
# address, as a tax office expects them on a receipt.
ORGANISATION_LEGAL_NAME = env.str("ORGANISATION_LEGAL_NAME", default="")
ORGANISATION_REGISTRATION = env.str("ORGANISATION_REGISTRATION", default="")
ORGANISATION_ADDRESS = env.str("ORGANISATION_ADDRESS", default="")
# Checkout sessions one address / one browser may start per window. Generous per
# address: donors at risk share Tor exits and VPN addresses.
DONATION_RATE_LIMITS = {
    "ip": {"limit": env.int("DONATION_LIMIT_PER_IP", default=20), "window": 3600},
    "browser": {
        "limit": env.int("DONATION_LIMIT_PER_BROWSER", default=6),
        "window": 3600,
    },
}
# Card testing: when most checkout sessions of the last `window` seconds that have
# reached a verdict went unpaid (expired or failed; open sessions are no verdict yet),
# once there are `min_sessions` such, the form asks the browser for an ALTCHA proof of
# work before Stripe is called: find the counter (between half of `maxnumber` and
# `maxnumber`) whose key, `cost` rounds of `algorithm`, we signed.
# `always` turns it on regardless, for an operator under attack.
DONATION_CHALLENGE = {
    "window": 3600,
    "min_sessions": env.int("DONATION_CHALLENGE_MIN_SESSIONS", default=20),
    "unpaid_share": env.float("DONATION_CHALLENGE_UNPAID_SHARE", default=0.6),
    "algorithm": "PBKDF2/SHA-256",
    "cost": env.int("DONATION_CHALLENGE_COST", default=1000),
    "maxnumber": env.int("DONATION_CHALLENGE_MAXNUMBER", default=10000),
    "max_age": 900,
    "cache_seconds": 60,
    "always": env.bool("DONATION_CHALLENGE_ALWAYS", default=False),
}
# Signs the challenges; derived from SECRET_KEY when unset.
ALTCHA_HMAC_KEY = env.str("ALTCHA_HMAC_KEY", default="")

# --- Accounts --------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {
        "NAME": f"{_VALIDATORS}.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Don't reveal whether an address has an account: donors' and staff's emails are
# sensitive here.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
# Public sign-up stays off: staff accounts are made by an administrator, and a
# donor's account is made when they ask for a sign-in code for an address that has
# gifts (donations.donors.forms.DonorRequestLoginCodeForm). The adapter also sends
# donors to their gifts and staff to the admin after signing in.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_OPEN = env.bool("ACCOUNT_SIGNUP_OPEN", default=False)
# Donors sign in with a one-time code sent by email, no password. Staff may too,
# but allauth's MFA stage still asks them for the TOTP code before signing them in.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# Mail goes out through the outbox and Celery, so give it time to arrive; three
# wrong tries end the code (allauth's default), and a new one must be asked for.
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_FORMS = {
    "request_login_code": "donations.donors.forms.DonorRequestLoginCodeForm"
}
LOGIN_ATTEMPTS_LIMIT = env.int("LOGIN_ATTEMPTS_LIMIT", default=5)
LOGIN_ATTEMPTS_TIMEOUT = env.int("LOGIN_ATTEMPTS_TIMEOUT", default=300)
ACCOUNT_RATE_LIMITS = {
    # Failed attempts per IP per minute and per account per window; every login form
    # (allauth's, and the Wagtail admin's, which leads to it) counts here.
    "login_failed": (f"10/m/ip,{LOGIN_ATTEMPTS_LIMIT}/{LOGIN_ATTEMPTS_TIMEOUT}s/key"),
    # "Email me a sign-in code": allauth's limits per IP address and per email, and
    # an hourly cap per email, so that nobody floods a mailbox with codes.
    "request_login_code": "20/m/ip,3/m/key,10/h/key",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/admin/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Solidarity")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False  # allauth owns password resets

# --- Email -----------------------------------------------------------------------
# EMAIL_PROVIDER names any ESP that django-anymail supports (mailgun, postmark,
# sendgrid, amazon_ses, brevo, ...), or "console" / "smtp". Its credentials are
# the ANYMAIL_<ESP>_<SETTING> variables, e.g. ANYMAIL_MAILGUN_API_KEY.
EMAIL_PROVIDER = env.str("EMAIL_PROVIDER", default="console")
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
# Every message goes through the outbox (site/outbox): saved with the change that
# caused it, then sent by Celery through the provider's backend with retries.
EMAIL_BACKEND = "outbox.backends.OutboxEmailBackend"
OUTBOX_DELIVERY_BACKEND = _EMAIL_BACKENDS.get(
    EMAIL_PROVIDER, f"anymail.backends.{EMAIL_PROVIDER}.EmailBackend"
)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
OUTBOX_CLAIM_SECONDS = env.int("OUTBOX_CLAIM_SECONDS", default=300)
# Messages wait sealed (site/outbox/sealing.py). OUTBOX_KEY: one secret, or several
# separated by commas while rotating (newest first); unset, SECRET_KEY serves.
OUTBOX_KEYS = env.list("OUTBOX_KEY", default=[])
ANYMAIL = {
    key.removeprefix("ANYMAIL_"): value
    for key, value in env.ENVIRON.items()
    if key.startswith("ANYMAIL_")
}
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:  # host, port and credentials for EMAIL_PROVIDER=smtp
    vars().update(
        {k: v for k, v in env.email_url("EMAIL_URL").items() if k != "EMAIL_BACKEND"}
    )
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Solidarity <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = ""

# --- Languages -------------------------------------------------------------------
LANGUAGE_CODE = "uk"
LANGUAGES = [
    ("uk", "Українська"),
    ("en", "English"),
    ("ru", "Русский"),
    # Crimean Tatar in Latin script; Django knows no crh: home.languages adds it.
    ("be", "Беларуская"),
    ("crh", "Qırımtatarca"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_NAMES_IN_ENGLISH = {
    "uk": _("Ukrainian"),
    "en": _("English"),
    "ru": _("Russian"),
    "be": _("Belarusian"),
    "crh": _("Crimean Tatar"),
}
# Django knows no Crimean Tatar: home.languages adds it to LANG_INFO at start-up.
# Dates and numbers per language: Django's own formats, and ours for crh.
FORMAT_MODULE_PATH = ["solidarity.formats"]

# --- Files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # plotly.js for the Board's dashboard, from the installed plotly package.
    "donations.dashboard.staticfinder.PlotlyFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ---------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Solidarity"
WAGTAILADMIN_BASE_URL = env.str(
    "WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000"
)
# The public address of the site: absolute links in the API, feeds and sitemap are
# built from it. Applied to the default Wagtail Site after every `migrate`; `make run`
# sets the address it serves instead.
SITE_URL = env.str("SITE_URL", default="")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "safeimages.SafeImage"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Only kinds safedocs can remove the metadata of (safedocs.metadata.check_document);
# the upload form refuses a file that is damaged or not what its name says.
WAGTAILDOCS_EXTENSIONS = [
    "csv", "txt", "pdf", "rtf",
    "docx", "xlsx", "pptx", "odt", "ods", "odp",
    "png", "jpg", "jpeg", "webp",
]  # fmt: skip
WAGTAILDOCS_DOCUMENT_FORM_BASE = "safedocs.forms.SafeDocumentForm"
# Documents always go through Wagtail's view, never a storage URL: safedocs checks
# there that a live page links the document (see site/safedocs/).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls home from the admin
# Nor avatars from gravatar.com: staff's browsers talk to our server only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_USAGE_COUNT_ENABLED = True

# --- Security common to all environments -----------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview panel frames our own pages

# Content-Security-Policy (django-csp 4; solidarity/security_headers.py picks the
# admin's policy by path). Public pages: our own files only, no inline code, no
# unsafe-*. Video players load from their hosts only after a click
# (static/js/video-on-click.js). The donate form's redirect to Stripe Checkout is a
# form navigation, so form-action must allow it.
_SELF, _NONE = "'self'", "'none'"
VIDEO_FRAME_HOSTS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "worker-src": [_SELF],
        "frame-src": VIDEO_FRAME_HOSTS,
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF, "https://checkout.stripe.com"],
        "frame-ancestors": [_SELF],  # Wagtail's preview frames our pages
    }
}
# The Wagtail admin and the Board's plotly dashboard. Its previews of public
# templates keep the public policy (solidarity/security_headers.py), so a draft's
# content never runs under these allowances. Still no evaluated script.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        # Wagtail 8 starts its widgets with inline <script>: image, document and
        # snippet choosers, InlinePanel, date pickers; its modals run the scripts in
        # the HTML they load. Without this the choosers, "Add" buttons and date
        # pickers do nothing (wagtail/wagtail#1288, #12940). A nonce cannot help:
        # widgets are rendered without the request.
        "script-src": [_SELF, "'unsafe-inline'"],
        # Wagtail's style="" attributes, and plotly's <style> elements.
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:", "blob:"],
        "font-src": [_SELF, "data:"],
        "frame-src": [_SELF, *VIDEO_FRAME_HOSTS],
        "form-action": [_SELF],
    }
}
# No page of ours uses these: a script that got in could not either.
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],  # Stripe Checkout is a page of its own, not a frame of ours
    "usb": [],
    "serial": [],
    "hid": [],
    "midi": [],
    "magnetometer": [],
    "gyroscope": [],
    "accelerometer": [],
    "display-capture": [],
    "browsing-topics": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Wagtail 8 runs its search and reference-index updates as django-tasks;
        # one line per task drowns everything else.
        "django_tasks": {"level": "WARNING"},
    },
}
