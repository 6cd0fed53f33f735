#!/usr/bin/env bash
# The fleet tests (test/fleet), opt-in: two regions of Prometheus HA pairs with Thanos sidecars, a
# two-node Alertmanager cluster, Thanos Query and a Collector agent per region, all real processes on
# 127.0.0.1. Builds Thanos on first use (a few minutes), then each file takes several minutes.
# Extra arguments go to jest (e.g. scripts/test-fleet.sh test/fleet/ha.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export MESHKIT_FLEET_TESTS=1
exec npm test --silent -- --runInBand "${@:-test/fleet}"
