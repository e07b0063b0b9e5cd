"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL points there."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-not-secret-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b"
OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)
ALLOWED_HOSTS = ["*"]
# Tests pick their cache explicitly; counters must not leak between tests through
# a shared Redis, so the suite's default cache is per-process memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = env.path("TEST_MEDIA_ROOT", default="/tmp/solidarity-test-media")
WAGTAILADMIN_BASE_URL = "http://testserver"

INTAKE_KDF_LEVEL = "MIN"
