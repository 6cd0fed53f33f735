#!/usr/bin/env bash
# Idempotent: npm dependencies when the lock file changed, the build, and the local stack binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm dependencies…" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "[setup] building…" >&2
node scripts/build.mjs
if [ -f src/stack/install.ts ]; then
  node bin/meshkit-rebalance-obs.js stack install
fi
