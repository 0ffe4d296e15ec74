#!/usr/bin/env bash
# A private, throw-away PostgreSQL for the tests: its own data directory, unix-socket directory
# and port, listening on 127.0.0.1 only, run as the postgres user when we are root.
#
#   scripts/pg.sh start DIR [PORT]   initdb DIR/data, start, create database "zhijia";
#                                    prints DATABASE_URL=postgres://postgres@127.0.0.1:PORT/zhijia
#   scripts/pg.sh stop DIR           stop the server and delete DIR
#   scripts/pg.sh url DIR            print the DATABASE_URL of a running server
#
# PORT defaults to 55433 (the next free port from there). Debian's postgresql package is used;
# the newest installed major version is found under /usr/lib/postgresql/*/bin.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop|url DIR [PORT]" >&2; exit 2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] || { echo "pg.sh: PostgreSQL is not installed" >&2; exit 1; }

as_pg() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$cmd" in
start)
    port=${3:-55433}
    for _ in $(seq 1 50); do
        port_busy "$port" || break
        port=$((port + 1))
    done
    mkdir -p "$dir"
    chmod 700 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir/port"
    # Durability is not wanted for a test server: fsync and friends off make it much faster.
    # max_connections: each pytest-xdist worker (scripts/test.sh) runs the concurrency tests,
    # whose threads open a connection each; 60 was too few for two workers at once.
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
        "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_connections=150" >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    as_pg "$bindir/createdb" -h "$dir" -p "$port" -U postgres zhijia
    echo "DATABASE_URL=postgres://postgres@127.0.0.1:$port/zhijia"
    ;;
url)
    echo "DATABASE_URL=postgres://postgres@127.0.0.1:$(cat "$dir/port")/zhijia"
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_pg "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop|url DIR [PORT]" >&2
    exit 2
    ;;
esac
