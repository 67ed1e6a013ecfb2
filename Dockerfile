# syntax=docker/dockerfile:1
# Production image for Kvalitet. One image runs every role: the web server (the default
# CMD, gunicorn), the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore

# Shared libraries and fonts for WeasyPrint (PDF reports).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --gid 1000 kvalitet \
    && useradd --uid 1000 --gid kvalitet --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin kvalitet

WORKDIR /app

# Dependencies first, in a layer of their own, so that a code change does not reinstall
# them: the list is read from pyproject.toml's [project] dependencies.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# The code runs from /app (manage.py, templates/, static/ sit beside the packages), so
# /app comes before site-packages for every entry point, gunicorn and celery included.
# Uploaded attachments live in a volume at /data/media, outside the static files and
# never served directly.
ENV PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=kvalitet.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# Static files are collected into the image and served by WhiteNoise. The settings need
# a SECRET_KEY to load with DEBUG off; this dummy one exists only for this step and is
# not in the image's environment at run time.
ARG COLLECTSTATIC_SECRET_KEY=collectstatic-only-build-time-key-not-used-at-run-time-0123456789
RUN DEBUG=false SECRET_KEY="${COLLECTSTATIC_SECRET_KEY}" ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p /data/media \
    && chown kvalitet:kvalitet /data/media

USER kvalitet

EXPOSE 8000

# Request line and header limits stated (the same in docker-compose.yml); gunicorn has no
# body limit: the application refuses bodies above BILAGA_MAX_MB + 3 MB before reading
# them, and the reverse proxy must too (README: client_max_body_size).
CMD ["gunicorn", "kvalitet.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--limit-request-line", "4094", "--limit-request-fields", "50", \
     "--limit-request-field_size", "8190"]
