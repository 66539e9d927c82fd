#!/usr/bin/env bash
# Schemathesis against the running service's own OpenAPI schema: no request may get a 5xx.
set -euo pipefail
port=${PORT:-8765}
state=$(mktemp -d)
COPYDESK_PORT=$port COPYDESK_DATABASE_URL="sqlite:///$state/fuzz.db" .venv/bin/copydesk serve &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$state"' EXIT
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.5
done
.venv/bin/schemathesis run "http://127.0.0.1:$port/openapi.json" \
  --checks not_a_server_error --max-examples "${EXAMPLES:-30}" --workers 1 "$@"
