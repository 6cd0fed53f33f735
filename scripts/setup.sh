#!/usr/bin/env bash
# Idempotent: npm dependencies when the lock file changed, the build, the local stack binaries, and Chromium.
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
# The console, the trace page's PNGs and the screenshot tests draw in Debian's chromium.
node bin/meshkit-rebalance-obs.js render --install-chromium
