#!/usr/bin/env bash
# Idempotent: npm dependencies when the lock file changed, the build, the local stack binaries, and Chromium.
# --no-stack stops after the build: the demo installs the stack itself, starting its tour while the
# trace backend still builds, and needs no Chromium (the console is drawn by the reader's browser).
set -euo pipefail
cd "$(dirname "$0")/.."
only_build=false
if [ "${1:-}" = "--no-stack" ]; then only_build=true; fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[setup] installing npm dependencies…" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
echo "[setup] building…" >&2
node scripts/build.mjs
if $only_build; then exit 0; fi
if [ -f src/stack/install.ts ]; then
  node bin/meshkit-rebalance-obs.js stack install
fi
# The console, the trace page's PNGs and the screenshot tests draw in Debian's chromium.
node bin/meshkit-rebalance-obs.js render --install-chromium
