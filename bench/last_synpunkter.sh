#!/usr/bin/env bash
# Load test of the public e-service: gunicorn with production-like settings on
# PostgreSQL, 50 concurrent submitters for 60 s (bench/last_synpunkter.py), then a
# check that every receipt's reference number is in the database exactly once.
#
#   bench/last_synpunkter.sh [options for bench/last_synpunkter.py]
#
# Environment: WORKERS (4), LAST_PORT (8765), LAST_SAMTIDIGA (50), LAST_SEKUNDER (60),
# LAST_DB (kvalitet_last), LAST_PGHOST (127.0.0.1), LAST_PGPORT (5432),
# LAST_PGUSER (postgres; trust auth or PGPASSWORD). Loopback only; the server is
# stopped on exit, and the whole client run is bounded by `timeout`.
set -euo pipefail

cd "$(dirname "$0")/.."

PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn
WORKERS=${WORKERS:-4}
PORT=${LAST_PORT:-8765}
SAMTIDIGA=${LAST_SAMTIDIGA:-50}
SEKUNDER=${LAST_SEKUNDER:-60}
DB=${LAST_DB:-kvalitet_last}
HOST=${LAST_PGHOST:-127.0.0.1}
PGPORT_=${LAST_PGPORT:-5432}
PGU=${LAST_PGUSER:-postgres}
BAS_URL="http://127.0.0.1:${PORT}"

case "$HOST" in
    127.0.0.1 | localhost | ::1) ;;
    *) echo "LAST_PGHOST must be a loopback address" >&2; exit 2 ;;
esac

TMP=$(mktemp -d -t kvalitet-last.XXXXXX)
GUNICORN_PID=""
stoppa() {
    if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID"
        for _ in $(seq 1 50); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap stoppa EXIT
trap 'exit 130' INT TERM

export DATABASE_URL="postgres://${PGU}@${HOST}:${PGPORT_}/${DB}"
export CELERY_BROKER_URL=      # tasks run eagerly in the web process
export EMAIL_URL=dummymail://  # acknowledgements and registrator notices go nowhere
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

echo "== Migrating, demo organisation (seed_demo --utan-arenden)"
DEBUG=true "$PY" manage.py migrate --noinput -v 0
DEBUG=true "$PY" manage.py seed_demo --utan-arenden | head -n 1

# Production-like settings from here on.
export DEBUG=false
SECRET_KEY=$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false
export SECURE_HSTS_SECONDS=0
# All submitters come from 127.0.0.1: the per-address limit (10 an hour) is turned off.
export SYNPUNKT_GRANS_PER_TIMME=0
export STATIC_ROOT="$TMP/static"

echo "== collectstatic (WhiteNoise manifest) into ${STATIC_ROOT}"
"$PY" manage.py collectstatic --noinput -v 0

echo "== gunicorn, ${WORKERS} workers on ${BAS_URL}"
"$GUNICORN" kvalitet.wsgi:application \
    --workers "$WORKERS" --bind "127.0.0.1:${PORT}" --timeout 60 \
    --access-logfile /dev/null --error-logfile "$TMP/gunicorn.log" \
    >"$TMP/gunicorn.out" 2>&1 &
GUNICORN_PID=$!

for i in $(seq 1 60); do
    if curl -fsS -o /dev/null "${BAS_URL}/synpunkter/lamna/" 2>/dev/null; then break; fi
    if ! kill -0 "$GUNICORN_PID" 2>/dev/null || [ "$i" = 60 ]; then
        echo "gunicorn did not start:" >&2
        tail -n 40 "$TMP/gunicorn.log" "$TMP/gunicorn.out" >&2 || true
        exit 1
    fi
    sleep 0.5
done

echo "== Load: ${SAMTIDIGA} submitters, ${SEKUNDER} s"
STATUS=0
timeout $((${SEKUNDER%.*} + 180)) "$PY" bench/last_synpunkter.py \
    --bas-url "$BAS_URL" --samtidiga "$SAMTIDIGA" --sekunder "$SEKUNDER" \
    --dsn "$DATABASE_URL" "$@" || STATUS=$?

if grep -qiE "error|traceback|exception" "$TMP/gunicorn.log" "$TMP/gunicorn.out"; then
    echo "== Server log (errors)"
    grep -iE -A 5 "error|traceback|exception" "$TMP/gunicorn.log" "$TMP/gunicorn.out" | tail -n 60
fi
exit "$STATUS"
