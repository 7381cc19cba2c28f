# shellcheck shell=bash
# Shared settings and helpers for the local (no-Docker) test servers.
# Sourced by servers.sh; defines paths, ports, logging, pid and health-wait helpers.

# Several variables below are only used by the per-server files that servers.sh sources.
LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034
REPO_DIR="$(cd "$LOCAL_DIR/../.." && pwd)"

# The servers outlive a test run on purpose: they do not carry its marker (see bin/leftovers.py).
unset CONTIGO_TEST_RUN

CONTIGO_CACHE="${CONTIGO_CACHE:-$HOME/.cache/contigo}"
CONTIGO_STATE="${CONTIGO_STATE:-$CONTIGO_CACHE/state}"
# shellcheck disable=SC2034
CONTIGO_LOGS="$CONTIGO_STATE/logs"
CONTIGO_START_TIMEOUT="${CONTIGO_START_TIMEOUT:-120}"
CONTIGO_BIND="127.0.0.1"

CONTIGO_PG_PORT="${CONTIGO_PG_PORT:-55432}"
CONTIGO_KAFKA_PORT="${CONTIGO_KAFKA_PORT:-59092}"
CONTIGO_KAFKA_CONTROLLER_PORT="${CONTIGO_KAFKA_CONTROLLER_PORT:-59093}"
CONTIGO_MINIO_PORT="${CONTIGO_MINIO_PORT:-59000}"
CONTIGO_MINIO_CONSOLE_PORT="${CONTIGO_MINIO_CONSOLE_PORT:-59001}"
CONTIGO_MINIO_USER="${CONTIGO_MINIO_USER:-contigo}"
CONTIGO_MINIO_PASSWORD="${CONTIGO_MINIO_PASSWORD:-contigo-secret}"

info() { printf '[servers] %s\n' "$*" >&2; }
die() { printf '[servers] ERROR: %s\n' "$*" >&2; exit 1; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
    (exec 3<>"/dev/tcp/$CONTIGO_BIND/$1") 2>/dev/null
}

# pid_alive PIDFILE PATTERN: true when PIDFILE names a live process whose
# command line contains PATTERN (guards against pid reuse).
pid_alive() {
    local pidfile=$1 pattern=$2 pid
    [[ -s $pidfile ]] || return 1
    pid=$(<"$pidfile")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern"
}

# stop_pid NAME PIDFILE PATTERN [GRACE_SECONDS]: TERM, wait, then KILL.
stop_pid() {
    local name=$1 pidfile=$2 pattern=$3 grace=${4:-60} pid i
    if ! pid_alive "$pidfile" "$pattern"; then
        rm -f "$pidfile"
        info "$name: already stopped"
        return 0
    fi
    pid=$(<"$pidfile")
    info "$name: stopping (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 5; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        info "$name: did not stop within ${grace}s, killing"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
    fi
    rm -f "$pidfile"
    info "$name: stopped"
}

# require_port_free NAME PORT: fail clearly if a foreign process holds the port.
require_port_free() {
    if port_open "$2"; then
        die "$1: port $CONTIGO_BIND:$2 is already in use by another process (not started by these scripts)"
    fi
}

# wait_healthy NAME LOGFILE CHECK_FUNCTION: poll CHECK_FUNCTION until it succeeds
# or CONTIGO_START_TIMEOUT elapses; on timeout print the log tail and fail.
wait_healthy() {
    local name=$1 logfile=$2 check=$3 start=$SECONDS
    while ((SECONDS - start < CONTIGO_START_TIMEOUT)); do
        if "$check"; then
            info "$name: healthy after $((SECONDS - start))s"
            return 0
        fi
        sleep 0.5
    done
    {
        printf '[servers] ---- last 40 lines of %s ----\n' "$logfile"
        tail -n 40 "$logfile" 2>/dev/null || true
        printf '[servers] ----\n'
    } >&2
    return 1
}

# sha_of FILE: content hash, used as an install marker.
sha_of() {
    sha256sum "$1" | cut -d' ' -f1
}

# rotate_log FILE: keep one previous generation once FILE exceeds 20 MB.
rotate_log() {
    if [[ -f $1 ]] && (($(stat -c %s "$1") > 20 * 1024 * 1024)); then
        mv -f "$1" "$1.1"
    fi
}
