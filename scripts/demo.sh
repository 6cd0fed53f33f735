#!/usr/bin/env bash
# The demo from a fresh clone: installs what it needs, then runs the example controller and shows
# what it exports. Stops on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
port=${PROMETHEUS_PORT:-9464}
echo "[demo] example controller: one node drain, one failed move, one plan waiting for approval" >&2
echo "[demo] metrics: http://127.0.0.1:${port}/metrics   (Ctrl-C to stop)" >&2
exec env PROMETHEUS_PORT="$port" node_modules/.bin/tsx examples/controller/controller.ts
