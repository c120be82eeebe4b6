#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a Unix socket in a temporary directory.
#
#   tests/pg.sh run -- CMD [ARGS]   start, run CMD with DATABASE_URL set, stop and delete
#   eval "$(tests/pg.sh start)"     start; exports DATABASE_URL and CATLOG_PG_DIR
#   tests/pg.sh stop DIR            stop and delete a cluster started with `start`
#
# No TCP port is opened. As root, the server runs as an unprivileged user (postgres).
set -euo pipefail

pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$d" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
    echo "$d"
}

as_server_user() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    local bin dir
    bin=$(pg_bin)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/catlog-pg.XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_server_user "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
    # Throwaway data: durability off, and room for bulk loads without checkpoints.
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
shared_buffers = 256MB
work_mem = 64MB
maintenance_work_mem = 512MB
CONF
    as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; rm -rf "$dir"; exit 1; }
    as_server_user "$bin/createdb" -h "$dir" -U postgres catlog
    echo "export CATLOG_PG_DIR='$dir'"
    echo "export DATABASE_URL='postgresql:///catlog?host=$dir&user=postgres'"
}

stop() {
    local dir=$1 bin
    bin=$(pg_bin)
    [ -d "$dir/data" ] && as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:?usage: pg.sh stop DIR}" ;;
run)
    shift
    [ "${1:-}" = "--" ] && shift
    eval "$(start)"
    trap 'stop "$CATLOG_PG_DIR"' EXIT INT TERM
    "$@"
    ;;
*) echo "usage: pg.sh start | stop DIR | run -- CMD [ARGS]" >&2; exit 2 ;;
esac
