# The production image: gunicorn by default; the same image runs migrations and the
# Celery worker and beat (see docker-compose.yml).
#
#   docker build -t solidarity .
#   docker run --env-file prod.env -p 8000:8000 solidarity
#
# Needs SECRET_KEY (50+ characters), ALLOWED_HOSTS, DATABASE_URL and REDIS_URL at run
# time; production settings refuse to start without the first two.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app/site:/app \
    DJANGO_SETTINGS_MODULE=solidarity.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    WEB_CONCURRENCY=3

# A home directory of its own: gunicorn keeps its control socket in ~/.gunicorn.
RUN groupadd --system --gid 1000 app \
    && useradd --system --uid 1000 --gid app --create-home --home-dir /home/app \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. The project
# itself has no packages (the code runs from /app through PYTHONPATH); installing it
# only brings in its production dependencies, pinned by requirements.lock. The lock's
# local --extra-index-url/--find-links entries do not exist here: pip warns and
# ignores them.
COPY pyproject.toml requirements.lock ./
RUN pip install -c requirements.lock . \
    && rm -rf build *.egg-info

# The code belongs to root and is read-only for the app user; only the static and
# media directories are its own.
COPY . .
RUN mkdir -p /app/staticfiles /app/media \
    && chown app:app /app/staticfiles /app/media

USER app

# Production settings demand a secret and hosts even for collectstatic: these two are
# for this command only and are not kept in the image's environment.
RUN SECRET_KEY=build-only-collectstatic-not-a-secret-0123456789abcdefghijklmnop \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

EXPOSE 8000

# Django answers only to ALLOWED_HOSTS, so the probe sends the first of them as Host
# (a wildcard "*" or ".example.org" entry is turned into a name it accepts).
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h not in ('', '*') else 'localhost'; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=5)"]

# Workers and threads follow the box (site/solidarity/gunicorn_conf.py and
# docs/operations/sizing.md); WEB_CONCURRENCY and WEB_THREADS override them.
CMD ["gunicorn", "solidarity.wsgi:application", "--config", "python:solidarity.gunicorn_conf"]
