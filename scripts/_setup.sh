# Shared setup for scripts/run.sh and scripts/test.sh. Source it; do not run it.
#
#   ensure_system_packages PKG...   apt-get install the Debian packages that are missing (update first)
#   ensure_venv                     .venv with Python 3.11 in the project (created if missing)
#   ensure_requirements FILE...     pip install -r FILE... unless a stamp says these exact files are installed
#
# Everything is idempotent and fast on a rerun: nothing is downloaded when nothing changed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

log() { printf '==> %s\n' "$*" >&2; }

# Root runs apt-get itself; anyone else goes through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root for: $* (not root, and no sudo)"
        return 1
    fi
}

deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

ensure_system_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        deb_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

# The interpreter for a new venv: python3.11 if there is one, else python3 (3.11 on Debian 12).
base_python() {
    if command -v python3.11 >/dev/null 2>&1; then echo python3.11; else echo python3; fi
}

ensure_venv() {
    if [ -x "$PY" ] && "$PY" -c 'import sys' >/dev/null 2>&1; then
        return 0
    fi
    local py
    py="$(base_python)"
    if ! command -v "$py" >/dev/null 2>&1; then
        ensure_system_packages python3
        py="$(base_python)"
    fi
    # Debian splits venv/ensurepip into python3-venv.
    if ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        ensure_system_packages python3-venv
    fi
    log "creating $VENV with $("$py" --version 2>&1)"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
}

# One stamp per requirements file, holding its sha256: run.sh (runtime only) and test.sh
# (runtime + test) do not undo each other's stamps.
_stamp() { echo "$VENV/.installed-$(basename "$1").sha256"; }

ensure_requirements() {
    local todo=() f
    for f in "$@"; do
        if [ "$(cat "$(_stamp "$f")" 2>/dev/null)" != "$(sha256sum "$ROOT/$f" | cut -d' ' -f1)" ]; then
            todo+=("$f")
        fi
    done
    [ "${#todo[@]}" -eq 0 ] && return 0
    local args=()
    for f in "${todo[@]}"; do args+=(-r "$ROOT/$f"); done
    log "pip install ${args[*]}"
    "$PY" -m pip install --disable-pip-version-check "${args[@]}"
    for f in "${todo[@]}"; do
        sha256sum "$ROOT/$f" | cut -d' ' -f1 >"$(_stamp "$f")"
    done
}
