#!/usr/bin/env bash
# make install: create .venv, install zhijia with its dev tools and the browser JavaScript it serves
# (ECharts, from the npm registry: scripts/vendor-js.sh); starts nothing.
# Idempotent and quick when nothing changed: a stamp keyed on pyproject.toml's content.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}
STAMP="$VENV/.zhijia-installed"
want=$(sha256sum pyproject.toml | cut -c1-64)

apt_install() {
    # Debian packages, only when running as root with apt-get (a developer's own machine may
    # have them installed another way).
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "install: apt-get install $*"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; then
            apt-get update -q >/dev/null
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null
        fi
    else
        echo "install: please install the Debian packages: $*" >&2
        return 1
    fi
}

if ! command -v "$PYTHON" >/dev/null; then
    apt_install python3.11 python3.11-venv
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "install: creating $VENV with $PYTHON"
    if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
        rm -rf "$VENV"
        apt_install python3.11-venv
        "$PYTHON" -m venv "$VENV"
    fi
fi

if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$want" ]; then
    echo "install: pip install -e '.[dev]'"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[dev]'
    echo "$want" >"$STAMP"
fi

# The English catalogue: compiled here, not committed (.mo files are build products).
needs_compile=0
for po in zhijia/locale/*/LC_MESSAGES/*.po; do
    [ -e "$po" ] || continue
    mo="${po%.po}.mo"
    if [ ! -e "$mo" ] || [ "$po" -nt "$mo" ]; then needs_compile=1; fi
done
if [ "$needs_compile" = 1 ]; then
    command -v msgfmt >/dev/null || apt_install gettext || true
    if command -v msgfmt >/dev/null; then
        (cd zhijia && ZHIJIA_DATA_DIR=${ZHIJIA_DATA_DIR:-$PWD/../var} \
            "../$VENV/bin/django-admin" compilemessages --settings=zhijia.settings \
            --pythonpath=.. -v 0)
    else
        echo "install: gettext (msgfmt) missing: the English translation is not compiled" >&2
    fi
fi
# The browser JavaScript zhijia serves from its own static files: Apache ECharts for the
# dashboard's charts, from the npm registry (scripts/vendor-js.sh: npm ci in js/, pinned by its
# package-lock.json, only when the copy is missing or the lock changed).
if ! command -v npm >/dev/null; then
    echo "install: npm is needed to install Apache ECharts (the dashboard's charts) from the npm registry" >&2
    apt_install npm
fi
scripts/vendor-js.sh
echo "install: ok ($VENV)"
