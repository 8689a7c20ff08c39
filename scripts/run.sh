#!/usr/bin/env bash
# Start the background worker and the web app together; stopping one (Ctrl-C) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export FLASK_APP="app:create_app"
export ROLLOUT_ENV="${ROLLOUT_ENV:-development}"
PORT="${PORT:-5000}"
FLASK=.venv/bin/flask

"$FLASK" worker &
worker_pid=$!
trap 'kill "$worker_pid" 2>/dev/null || true; wait "$worker_pid" 2>/dev/null || true' EXIT INT TERM

password="${DEMO_PASSWORD:-rollout-demo}"
cat <<MSG

  Rollout is starting on http://127.0.0.1:${PORT}
  Demo logins (password: ${password}):
    admin      Administrator
    staff      Infrastructure staff
    planner    Planner
    pmo        PMO viewer (read-only)
    principal  Site administrator (one site)
    sitetech   Site administrator (two sites)
  The background worker runs as process ${worker_pid}. Press Ctrl-C to stop both.

MSG
if [ -z "${DEMO_PASSWORD:-}" ]; then
  echo "  Warning: DEMO_PASSWORD is not set, so the demo users share the default password above." >&2
fi
"$FLASK" run --host 127.0.0.1 --port "$PORT"
