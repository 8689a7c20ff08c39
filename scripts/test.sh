#!/usr/bin/env bash
# Run the whole suite on SQLite and, when one is reachable, PostgreSQL; say which ran.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if [ -z "${ROLLOUT_TEST_DATABASE_URL:-}" ]; then
  if $PY scripts/pg_probe.py "postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql" 2>/dev/null; then
    export ROLLOUT_TEST_DATABASE_URL="postgresql+psycopg://postgres@/postgres?host=/var/run/postgresql"
  elif $PY scripts/pg_probe.py "postgresql+psycopg://postgres@127.0.0.1:5432/postgres" 2>/dev/null; then
    export ROLLOUT_TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
  fi
fi
if [ -n "${ROLLOUT_TEST_DATABASE_URL:-}" ]; then
  echo "Databases: SQLite and PostgreSQL (${ROLLOUT_TEST_DATABASE_URL%%\?*})"
else
  if [ "${ROLLOUT_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL is required (ROLLOUT_REQUIRE_POSTGRES=1) but none is reachable." >&2
    exit 1
  fi
  echo "Databases: SQLite only (no PostgreSQL reachable; set ROLLOUT_TEST_DATABASE_URL)"
fi
$PY -m pytest "$@"
status=$?
echo "Databases used: SQLite${ROLLOUT_TEST_DATABASE_URL:+ and PostgreSQL}"
exit $status
