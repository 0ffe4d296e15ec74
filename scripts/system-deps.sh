#!/usr/bin/env bash
# Debian packages the tests need, installed only when missing:
#   postgresql (the second test run), chromium (end-to-end tests), gettext (compilemessages),
#   pango (WeasyPrint PDFs), fonts-wqy-microhei (Chinese in PDFs and browser screenshots),
#   npm (axe-core for the end-to-end tests' accessibility checks, scripts/js-deps.sh; make install
#   needs it too, for ECharts: scripts/vendor-js.sh).
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v npm >/dev/null || missing+=(npm)
command -v msgfmt >/dev/null || missing+=(gettext)
# WeasyPrint (PDF result sheets and agreements) renders through pango.
ldconfig -p | grep -q 'libpangoft2-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
compgen -G '/usr/share/fonts/truetype/wqy/*' >/dev/null \
    || compgen -G '/usr/share/fonts/opentype/noto/*CJK*' >/dev/null \
    || missing+=(fonts-wqy-microhei)

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "system-deps: please install these Debian packages: ${missing[*]}" >&2
    exit 1
fi
echo "system-deps: apt-get install ${missing[*]}"
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
