#!/usr/bin/env bash
# Starts the broker from source under Deno on a throwaway database and checks /healthz.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
folder=$(mktemp -d)
port=${SMOKE_PORT:-18081}
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$folder"
}
trap cleanup EXIT
cd "$folder"
"$root/node_modules/.bin/deno" run --allow-all --config "$root/deno.json" "$root/main.ts" broker --port "$port" --host 127.0.0.1 >broker.log 2>&1 &
pid=$!
for _ in $(seq 1 200); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
  sleep 0.1
done
status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")
[ "$status" = 204 ] || { echo "Deno broker answered $status on /healthz"; cat broker.log; exit 1; }
echo "Deno: GET /healthz -> 204"
kill -TERM "$pid"
wait "$pid"
