"""WSGI entry point: `gunicorn --pythonpath site solidarity.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings.production")

application = get_wsgi_application()
