#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what it needs, builds, then runs every test.
# Extra arguments go to jest (e.g. scripts/test.sh test/unit).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# The OTLP exporters load node:http through import(), which jest runs only with vm modules enabled.
exec npm test --silent -- "$@"
