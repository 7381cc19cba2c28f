#!/usr/bin/env bash
# Installs, starts, health-checks and stops REAL local servers (PostgreSQL, Kafka,
# MinIO) on 127.0.0.1 for tests and the distributed run -- no Docker needed.
#
#   servers.sh {install|start|stop|status|env} [postgres|kafka|minio|all]   (default: all)
#
# Downloads/builds are cached in $CONTIGO_CACHE (default ~/.cache/contigo); data, pid
# files and logs live in $CONTIGO_STATE (default $CONTIGO_CACHE/state). After start/stop,
# $CONTIGO_STATE/servers.env lists the connection settings of the running servers.
# See deploy/local/README.md.
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=SCRIPTDIR/postgres.sh
source "$LOCAL_DIR/postgres.sh"
# shellcheck source=SCRIPTDIR/kafka.sh
source "$LOCAL_DIR/kafka.sh"
# shellcheck source=SCRIPTDIR/minio.sh
source "$LOCAL_DIR/minio.sh"

usage() {
    echo "usage: $0 {install|start|stop|status|env} [postgres|kafka|minio|all]" >&2
    exit 2
}

# Function prefix of each server.
prefix_of() {
    case $1 in
        postgres) echo pg ;;
        kafka) echo kafka ;;
        minio) echo minio ;;
        *) usage ;;
    esac
}

# Rewrite servers.env with the settings of the servers that are running now.
write_env() {
    local file="$CONTIGO_STATE/servers.env" tmp
    mkdir -p "$CONTIGO_STATE"
    tmp=$(mktemp "$file.XXXXXX")
    {
        echo "# Written by deploy/local/servers.sh; load with: set -a; . $file; set +a"
        if pg_running; then pg_env; fi
        if kafka_running; then kafka_env; fi
        if minio_running; then minio_env; fi
    } >"$tmp"
    chmod 0644 "$tmp"
    mv -f "$tmp" "$file"
}

main() {
    local action=${1:-} target=${2:-all} servers s p i
    [[ $# -le 2 && -n $action ]] || usage
    if [[ $target == all ]]; then
        servers=(postgres kafka minio)
    else
        prefix_of "$target" >/dev/null
        servers=("$target")
    fi
    case $action in
        install | start)
            for s in "${servers[@]}"; do
                p=$(prefix_of "$s")
                "${p}_${action}"
            done
            if [[ $action == start ]]; then
                write_env
                info "connection settings: $CONTIGO_STATE/servers.env"
            fi
            ;;
        stop)
            # Reverse order: clients of the database/broker stop first anyway.
            for ((i = ${#servers[@]} - 1; i >= 0; i--)); do
                p=$(prefix_of "${servers[i]}")
                "${p}_stop"
            done
            write_env
            ;;
        status)
            for s in "${servers[@]}"; do
                p=$(prefix_of "$s")
                "${p}_status"
            done
            ;;
        env)
            for s in "${servers[@]}"; do
                p=$(prefix_of "$s")
                "${p}_env"
            done
            ;;
        *) usage ;;
    esac
}

main "$@"
