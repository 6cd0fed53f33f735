#!/usr/bin/env bash
# The demo from a fresh clone: installs what it needs (npm dependencies, the build, the local stack),
# then runs `meshkit-rebalance-obs demo`: simulated rebalancers in two clusters reporting through the
# Collector to Prometheus and Jaeger, alerts firing and resolving live, then where to look.
# Arguments go to the demo (--duration D, --keep, --no-stack). Stops cleanly on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --no-stack
exec node bin/meshkit-rebalance-obs.js demo "$@"
