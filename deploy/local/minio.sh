# shellcheck shell=bash
# MinIO (S3) for local tests: built from source with `go install` into the cache,
# single-drive server on 127.0.0.1 with data in $CONTIGO_STATE/minio/data. Sourced by servers.sh.

CONTIGO_MINIO_VERSION="${CONTIGO_MINIO_VERSION:-latest}"   # module version for go install
MINIO_BIN="$CONTIGO_CACHE/minio/bin/minio"
MINIO_STATE="$CONTIGO_STATE/minio"
MINIO_DATA="$MINIO_STATE/data"
MINIO_PID="$MINIO_STATE/minio.pid"
MINIO_LOG="$CONTIGO_LOGS/minio.log"

minio_install() {
    [[ -x $MINIO_BIN ]] && return 0
    command -v go >/dev/null || die "minio: go not found (needed to build MinIO: go install github.com/minio/minio)"
    mkdir -p "$CONTIGO_CACHE/minio"
    # One build at a time, even across concurrent invocations.
    exec 8>"$CONTIGO_CACHE/minio/.install.lock"
    flock 8
    if [[ ! -x $MINIO_BIN ]]; then
        info "minio: building github.com/minio/minio@$CONTIGO_MINIO_VERSION with go install (takes a few minutes)"
        GOBIN="$CONTIGO_CACHE/minio/bin" CGO_ENABLED=0 \
            go install "github.com/minio/minio@$CONTIGO_MINIO_VERSION" \
            || die "minio: go install github.com/minio/minio@$CONTIGO_MINIO_VERSION failed (set CONTIGO_MINIO_VERSION to a MinIO release tag, RELEASE.<date>)"
    fi
    exec 8>&-
}

minio_running() {
    pid_alive "$MINIO_PID" "minio server"
}

minio_healthy() {
    curl -fsS -o /dev/null --max-time 3 "http://$CONTIGO_BIND:$CONTIGO_MINIO_PORT/minio/health/live" 2>/dev/null
}

minio_start() {
    if minio_running; then
        minio_healthy || wait_healthy minio "$MINIO_LOG" minio_healthy \
            || die "minio: running but not healthy within ${CONTIGO_START_TIMEOUT}s (log: $MINIO_LOG)"
        info "minio: already running on $CONTIGO_BIND:$CONTIGO_MINIO_PORT"
        return 0
    fi
    rm -f "$MINIO_PID"
    minio_install
    require_port_free minio "$CONTIGO_MINIO_PORT"
    require_port_free minio "$CONTIGO_MINIO_CONSOLE_PORT"
    mkdir -p "$MINIO_DATA" "$CONTIGO_LOGS"
    rotate_log "$MINIO_LOG"
    info "minio: starting on $CONTIGO_BIND:$CONTIGO_MINIO_PORT (console $CONTIGO_MINIO_CONSOLE_PORT)"
    (
        cd "$MINIO_STATE" || exit 1
        export MINIO_ROOT_USER="$CONTIGO_MINIO_USER" MINIO_ROOT_PASSWORD="$CONTIGO_MINIO_PASSWORD"
        export MINIO_UPDATE=off
        exec setsid nohup "$MINIO_BIN" server --anonymous \
            --address "$CONTIGO_BIND:$CONTIGO_MINIO_PORT" \
            --console-address "$CONTIGO_BIND:$CONTIGO_MINIO_CONSOLE_PORT" \
            "$MINIO_DATA" >>"$MINIO_LOG" 2>&1 </dev/null
    ) &
    echo $! >"$MINIO_PID"
    if ! wait_healthy minio "$MINIO_LOG" minio_healthy; then
        stop_pid minio "$MINIO_PID" "minio server" 30 >/dev/null 2>&1 || true
        die "minio: not healthy within ${CONTIGO_START_TIMEOUT}s, stopped it (log: $MINIO_LOG)"
    fi
}

minio_stop() {
    stop_pid minio "$MINIO_PID" "minio server" 30
}

minio_status() {
    if minio_running; then
        echo "minio     running  http://$CONTIGO_BIND:$CONTIGO_MINIO_PORT (console http://$CONTIGO_BIND:$CONTIGO_MINIO_CONSOLE_PORT)"
    else
        echo "minio     stopped  http://$CONTIGO_BIND:$CONTIGO_MINIO_PORT"
    fi
}

minio_env() {
    echo "CONTIGO_S3_ENDPOINT=$CONTIGO_BIND:$CONTIGO_MINIO_PORT"
    echo "CONTIGO_S3_ACCESS_KEY=$CONTIGO_MINIO_USER"
    echo "CONTIGO_S3_SECRET_KEY=$CONTIGO_MINIO_PASSWORD"
}
