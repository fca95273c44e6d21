#!/usr/bin/env bash
# Copies the compiled binary into an empty folder and checks it serves without the source tree.
set -euo pipefail
binary=${1:?usage: smoke-binary.sh PATH-TO-BINARY}
folder=$(mktemp -d)
port=${SMOKE_PORT:-18080}
cleanup() {
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$folder"
}
trap cleanup EXIT
cp "$binary" "$folder/labbroker"
cd "$folder"
./labbroker version
./labbroker broker --port "$port" --host 127.0.0.1 >broker.log 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break
  sleep 0.1
done
check() { # check PATH EXPECTED-STATUS
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$1")
  [ "$status" = "$2" ] || { echo "GET $1 answered $status, expected $2"; cat broker.log; exit 1; }
  echo "GET $1 -> $status"
}
check /healthz 204
check /openapi.json 200
check /docs 200
check /docs/swagger-ui-bundle.js 200
check /dashboard/uPlot.iife.min.js 200
[ -f data/labbroker.db ] || { echo "the binary did not create data/labbroker.db"; exit 1; }
kill -TERM "$pid"
wait "$pid"
grep -q '"broker stopped"' broker.log || { echo "no graceful stop in the log"; cat broker.log; exit 1; }
echo "binary smoke passed"
