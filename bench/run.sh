#!/usr/bin/env bash
# HTTP benchmark: Open Maatwerk's key pages next to a minimal Django view, on PostgreSQL, served
# by gunicorn with production settings, loaded with wrk as a logged-in worker. See bench/README.md.
#
# Exits 0 whatever the figures are; nonzero only when the harness itself breaks.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
GUNICORN=.venv/bin/gunicorn

BENCH_HOUSEHOLDS=${BENCH_HOUSEHOLDS:-100000}
BENCH_DURATION=${BENCH_DURATION:-10}
BENCH_DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/maatwerk_bench}
BENCH_WORKERS=${BENCH_WORKERS:-2}
# Threads per worker (gthread): a thread waiting for PostgreSQL lets another one render.
BENCH_SERVER_THREADS=${BENCH_SERVER_THREADS:-4}

if ! command -v wrk >/dev/null; then
    echo "wrk is not installed (Debian: apt-get install wrk)." >&2
    exit 2
fi
if [[ ! -x $PY || ! -x $GUNICORN ]]; then
    echo "No virtual environment with gunicorn: run 'make bench' (or 'make setup-dev')." >&2
    exit 2
fi

# Production settings, as a real deployment runs them: DEBUG off, a fresh secret key, 2FA
# required. The one exception: this run speaks plain HTTP on the loopback interface, so the
# redirect to HTTPS is switched off (SECURE_SSL_REDIRECT defaults to on in production).
# Secure cookies need no switch: wrk sends the session cookie itself.
export DATABASE_URL=$BENCH_DATABASE_URL
export MAATWERK_ENV=production
export DEBUG=false
export ALLOWED_HOSTS=127.0.0.1
export SECURE_SSL_REDIRECT=false
# Fresh throwaway secrets for every run (the generated data holds nothing encrypted with them).
new_secret() { $PY -c 'import secrets; print(secrets.token_urlsafe(64))'; }
SECRET_KEY=$(new_secret)
MAATWERK_BSN_KEY=$(new_secret)
export SECRET_KEY MAATWERK_BSN_KEY
export BENCH_DURATION

mkdir -p bench/results var

echo "== database: ${DATABASE_URL%%\?*}"
$PY bench/http_bench.py ensure-db
$PY manage.py migrate --noinput -v 0
$PY manage.py compile_translations >/dev/null
$PY manage.py collectstatic --noinput -v 0
echo "== data: $BENCH_HOUSEHOLDS generated households"
# Tops up only when fewer exist (and loads the demo data first when it is missing).
$PY manage.py generate_data --households "$BENCH_HOUSEHOLDS"

PORT=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
LOG=bench/results/gunicorn.log
echo "== server: gunicorn, $BENCH_WORKERS workers × $BENCH_SERVER_THREADS threads, http://127.0.0.1:$PORT (log: $LOG)"
"$GUNICORN" maatwerk.conf.wsgi:application --pythonpath src \
    --workers "$BENCH_WORKERS" --worker-class gthread --threads "$BENCH_SERVER_THREADS" --bind "127.0.0.1:$PORT" --log-level warning >"$LOG" 2>&1 &
SERVER_PID=$!
stop_server() {
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

ready=no
for _ in $(seq 1 60); do
    if $PY -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/health/', timeout=2)" 2>/dev/null; then
        ready=yes
        break
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "gunicorn stopped; see $LOG:" >&2
        tail -n 20 "$LOG" >&2
        exit 2
    fi
    sleep 0.5
done
if [[ $ready != yes ]]; then
    echo "gunicorn did not become healthy within 30 s; see $LOG" >&2
    exit 2
fi

export BENCH_SERVER="gunicorn, $BENCH_WORKERS gthread workers × $BENCH_SERVER_THREADS threads"
export BENCH_SERVER_PID=$SERVER_PID
$PY bench/http_bench.py run --base-url "http://127.0.0.1:$PORT" --duration "$BENCH_DURATION"
