# shellcheck shell=bash
# A throwaway PostgreSQL cluster for the library's storage tests: sourced by .ci/run (and usable alone:
# `source .ci/postgres.sh && start_postgres`). Installs Debian's postgresql when it is missing, starts a
# cluster in a temporary folder on a free loopback port, exports IMAGEGEN_TEST_POSTGRES_URL and
# IMAGEGEN_REQUIRE_POSTGRES=1 (the tests then fail rather than skip), and stops and deletes it on exit.

postgres_bin() {
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [[ -n "$found" && -x "$found/initdb" ]] && echo "$found"
}

stop_postgres() {
    if [[ -n "${IMAGEGEN_PG_DIR:-}" && -d "$IMAGEGEN_PG_DIR" ]]; then
        as_postgres_user "$(postgres_bin)/pg_ctl" -D "$IMAGEGEN_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$IMAGEGEN_PG_DIR"
    fi
}

as_postgres_user() {
    # initdb and postgres refuse to run as root: run them as the postgres user the package creates.
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_postgres() {
    local bin port
    bin=$(postgres_bin || true)
    if [[ -z "$bin" ]]; then
        echo "ci: installing postgresql from Debian packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        bin=$(postgres_bin)
    fi
    IMAGEGEN_PG_DIR=$(mktemp -d /tmp/imagegen-pg.XXXXXX)
    export IMAGEGEN_PG_DIR
    [[ $(id -u) -eq 0 ]] && chown postgres "$IMAGEGEN_PG_DIR"
    trap stop_postgres EXIT
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres_user "$bin/initdb" -D "$IMAGEGEN_PG_DIR/data" -U imagegen -A trust -E UTF8 >/dev/null
    as_postgres_user "$bin/pg_ctl" -D "$IMAGEGEN_PG_DIR/data" -l "$IMAGEGEN_PG_DIR/log" -w \
        -o "-h 127.0.0.1 -p $port -k $IMAGEGEN_PG_DIR -c fsync=off" start >/dev/null
    export IMAGEGEN_TEST_POSTGRES_URL="postgresql+psycopg://imagegen@127.0.0.1:$port/postgres"
    export IMAGEGEN_REQUIRE_POSTGRES=1
    echo "ci: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (deleted on exit)"
}
