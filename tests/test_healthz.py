"""/healthz reports each service, and answers 503 when one is down."""

import os

import pytest
from celery import Celery
from django.db.utils import OperationalError

from solidarity import health

pytestmark = pytest.mark.django_db

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_healthz_answers_ok_when_every_service_is_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == {
        "ok": False,
        "error": "OperationalError",
        "ms": body["checks"]["database"]["ms"],
    }
    assert body["checks"]["cache"]["ok"] is True


def test_healthz_is_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False
    assert response.json()["checks"]["database"]["ok"] is True


def test_healthz_is_503_when_the_broker_is_down(client, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(
        health, "celery_app", Celery(broker=UNREACHABLE_REDIS, set_as_current=False)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


def test_healthz_says_tasks_run_inline_without_a_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    checks = client.get("/healthz").json()["checks"]

    assert checks["broker"] == {
        "ok": True,
        "mode": "eager",
        "ms": checks["broker"]["ms"],
    }


@pytest.mark.redis
def test_healthz_reaches_a_real_redis_as_cache_and_broker(
    client, settings, monkeypatch
):
    redis_url = os.environ["REDIS_URL"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "healthz-test",
        }
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(
        health, "celery_app", Celery(broker=redis_url, set_as_current=False)
    )

    response = client.get("/healthz")

    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["broker"]["mode"] == "broker"
