#!/usr/bin/env bash
# make test: checks, then the whole suite on SQLite and again on a private PostgreSQL.
#
# Stages: Debian packages (when missing) · ruff check · ruff format --check · mypy ·
# import contracts (lint-imports, [tool.importlinter] in pyproject.toml) ·
# makemigrations --check · project rules (scripts/check_rules.py) · compilemessages ·
# JS packages (axe-core for the browser tests: npm ci when node_modules is missing or the lock
# changed) ·
# pytest on SQLite: the end-to-end browser tests (marked e2e) in a run of their own, and every
# other test in another; pytest on PostgreSQL: all tests but e2e (the browser tests exercise
# pages, not the database, and drive their own server: running them twice would only add
# minutes), but the generated access matrix, tests/access, which checks the Python permission
# layer, and but the tests marked own_installation, which run on a SQLite installation of their
# own. Every stage runs even when an earlier one failed, so one run shows every problem; the
# exit status is non-zero when any stage failed.
#
# The three pytest runs go side by side (see below); their output is shown as each ends. A table
# of every stage's time (and each pytest run's processor time) closes the run, before the
# summary.
#
# Environment: PYTEST_ARGS (extra pytest arguments for every run, e.g. "-x" or "-k dues"),
# ZHIJIA_TEST_ONLY=lint (checks only), ZHIJIA_TEST_SKIP_PG=1 (no PostgreSQL run),
# ZHIJIA_TEST_WORKERS (xdist workers of the SQLite and PostgreSQL runs, default 2; 0: none).
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

# axe-core for the browser tests' accessibility checks (not needed by the checks above).
stage "JS packages" scripts/js-deps.sh

summary() {
    # The closing line of a pytest run ("== 120 passed, 2 skipped in 30.1s ==").
    grep -E '^=+ .*(passed|failed|error|no tests ran).* in [0-9.]+s' "$1" | tail -n 1
}

# How the runs share the machine: three pytest runs go side by side.
#   e2e     the browser tests (marked e2e), on SQLite, in one process: one seeded server, one
#           browser, one test after another. They are the longest chain of the whole run (a
#           test waits on the browser, the browser on the server), so they run at normal
#           priority and everything else yields the processor to them (nice).
#   SQLite  every other test, including the generated access matrix, over pytest-xdist workers.
#   PostgreSQL  every other test but the access matrix and the own-installation tests, over
#           pytest-xdist workers.
# Each run's wall time and processor time (user + system, its processes and their children,
# the browser and the e2e server included; PostgreSQL's own server not) are in the table: on a
# 2-core machine the three together cannot end before half the sum of the processor times.
# ZHIJIA_TEST_WORKERS (xdist workers of the SQLite and PostgreSQL runs and of schemathesis,
# default 2; 0: no xdist) changes them. Each worker has its own test database (pytest-django
# adds _gw0, _gw1 to its name) and its own temporary directory under --basetemp.
xdist() {
    # xdist N: the pytest-xdist arguments for N workers (none for 0).
    if [ "$1" != 0 ]; then
        echo "-n $1"
    fi
}
workers=${ZHIJIA_TEST_WORKERS:-2}
read -ra xdist_args <<<"$(xdist "$workers")"

# shellcheck disable=SC2086
run_pytest() {
    # run_pytest NAME DATA_DIR [pytest args...]: output to $work/NAME.log (with the ten
    # slowest tests), wall and processor seconds ("real user sys") to $work/NAME.time.
    local name=$1 data=$2
    shift 2
    mkdir -p "$data"
    local TIMEFORMAT='%1R %1U %1S'
    {
        time ZHIJIA_DATA_DIR="$data" "$BIN/pytest" -ra --durations=10 --basetemp="$data/tmp" "$@" \
            ${PYTEST_ARGS:-} >"$work/$name.log" 2>&1
    } 2>"$work/$name.time"
}

unset DATABASE_URL

# schemathesis: every API operation fuzzed against /api/v1/openapi.json, with the chair's
# token and without one, on a small seeded demo union (tests/schemathesis). It fails on any
# 5xx, any answer outside the operation's documented schema, status or content type. In-process
# (schemathesis' WSGI mode) on SQLite only: it checks the API's contract, which does not depend
# on the database; the PostgreSQL run leaves it out. Bounded by the examples per operation
# (MAX_EXAMPLES in the test module) to about a minute on two cores.
run_schemathesis() {
    mkdir -p "$work/data-schemathesis"
    ZHIJIA_DATA_DIR="$work/data-schemathesis" "$BIN/pytest" -q \
        --basetemp="$work/data-schemathesis/tmp" "${xdist_args[@]}" -m schemathesis \
        tests/schemathesis
}
stage "schemathesis" run_schemathesis

pg_url=
if [ "${ZHIJIA_TEST_SKIP_PG:-}" != 1 ]; then
    echo "== PostgreSQL start =="
    t0=$EPOCHREALTIME
    if url=$(scripts/pg.sh start "$pgdir"); then
        pg_url=${url#DATABASE_URL=}
        echo "PostgreSQL: $pg_url"
        row "PostgreSQL start" "$(since "$t0")" ok
    else
        failed+=("PostgreSQL start")
        row "PostgreSQL start" "$(since "$t0")" failed
    fi
fi

# The migrated, empty PostgreSQL database that the tests running zhijia in subprocesses copy
# (tests/installations.py): made here, at normal priority, before the PostgreSQL run starts
# yielding the processor; kept on the server for the next run of the same migrations.
pg_template() {
    mkdir -p "$work/data-pg-template"
    DATABASE_URL=$pg_url ZHIJIA_DATA_DIR="$work/data-pg-template" "$BIN/python" \
        -m tests.installations "$work/data-pg-template/tmp"
}
if [ -n "$pg_url" ]; then
    stage "PostgreSQL template" pg_template
fi

echo "== e2e run, SQLite run and PostgreSQL run, side by side =="
declare -A pids titles
titles=([e2e]="e2e run" [sqlite]="SQLite run" [pg]="PostgreSQL run")
run_pytest e2e "$work/data-e2e" -m e2e tests/e2e &
pids[e2e]=$!
yield_processor() {
    # yield_processor N: the calling subshell, and all it starts, yields the processor to the
    # e2e run (niceness N). The SQLite and PostgreSQL runs share what is left equally: with
    # the PostgreSQL run yielding to the SQLite run as well (niceness 15), its tests that run
    # `zhijia` in subprocesses (backup, crash) starved for minutes and it ended some 100 s
    # after the SQLite run (make test at 928 s, 2026-12-06); side by side they end together.
    renice -n "$1" -p "$BASHPID" >/dev/null 2>&1 || true
}
(
    yield_processor 5
    run_pytest sqlite "$work/data-sqlite" "${xdist_args[@]}" -m "not e2e"
) &
pids[sqlite]=$!
runs=(e2e sqlite)
if [ -n "$pg_url" ]; then
    # The generated access matrix (tests/access: every route x persona x target, ~12,000
    # cases) runs on SQLite only: it checks the permission layer, whose rules are Python; the
    # scope queries under it are checked on PostgreSQL by each module's own tests. Tests marked
    # own_installation run zhijia on a SQLite installation of their own whatever the run's
    # database (deployment hardening, the SQLite backup): the SQLite run has them. So do the
    # checks of what the pages render, which do not depend on the database: the forms that ask
    # before an irreversible step (tests/test_confirmations.py renders ~900 pages over every
    # module's world), the Content-Security-Policy of every page (tests/test_csp.py) and the
    # navigation links (tests/test_navigation*.py). Nor the ballot cryptography and its
    # verifier (zhijia/voting/tests/test_crypto_*.py, tests/test_verifier.py): pure arithmetic,
    # no database, some 20 s of processor time.
    (
        yield_processor 5
        DATABASE_URL=$pg_url run_pytest pg "$work/data-pg" "${xdist_args[@]}" \
            -m "not e2e and not own_installation" --ignore=tests/access \
            --ignore=tests/test_confirmations.py --ignore=tests/test_csp.py \
            --ignore=tests/test_navigation.py --ignore=tests/test_navigation_crawl.py \
            --ignore=tests/test_verifier.py --ignore-glob='zhijia/voting/tests/test_crypto_*.py'
    ) &
    pids[pg]=$!
    runs+=(pg)
fi

declare -A codes
cpu_total=0
for name in "${runs[@]}"; do
    codes[$name]=0
    wait "${pids[$name]}" || codes[$name]=$?
    read -r real user sys <"$work/$name.time" || { real=0 user=0 sys=0; }
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
    cpu_total=$(awk -v a="$cpu_total" -v b="$cpu" 'BEGIN { printf "%.1f", a + b }')
    echo "== ${titles[$name]} ($real s, processor $cpu s) =="
    cat "$work/$name.log"
    if [ "${codes[$name]}" -eq 0 ]; then
        row "${titles[$name]}" "$real" "ok (processor $cpu s)"
    else
        failed+=("${titles[$name]}")
        row "${titles[$name]}" "$real" "failed (processor $cpu s)"
    fi
done
[ -n "$pg_url" ] || row "PostgreSQL run" - "skipped"
echo "processor time of the three runs: $cpu_total s (at best $cpu_total / 2 s of wall time on 2 cores)"

print_table
echo
echo "== Summary =="
for name in e2e sqlite pg; do
    if [ -z "${codes[$name]+set}" ]; then
        printf '%-16s skipped\n' "${titles[$name]}:"
    else
        printf '%-16s %s (exit %s)\n' "${titles[$name]}:" "$(summary "$work/$name.log")" \
            "${codes[$name]}"
    fi
done
if [ ${#failed[@]} -eq 0 ]; then
    echo "make test: all stages passed"
    exit 0
fi
echo "make test: FAILED: ${failed[*]}"
exit 1
