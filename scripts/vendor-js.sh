#!/usr/bin/env bash
# The product's browser JavaScript from the npm registry: Apache ECharts (the dashboard's
# charts), pinned in js/package-lock.json. `npm ci` installs it into js/node_modules, and
# echarts.min.js with its licences and NOTICE is copied to zhijia/static/vendor/echarts/, which
# zhijia serves from its own static files (no CDN). Both are git-ignored. Quick when nothing
# changed: npm ci runs only when the copy is missing or the lock changed (a stamp beside the
# copy keyed on the lock's content; a dot file, which collectstatic leaves out).
# Called by make install (scripts/install.sh). Without the file the dashboard keeps its
# server-drawn SVG bars.
set -euo pipefail
cd "$(dirname "$0")/.."

out=zhijia/static/vendor/echarts
stamp=$out/.zhijia-lock
want=$(sha256sum js/package-lock.json | cut -c1-64)
if [ -f "$out/echarts.min.js" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then
    exit 0
fi
if ! command -v npm >/dev/null; then
    echo "vendor-js: npm not found: it installs Apache ECharts for the dashboard's charts." >&2
    echo "vendor-js: install Debian's npm (as root: apt-get install npm), then run make install again" >&2
    exit 1
fi
echo "vendor-js: npm ci (js: echarts)"
(cd js && npm ci --no-audit --no-fund --loglevel=error)
dist=js/node_modules/echarts
mkdir -p "$out"
# Into a temporary name, then renamed: a server never sees half a file.
cp "$dist/dist/echarts.min.js" "$out/.echarts.min.js.tmp"
mv "$out/.echarts.min.js.tmp" "$out/echarts.min.js"
# The licences of what the bundle holds: ECharts (Apache-2.0, with its NOTICE), the d3 parts
# it embeds and zrender, its renderer (BSD-3-Clause).
cp "$dist/LICENSE" "$out/LICENSE"
cp "$dist/NOTICE" "$out/NOTICE"
cp "$dist/licenses/LICENSE-d3" "$out/LICENSE-d3"
cp js/node_modules/zrender/LICENSE "$out/LICENSE-zrender"
echo "$want" >"$stamp"
