"""gunicorn's configuration: `gunicorn -c python:solidarity.gunicorn_conf`.

The sizing rule, measured and explained in docs/operations/sizing.md:

- An uncached page is CPU work for Python and PostgreSQL together, so more worker
  processes than cores only queue on the cores. One process per core when PostgreSQL
  runs on the same machine (it needs the rest), two per core when it has its own.
- A few threads per process cover the moments a request waits on PostgreSQL or Redis,
  which a cached page and the static files mostly do.
- Each thread keeps one database connection (CONN_MAX_AGE), so workers × threads of
  every web node, plus Celery's, must stay under PostgreSQL's max_connections.

WEB_CONCURRENCY and WEB_THREADS override the rule; DATABASE_ON_HOST=false says that
PostgreSQL runs elsewhere.
"""

import os
from pathlib import Path


def available_cores() -> int:
    """The cores this process may use: its CPU affinity, and a container's quota."""
    cores = len(os.sched_getaffinity(0))
    quota = Path("/sys/fs/cgroup/cpu.max")
    try:
        limit, period = quota.read_text().split()
    except (OSError, ValueError):
        return cores
    if limit == "max":
        return cores
    return max(1, min(cores, int(limit) // int(period)))


def sizing(*, cores: int, database_on_host: bool) -> tuple[int, int]:
    """(workers, threads) for a machine with `cores` cores."""
    per_core = 1 if database_on_host else 2
    return max(2, cores * per_core), 4


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


_workers, _threads = sizing(
    cores=available_cores(),
    database_on_host=_env_flag("DATABASE_ON_HOST", True),
)

wsgi_app = "solidarity.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", _workers))
threads = int(os.environ.get("WEB_THREADS", _threads))
worker_class = "gthread"
# Keep-alive lets a proxy reuse its connections; the proxy's own timeout must be longer.
keepalive = 5
timeout = 60
graceful_timeout = 30
# Bounds any slow leak in a worker; the jitter keeps workers from restarting together.
max_requests = 1000
max_requests_jitter = 100
# The app is imported once, before forking, so its memory is shared between workers.
preload_app = True
# A container's /tmp may sit on a slow overlay disk; the heartbeat file wants memory.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
