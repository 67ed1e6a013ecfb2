#!/usr/bin/env bash
# Load test of the public e-service against a bare Django view that inserts one row
# (bench/referens.py), in one run: gunicorn with production-like settings on PostgreSQL,
# a Celery worker on a Redis broker delivering the e-mails, 100 concurrent submitters,
# 30 s per side in two alternating rounds (bench/last_synpunkter.py); prints the
# throughput ratio and checks every reference, row and e-mail.
#
#   bench/last_synpunkter.sh [options for bench/last_synpunkter.py, e.g. --skriv bench/RESULTS.md]
#
# Environment: WORKERS (4), WORKER_NICE (19: the Celery worker's CPU priority), LAST_PORT (8765), LAST_SAMTIDIGA (100), LAST_SEKUNDER (30,
# per side), LAST_DB (kvalitet_last), LAST_PGHOST (127.0.0.1), LAST_PGPORT (5432),
# LAST_PGUSER (postgres; trust auth or PGPASSWORD), LAST_REDIS (redis://127.0.0.1:6379/13;
# this Redis database is emptied first). Loopback only; gunicorn and the worker are
# stopped on exit, and the whole client run is bounded by `timeout`.
# Exit status: 0 all checks passed and the ratio met, 1 a check failed, 2 checks passed
# but the ratio is below the requirement.
set -euo pipefail

cd "$(dirname "$0")/.."

PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn
CELERY=.venv/bin/celery
WORKERS=${WORKERS:-4}
WORKER_NICE=${WORKER_NICE:-19}
PORT=${LAST_PORT:-8765}
SAMTIDIGA=${LAST_SAMTIDIGA:-100}
SEKUNDER=${LAST_SEKUNDER:-30}
DB=${LAST_DB:-kvalitet_last}
HOST=${LAST_PGHOST:-127.0.0.1}
PGPORT_=${LAST_PGPORT:-5432}
PGU=${LAST_PGUSER:-postgres}
REDIS=${LAST_REDIS:-redis://127.0.0.1:6379/13}
BAS_URL="http://127.0.0.1:${PORT}"

case "$HOST" in
    127.0.0.1 | localhost | ::1) ;;
    *) echo "LAST_PGHOST must be a loopback address" >&2; exit 2 ;;
esac
case "$REDIS" in
    redis://127.0.0.1:* | redis://localhost:*) ;;
    *) echo "LAST_REDIS must be a loopback redis:// URL" >&2; exit 2 ;;
esac

TMP=$(mktemp -d -t kvalitet-last.XXXXXX)
GUNICORN_PID=""
WORKER_PID=""
stoppa_process() {
    local pid=$1
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}
stoppa() {
    stoppa_process "$GUNICORN_PID"
    stoppa_process "$WORKER_PID"
    rm -rf "$TMP"
}
trap stoppa EXIT
trap 'exit 130' INT TERM

export DATABASE_URL="postgres://${PGU}@${HOST}:${PGPORT_}/${DB}"
# A real broker: the web process only queues the e-mails; the worker delivers them with
# the file backend into $EPOST, which the client reads afterwards (each exactly once).
export CELERY_BROKER_URL="$REDIS"
EPOST="$TMP/epost"
mkdir -p "$EPOST"
export EMAIL_URL="filemail:///${EPOST}"
export LOG_LEVEL=WARNING

echo "== Database ${DB} on ${HOST}:${PGPORT_}"
"$PY" - "$HOST" "$PGPORT_" "$PGU" "$DB" <<'PYEOF'
import sys

import psycopg
from psycopg import sql

host, port, user, db = sys.argv[1:]
with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as c:
    if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
        print(f"Created database {db}.")
PYEOF

echo "== Migrating, demo organisation (seed_demo --utan-arenden), bench_referens table"
DEBUG=true "$PY" manage.py migrate --noinput -v 0
DEBUG=true "$PY" manage.py seed_demo --utan-arenden | sed -n 1p  # reads it all: no broken pipe
# The bare view's table (bench/referens.py), outside the migrations.
DEBUG=true DJANGO_SETTINGS_MODULE=bench.referens_settings "$PY" -c "
import django
django.setup()
from django.db import connection
from bench.referens import TABELL_SQL
with connection.cursor() as c:
    c.execute(TABELL_SQL)"
# Nothing left in the broker database from an earlier, interrupted run.
"$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS"

# Production-like settings from here on.
export DEBUG=false
SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0
# The per-address limit runs for every submission: each virtual submitter sends its own
# address in X-Forwarded-For (one trusted proxy), and the limit is high enough that the
# test's hundreds of submissions per address are never refused.
export PROXY_COUNT=1
export SYNPUNKT_GRANS_PER_TIMME=${LAST_GRANS:-1000000}
export STATIC_ROOT="$TMP/static"
# The product's settings plus the bare reference view's URL (bench/referens_settings.py).
export DJANGO_SETTINGS_MODULE=bench.referens_settings

echo "== collectstatic (WhiteNoise manifest) into ${STATIC_ROOT}"
"$PY" manage.py collectstatic --noinput -v 0

# At a lower CPU priority than gunicorn, as the README recommends for production: a
# burst of submissions is taken in first, the synpunkter are built right after.
echo "== Celery worker (solo pool, nice ${WORKER_NICE}) on ${REDIS}"
nice -n "$WORKER_NICE" "$CELERY" -A kvalitet worker --pool solo --loglevel WARNING --without-heartbeat \
    --beat --schedule "$TMP/beat-schedule" \
    --without-gossip --without-mingle -n "last-$$@%h" >"$TMP/worker.log" 2>&1 &
WORKER_PID=$!

echo "== gunicorn, ${WORKERS} workers on ${BAS_URL}"
"$GUNICORN" kvalitet.wsgi:application \
    --workers "$WORKERS" --bind "127.0.0.1:${PORT}" --timeout 60 \
    --access-logfile /dev/null --error-logfile "$TMP/gunicorn.log" \
    >"$TMP/gunicorn.out" 2>&1 &
GUNICORN_PID=$!

for i in $(seq 1 60); do
    if curl -fsS -o /dev/null "${BAS_URL}/bench/referens/" 2>/dev/null \
        && curl -fsS -o /dev/null "${BAS_URL}/synpunkter/lamna/" 2>/dev/null; then break; fi
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null || [ "$i" = 60 ]; then
        echo "gunicorn did not start:" >&2
        tail -n 40 "$TMP/gunicorn.log" "$TMP/gunicorn.out" >&2 || true
        exit 1
    fi
    sleep 0.5
done
if ! kill -0 "$WORKER_PID" 2>/dev/null; then
    echo "The Celery worker did not start:" >&2
    tail -n 40 "$TMP/worker.log" >&2 || true
    exit 1
fi

echo "== Load: ${SAMTIDIGA} submitters, ${SEKUNDER} s per side"
STATUS=0
timeout $((2 * ${SEKUNDER%.*} + 300)) "$PY" bench/last_synpunkter.py \
    --bas-url "$BAS_URL" --samtidiga "$SAMTIDIGA" --sekunder "$SEKUNDER" \
    --dsn "$DATABASE_URL" --epostkatalog "$EPOST" \
    --gunicorn-pid "$GUNICORN_PID" --worker-pid "$WORKER_PID" \
    --miljo "gunicorn: ${WORKERS} sync workers; Celery: one worker with beat, solo pool, nice ${WORKER_NICE}, broker ${REDIS}; DEBUG=false" \
    "$@" || STATUS=$?

# Errors only: gunicorn's "[ERROR]", Celery's "ERROR/…", tracebacks (not Celery's
# warning about running as root, whose source line contains "error").
FELRAD='\[ERROR\]|ERROR/|Traceback|Exception:'
for LOGG in "$TMP/gunicorn.log" "$TMP/gunicorn.out" "$TMP/worker.log"; do
    if grep -qE "$FELRAD" "$LOGG"; then
        echo "== $(basename "$LOGG") (errors)"
        grep -E -A 5 "$FELRAD" "$LOGG" | tail -n 60
    fi
done
exit "$STATUS"
