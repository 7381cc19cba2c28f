#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests and prints its path.
# Idempotent: installs the `chromium` package only when no chromium is on PATH. Playwright's own
# browser download (`playwright install`) is never used: it cannot reach its download host here.
#   deploy/local/browser.sh            -> /usr/bin/chromium
# CONTIGO_CHROMIUM overrides the executable (it must exist).
set -euo pipefail

if [ -n "${CONTIGO_CHROMIUM:-}" ]; then
    [ -x "$CONTIGO_CHROMIUM" ] || { echo "browser: CONTIGO_CHROMIUM=$CONTIGO_CHROMIUM is not executable" >&2; exit 1; }
    echo "$CONTIGO_CHROMIUM"
    exit 0
fi

if ! command -v chromium >/dev/null 2>&1; then
    echo "browser: installing Debian's chromium package" >&2
    sudo_cmd=()
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "browser: chromium is missing and installing it needs root" >&2; exit 1; }
        sudo_cmd=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq >&2
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium >&2
fi
command -v chromium
