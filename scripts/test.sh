#!/usr/bin/env bash
# make test: checks, then the whole suite on SQLite and again on a private PostgreSQL.
#
# Stages: Debian packages (when missing) · ruff check · ruff format --check · mypy ·
# makemigrations --check · project rules (scripts/check_rules.py) · compilemessages ·
# pytest on SQLite (all tests, including the end-to-end browser tests marked e2e) ·
# pytest on PostgreSQL (all tests but e2e: the browser tests exercise pages, not the database,
# and they drive their own server; running them twice would only add minutes).
# Every stage runs even when an earlier one failed, so one run shows every problem; the exit
# status is non-zero when any stage failed.
#
# Environment: PYTEST_ARGS (extra pytest arguments for both runs, e.g. "-x" or "-k dues"),
# ZHIJIA_TEST_ONLY=lint (checks only), ZHIJIA_TEST_SKIP_PG=1 (SQLite run only).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
export PYTHONDONTWRITEBYTECODE=1

work=$(mktemp -d /tmp/zhijia-test.XXXXXX)
# The PostgreSQL directory sits apart: the server runs as the postgres user, who must be able
# to reach it (mktemp makes it private to us; pg.sh hands it over).
pgdir=$(mktemp -d /tmp/zhijia-pg.XXXXXX)
cleanup() {
    scripts/pg.sh stop "$pgdir"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=()
stage() {
    # stage NAME COMMAND...: run, remember a failure, keep going.
    local name=$1
    shift
    echo "== $name =="
    if ! "$@"; then
        failed+=("$name")
        echo "!! $name failed"
    fi
}

export ZHIJIA_DATA_DIR="$work/data-checks"
mkdir -p "$ZHIJIA_DATA_DIR"
stage "Debian packages" scripts/system-deps.sh
stage "ruff check" "$BIN/ruff" check .
stage "ruff format" "$BIN/ruff" format --check .
stage "mypy" "$BIN/mypy" zhijia
stage "migrations up to date" "$BIN/python" manage.py makemigrations --check --dry-run
stage "project rules" "$BIN/python" scripts/check_rules.py
compile_messages() {
    (cd zhijia && "$BIN/django-admin" compilemessages --settings=zhijia.settings -v 0)
}
stage "compilemessages" compile_messages

if [ "${ZHIJIA_TEST_ONLY:-}" = lint ]; then
    [ ${#failed[@]} -eq 0 ] && { echo "checks: all passed"; exit 0; }
    echo "checks failed: ${failed[*]}"
    exit 1
fi

summary() {
    # The closing line of a pytest run ("== 120 passed, 2 skipped in 30.1s ==").
    grep -E '^=+ .*(passed|failed|error|no tests ran).* in [0-9.]+s' "$1" | tail -n 1
}

# shellcheck disable=SC2086
run_pytest() {
    local log=$1
    shift
    "$BIN/pytest" -ra "$@" ${PYTEST_ARGS:-} 2>&1 | tee "$log"
    return "${PIPESTATUS[0]}"
}

echo "== SQLite run =="
export ZHIJIA_DATA_DIR="$work/data-sqlite"
mkdir -p "$ZHIJIA_DATA_DIR"
unset DATABASE_URL
sqlite_rc=0
run_pytest "$work/sqlite.log" || sqlite_rc=$?
[ $sqlite_rc -eq 0 ] || failed+=("SQLite run")

pg_rc=skipped
if [ "${ZHIJIA_TEST_SKIP_PG:-}" != 1 ]; then
    echo "== PostgreSQL run =="
    export ZHIJIA_DATA_DIR="$work/data-pg"
    mkdir -p "$ZHIJIA_DATA_DIR"
    if url=$(scripts/pg.sh start "$pgdir"); then
        export "${url?}"
        echo "PostgreSQL: ${DATABASE_URL}"
        pg_rc=0
        run_pytest "$work/pg.log" -m "not e2e" || pg_rc=$?
        [ $pg_rc -eq 0 ] || failed+=("PostgreSQL run")
        unset DATABASE_URL
    else
        pg_rc=1
        failed+=("PostgreSQL start")
    fi
fi

echo
echo "== Summary =="
echo "SQLite run:     $(summary "$work/sqlite.log") (exit $sqlite_rc)"
if [ "$pg_rc" = skipped ]; then
    echo "PostgreSQL run: skipped (ZHIJIA_TEST_SKIP_PG=1)"
else
    echo "PostgreSQL run: $(summary "$work/pg.log" 2>/dev/null || echo "server did not start") (exit $pg_rc)"
fi
if [ ${#failed[@]} -eq 0 ]; then
    echo "make test: all stages passed"
    exit 0
fi
echo "make test: FAILED: ${failed[*]}"
exit 1
