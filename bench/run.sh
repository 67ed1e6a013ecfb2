#!/usr/bin/env bash
# Benchmarks on PostgreSQL: create/migrate the database, generate the data (once),
# VACUUM ANALYZE, measure the pages (bench/mat.py), then the kvalitetsberättelse
# (bench/rapport.py: figures and PDF). Usable as `make bench` (the Makefile puts .venv/bin
# on PATH).
#
#   bench/run.sh [options for bench/mat.py, e.g. --skriv bench/RESULTS.md]
#
# Environment: BENCH_ANTAL (200000), BENCH_DB (kvalitet_bench), BENCH_PGHOST (127.0.0.1),
# BENCH_PGPORT (5432), BENCH_PGUSER (postgres; trust auth or PGPASSWORD),
# BENCH_RENSA=1 to delete and regenerate the bench rows, BENCH_RAPPORT=0 to skip the
# report, BENCH_RAPPORT_ARGS for bench/rapport.py (e.g. "--antal 10 --skriv bench/RESULTS.md").
set -euo pipefail

cd "$(dirname "$0")/.."

PY=python
if ! command -v "$PY" >/dev/null 2>&1 || ! "$PY" -c "import django" 2>/dev/null; then
    PY=.venv/bin/python
fi

ANTAL=${BENCH_ANTAL:-200000}
DB=${BENCH_DB:-kvalitet_bench}
HOST=${BENCH_PGHOST:-127.0.0.1}
PORT=${BENCH_PGPORT:-5432}
PGU=${BENCH_PGUSER:-postgres}

export DATABASE_URL="postgres://${PGU}@${HOST}:${PORT}/${DB}"
export DEBUG=true              # seed_demo refuses to run without it; mat.py measures with DEBUG off
export CELERY_BROKER_URL=      # tasks (none expected) run in-process
export LOG_LEVEL=WARNING

skapa_db() {
"$PY" - "$HOST" "$PORT" "$PGU" "$1" <<'PYEOF'
import sys

import psycopg
from psycopg import sql

host, port, user, db = sys.argv[1:]
with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as c:
    if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db]).fetchone():
        c.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db)))
        print(f"Created database {db}.")
PYEOF
}

echo "== Database ${DB} on ${HOST}:${PORT}"
skapa_db "$DB"

echo "== Migrating"
"$PY" manage.py migrate --noinput -v 0

echo "== Generating ${ANTAL} avvikelser (skipping those already present)"
RENSA=()
if [ "${BENCH_RENSA:-0}" = "1" ]; then RENSA=(--rensa); fi
"$PY" bench/generera.py --antal "$ANTAL" ${RENSA[@]+"${RENSA[@]}"}

echo "== VACUUM ANALYZE"
"$PY" manage.py shell -v 0 -c "
from django.db import connection
with connection.cursor() as c:
    c.execute('VACUUM ANALYZE')
"

echo "== Measuring"
"$PY" bench/mat.py "$@"

if [ "${BENCH_RAPPORT:-1}" != "0" ]; then
    echo "== Kvalitetsberättelse: figures and PDF"
    # shellcheck disable=SC2086  # word splitting of the options is intended
    "$PY" bench/rapport.py ${BENCH_RAPPORT_ARGS:-}
fi

if [ "${BENCH_IMPORT:-1}" = "1" ]; then
    IMPORT_DB=${BENCH_IMPORT_DB:-kvalitet_import}
    SKRIV=()
    ARGS=("$@")
    for ((i = 0; i < ${#ARGS[@]}; i++)); do
        if [ "${ARGS[i]}" = "--skriv" ] && [ $((i + 1)) -lt ${#ARGS[@]} ]; then
            SKRIV=(--skriv "${ARGS[i + 1]}")
        fi
    done
    echo "== Import benchmark: database ${IMPORT_DB}"
    skapa_db "$IMPORT_DB"
    export DATABASE_URL="postgres://${PGU}@${HOST}:${PORT}/${IMPORT_DB}"
    "$PY" manage.py migrate --noinput -v 0
    "$PY" bench/importera.py --antal "${BENCH_IMPORT_ANTAL:-100000}" ${SKRIV[@]+"${SKRIV[@]}"}
fi
