#!/usr/bin/env bash
# The end-to-end tests' JavaScript: axe-core, pinned in tests/e2e/axe/package-lock.json, installed
# from the npm registry with `npm ci` into tests/e2e/axe/node_modules (git-ignored). Quick when
# nothing changed: npm ci runs only when node_modules is missing or the lock changed (a stamp in
# node_modules keyed on the lock's content). Called by make test (scripts/test.sh) and
# make screenshots. (The site's own browser JavaScript, ECharts, is scripts/vendor-js.sh's, run by
# make install.)
set -euo pipefail
cd "$(dirname "$0")/../tests/e2e/axe"

stamp=node_modules/.zhijia-lock
want=$(sha256sum package-lock.json | cut -c1-64)
if [ -f node_modules/axe-core/axe.min.js ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then
    exit 0
fi
if ! command -v npm >/dev/null; then
    echo "js-deps: npm not found: install Debian's npm (scripts/system-deps.sh does as root)" >&2
    exit 1
fi
echo "js-deps: npm ci (tests/e2e/axe)"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
