"""`make run`'s server: Django's runserver, plus a Celery worker when Redis is there.

Without REDIS_URL, tasks run inline (CELERY_TASK_ALWAYS_EAGER) and no worker is
needed; with it, a worker with beat runs beside the server and stops with it.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")


def redis_is_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidarity.settings.dev")
    import django

    django.setup()
    from django.conf import settings

    # The demo's absolute links (API, feeds, sitemap) point where it is served.
    from home.site_address import set_default_site_address

    set_default_site_address(url=f"http://{ADDRESS}")

    worker = None
    if settings.REDIS_URL and redis_is_reachable(settings.REDIS_URL):
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "solidarity",
                "worker",
                "--beat",
                "--loglevel",
                "WARNING",
                "--concurrency",
                "2",
            ],
            cwd=ROOT,
        )
        tasks = "a Celery worker (with beat) is running against Redis"
    elif settings.REDIS_URL:
        tasks = "REDIS_URL is set but Redis does not answer: start Redis, or unset it"
    else:
        tasks = "no REDIS_URL: background tasks run inline, no worker needed"

    print(
        f"\n  Site:   http://{ADDRESS}/  (Ukrainian /uk/, English /en/, Russian /ru/,"
        " Belarusian /be/, Crimean Tatar /crh/)"
        f"\n  Admin:  http://{ADDRESS}/admin/"
        f"\n  Board dashboard: http://{ADDRESS}/admin/board/"
        f"\n  Where the money goes: http://{ADDRESS}/en/transparency/"
        "\n  Sign in as editor@example.org (or moderator@, board@, treasurer@,"
        " admin@example.org)"
        "\n          password demo-solidarity-2026; the second-factor code comes from"
        "\n          `.venv/bin/python manage.py demo_totp editor@example.org`"
        f"\n  Tasks:  {tasks}\n",
        flush=True,
    )
    try:
        return subprocess.call(
            [sys.executable, "manage.py", "runserver", ADDRESS], cwd=ROOT
        )
    except KeyboardInterrupt:
        return 0
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
