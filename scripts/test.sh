#!/usr/bin/env bash
# make test: checks, then the whole suite on SQLite and again on a private PostgreSQL.
#
# Stages: Debian packages (when missing) · ruff check · ruff format --check · mypy ·
# import contracts (lint-imports, [tool.importlinter] in pyproject.toml) ·
# makemigrations --check · project rules (scripts/check_rules.py) · compilemessages ·
# pytest on SQLite (all tests, including the end-to-end browser tests marked e2e) ·
# pytest on PostgreSQL (all tests but e2e: the browser tests exercise pages, not the database,
# and they drive their own server; running them twice would only add minutes; but the
# generated access matrix, tests/access, which checks the Python permission layer; and but
# the tests marked own_installation, which run on a SQLite installation of their own).
# Every stage runs even when an earlier one failed, so one run shows every problem; the exit
# status is non-zero when any stage failed.
#
# The two pytest runs go side by side, each over pytest-xdist workers (see below); their output
# is shown as each ends. A table of every stage's time closes the run, before the summary.
#
# Environment: PYTEST_ARGS (extra pytest arguments for both runs, e.g. "-x" or "-k dues"),
# ZHIJIA_TEST_ONLY=lint (checks only), ZHIJIA_TEST_SKIP_PG=1 (SQLite run only),
# ZHIJIA_TEST_WORKERS (xdist workers per run, default 2; 0: no xdist).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
# Bytecode is written (__pycache__ is ignored by git): every pytest process and every `zhijia`
# subprocess of the tests would otherwise compile the project again, and pytest its assertion
# rewriting of ~430 test modules (collection: 18 s a process without the cache, 9 s with it).
# Some machines set PYTHONDONTWRITEBYTECODE for everything; not for this run.
unset PYTHONDONTWRITEBYTECODE

work=$(mktemp -d /tmp/zhijia-test.XXXXXX)
# The PostgreSQL directory sits apart: the server runs as the postgres user, who must be able
# to reach it (mktemp makes it private to us; pg.sh hands it over).
pgdir=$(mktemp -d /tmp/zhijia-pg.XXXXXX)
cleanup() {
    # The pytest runs go on in the background: end them first (on an interrupt).
    local pid
    for pid in $(jobs -p); do
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    scripts/pg.sh stop "$pgdir"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=()
# The summary table: one row per stage (name, seconds, ok/failed/skipped).
rows=()
row() {
    rows+=("$(printf '%-24s %8s  %s' "$1" "$2" "$3")")
}
since() {
    # Seconds since $1 (an $EPOCHREALTIME), one decimal.
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}
stage() {
    # stage NAME COMMAND...: run, time, remember a failure, keep going.
    local name=$1 t0=$EPOCHREALTIME
    shift
    echo "== $name =="
    if "$@"; then
        row "$name" "$(since "$t0")" ok
    else
        failed+=("$name")
        row "$name" "$(since "$t0")" failed
        echo "!! $name failed"
    fi
}
print_table() {
    echo
    echo "== Stage times =="
    printf '%-24s %8s  %s\n' stage seconds result
    printf '%s\n' "${rows[@]}"
    printf '%-24s %8s\n' "total" "$(since "$T_START")"
}
T_START=$EPOCHREALTIME

export ZHIJIA_DATA_DIR="$work/data-checks"
mkdir -p "$ZHIJIA_DATA_DIR"
stage "Debian packages" scripts/system-deps.sh
stage "ruff check" "$BIN/ruff" check .
stage "ruff format" "$BIN/ruff" format --check .
stage "mypy" "$BIN/mypy" zhijia
stage "import contracts" "$BIN/lint-imports" --no-cache
stage "migrations up to date" "$BIN/python" manage.py makemigrations --check --dry-run
stage "project rules" "$BIN/python" scripts/check_rules.py
compile_messages() {
    (cd zhijia && "$BIN/django-admin" compilemessages --settings=zhijia.settings -v 0)
}
stage "compilemessages" compile_messages

if [ "${ZHIJIA_TEST_ONLY:-}" = lint ]; then
    print_table
    [ ${#failed[@]} -eq 0 ] && { echo "checks: all passed"; exit 0; }
    echo "checks failed: ${failed[*]}"
    exit 1
fi

summary() {
    # The closing line of a pytest run ("== 120 passed, 2 skipped in 30.1s ==").
    grep -E '^=+ .*(passed|failed|error|no tests ran).* in [0-9.]+s' "$1" | tail -n 1
}

# How the two pytest runs share the machine: the SQLite run and the PostgreSQL run go side by
# side, each over pytest-xdist workers. Side by side keeps both cores busy while one run waits
# (on the browser in the end-to-end tests, on the PostgreSQL server in the other). The SQLite
# run holds about 1.5 times the PostgreSQL run's work (it adds the access matrix and the
# browser tests), so it gets 3 workers to PostgreSQL's 2: the two then share the cores in
# that ratio and end together (measured at 2ab93de on a quiet 2-core machine with 2 and 2:
# SQLite 955 s, PostgreSQL 635 s, one core each; 3 and 2 should end both near 800 s).
# ZHIJIA_TEST_WORKERS (PostgreSQL run and schemathesis, default 2) and
# ZHIJIA_TEST_WORKERS_SQLITE (default 3) change them; 0: no xdist.
# --dist loadgroup: the end-to-end tests form one group (tests/e2e/conftest.py), so a single
# worker seeds and serves the e2e server, and as the largest unit it is started first.
# Each worker has its own test database (pytest-django adds _gw0, _gw1 to its name) and its
# own temporary directory under --basetemp.
xdist() {
    # xdist N: the pytest-xdist arguments for N workers (none for 0).
    if [ "$1" != 0 ]; then
        echo "-n $1 --dist loadgroup"
    fi
}
workers=${ZHIJIA_TEST_WORKERS:-2}
sqlite_workers=${ZHIJIA_TEST_WORKERS_SQLITE:-3}
read -ra xdist_args <<<"$(xdist "$workers")"
read -ra sqlite_xdist_args <<<"$(xdist "$sqlite_workers")"

# shellcheck disable=SC2086
run_pytest() {
    # run_pytest LOG DATA_DIR [pytest args...]: the run's output goes to LOG; the xdist
    # arguments are in the array run_xdist.
    local log=$1 data=$2
    shift 2
    mkdir -p "$data"
    ZHIJIA_DATA_DIR="$data" "$BIN/pytest" -ra --basetemp="$data/tmp" "${run_xdist[@]}" \
        "$@" ${PYTEST_ARGS:-} >"$log" 2>&1
}

unset DATABASE_URL

# schemathesis: every API operation fuzzed against /api/v1/openapi.json, with the chair's
# token and without one, on a small seeded demo union (tests/schemathesis). It fails on any
# 5xx, any answer outside the operation's documented schema, status or content type. In-process
# (schemathesis' WSGI mode) on SQLite only: it checks the API's contract, which does not depend
# on the database; the PostgreSQL run leaves it out. Bounded by the examples per operation
# (MAX_EXAMPLES in the test module) to about two minutes on two cores.
run_schemathesis() {
    mkdir -p "$work/data-schemathesis"
    ZHIJIA_DATA_DIR="$work/data-schemathesis" "$BIN/pytest" -q \
        --basetemp="$work/data-schemathesis/tmp" "${xdist_args[@]}" -m schemathesis \
        tests/schemathesis
}
stage "schemathesis" run_schemathesis

pg_rc=skipped
pg_url=
if [ "${ZHIJIA_TEST_SKIP_PG:-}" != 1 ]; then
    echo "== PostgreSQL start =="
    t0=$EPOCHREALTIME
    if url=$(scripts/pg.sh start "$pgdir"); then
        pg_url=${url#DATABASE_URL=}
        echo "PostgreSQL: $pg_url"
        row "PostgreSQL start" "$(since "$t0")" ok
    else
        pg_rc=1
        failed+=("PostgreSQL start")
        row "PostgreSQL start" "$(since "$t0")" failed
    fi
fi

echo "== SQLite run (all tests, incl. e2e) and PostgreSQL run (all but e2e and the access matrix), side by side =="
sqlite_t0=$EPOCHREALTIME
run_xdist=("${sqlite_xdist_args[@]}")
run_pytest "$work/sqlite.log" "$work/data-sqlite" &
sqlite_pid=$!
if [ -n "$pg_url" ]; then
    pg_t0=$EPOCHREALTIME
    # The generated access matrix (tests/access: every route x persona x target, ~12,000
    # cases) runs on SQLite only: it checks the permission layer, whose rules are Python; the
    # scope queries under it are checked on PostgreSQL by each module's own tests. On
    # PostgreSQL it would double the run (about twice the time a case of SQLite's).
    run_xdist=("${xdist_args[@]}")
    # Tests marked own_installation run zhijia on a SQLite installation of their own whatever
    # the run's database (deployment hardening, the SQLite backup): the SQLite run has them.
    DATABASE_URL=$pg_url run_pytest "$work/pg.log" "$work/data-pg" \
        -m "not e2e and not own_installation" --ignore=tests/access &
    pg_pid=$!
fi

sqlite_rc=0
wait "$sqlite_pid" || sqlite_rc=$?
sqlite_secs=$(since "$sqlite_t0")
echo "== SQLite run ($sqlite_secs s) =="
cat "$work/sqlite.log"
if [ $sqlite_rc -eq 0 ]; then
    row "SQLite run" "$sqlite_secs" ok
else
    failed+=("SQLite run")
    row "SQLite run" "$sqlite_secs" failed
fi

if [ -n "$pg_url" ]; then
    pg_rc=0
    wait "$pg_pid" || pg_rc=$?
    pg_secs=$(since "$pg_t0")
    echo "== PostgreSQL run ($pg_secs s) =="
    cat "$work/pg.log"
    if [ $pg_rc -eq 0 ]; then
        row "PostgreSQL run" "$pg_secs" ok
    else
        failed+=("PostgreSQL run")
        row "PostgreSQL run" "$pg_secs" failed
    fi
elif [ "$pg_rc" = skipped ]; then
    row "PostgreSQL run" - "skipped"
fi

print_table
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
