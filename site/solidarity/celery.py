"""The Celery app, for `celery -A solidarity worker` and `celery -A solidarity beat`.

Run with `site/` on the path (the Makefile and Dockerfile set PYTHONPATH=site).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings.dev")

app = Celery("solidarity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Tasks that live in a sub-package of an app are not found by the default look-up.
app.autodiscover_tasks(
    [
        "donations.stripe",
        "donations.donors",
        "donations.attention",
        "prisoners.register_import",
    ]
)
