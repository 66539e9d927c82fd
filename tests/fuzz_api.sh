#!/usr/bin/env bash
# Schemathesis against the running service's own OpenAPI schema: no request may get a 5xx.
#
# Reproducible and bounded: a fixed seed (SEED), examples per operation (EXAMPLES) and a
# time budget for the whole run (FUZZ_SECONDS). The service runs the rules-and-names
# pipeline unless COPYDESK_PIPELINE names another, so no LanguageTool is started.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8765}
state=$(mktemp -d)
COPYDESK_PIPELINE=${COPYDESK_PIPELINE:-tests/service/fixtures/starts-and-names.toml} \
COPYDESK_PORT=$port COPYDESK_DATABASE_URL="sqlite:///$state/fuzz.db" \
COPYDESK_JOBS_DIR="$state/jobs" .venv/bin/copydesk serve &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$state"' EXIT
for _ in $(seq 120); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.5
done
.venv/bin/schemathesis run "http://127.0.0.1:$port/openapi.json" \
  --checks not_a_server_error --seed "${SEED:-20261206}" \
  --max-examples "${EXAMPLES:-30}" --max-time "${FUZZ_SECONDS:-90}" \
  --request-timeout 30 --workers 1 "$@"
