# Sourced by bin/run and bin/test: puts uv on PATH (installing it from PyPI if missing)
# and syncs the workspace environment from the committed lock file.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! command -v uv >/dev/null 2>&1; then
    echo "bootstrap: installing uv from PyPI" >&2
    python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
    export PATH="$HOME/.local/bin:$PATH"
    command -v uv >/dev/null 2>&1 || uv() { python3 -m uv "$@"; }
fi
export UV_PYTHON_DOWNLOADS=never
uv sync --frozen --quiet
