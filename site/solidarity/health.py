"""`/healthz`: is each service the site depends on reachable?

Answers JSON, 200 when every check passes and 503 when one fails, so that a load
balancer or `docker compose` takes an instance out of rotation.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_cache() -> dict:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)
    return {"ok": True}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No broker configured: tasks run inline, which is healthy by design.
        return {"ok": True, "mode": "eager"}
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    return {"ok": True, "mode": "broker"}


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


@never_cache
@require_GET
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            result = check()
        except Exception as exc:  # any failure means "down", whatever its type
            result = {"ok": False, "error": exc.__class__.__name__}
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    healthy = all(r["ok"] for r in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results},
        status=200 if healthy else 503,
    )
