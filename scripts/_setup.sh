# Shared setup for scripts/run.sh and scripts/test.sh. Source it; do not run it.
#
#   ensure_system_packages PKG...   apt-get install the Debian packages that are missing (update first),
#                                   waiting for another apt/dpkg process to finish first (wait_for_apt_lock)
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

# The locks apt and dpkg take. Another apt (unattended-upgrades, cloud-init, a second run of these scripts)
# holding one makes apt-get fail at once ("Could not get lock …"): wait_for_apt_lock waits for it instead, up
# to APT_LOCK_WAIT_S seconds (default 600), saying on the console what it waits for.
APT_LOCKS=(/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock)
APT_LOCK_POLL_S="${APT_LOCK_POLL_S:-2}"

# The process holding a lock on the file $1 ("1234 (apt-get)"), from /proc/locks (POSIX and flock locks,
# listed by the file's inode); nothing, and status 1, when none does.
lock_holder() {
    local ino pid
    ino="$(stat -c %i "$1" 2>/dev/null)" || return 1
    pid="$(awk -v ino="$ino" '$2 != "->" { n = split($6, d, ":"); if (d[n] == ino) { print $5; exit } }' \
        /proc/locks 2>/dev/null)"
    [ -n "$pid" ] || return 1
    echo "$pid ($(ps -o comm= -p "$pid" 2>/dev/null || echo '?'))"
}

wait_for_apt_lock() {
    local limit="${APT_LOCK_WAIT_S:-600}" start=$SECONDS next_say=0 f held holder
    while :; do
        held="" holder=""
        for f in "${APT_LOCKS[@]}"; do
            if holder="$(lock_holder "$f")"; then held="$f"; break; fi
        done
        if [ -z "$held" ]; then
            [ "$next_say" -eq 0 ] || log "the apt lock is free after $((SECONDS - start)) s: going on"
            return 0
        fi
        if [ $((SECONDS - start)) -ge "$limit" ]; then
            log "another apt/dpkg process (${holder}) still holds ${held} after ${limit} s: giving up" \
                "(let it finish and run this again, or wait longer with APT_LOCK_WAIT_S=1800)"
            return 1
        fi
        if [ $((SECONDS - start)) -ge "$next_say" ]; then  # at once, then once a minute
            log "another apt/dpkg process (${holder}) holds ${held}: waiting for it to finish" \
                "($((SECONDS - start)) s so far, at most ${limit} s: APT_LOCK_WAIT_S)"
            next_say=$((SECONDS - start + 60))
        fi
        sleep "$APT_LOCK_POLL_S"
    done
}

# apt-get with the lock waited for: first here (with a message), then by apt itself should another process
# take the dpkg lock in between (DPkg::Lock::Timeout; `apt-get update`'s lists lock it does not wait for, so
# an update that fails while a lock is held is tried again after the wait).
apt_get() {
    local tries=0
    while :; do
        wait_for_apt_lock || return 1
        if as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="${APT_LOCK_WAIT_S:-600}" "$@"; then
            return 0
        fi
        tries=$((tries + 1))
        local f held=0
        for f in "${APT_LOCKS[@]}"; do
            if lock_holder "$f" >/dev/null; then held=1; fi
        done
        if [ "$held" -eq 0 ] || [ "$tries" -ge 3 ]; then
            return 1
        fi
    done
}

ensure_system_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        deb_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0
    log "installing Debian packages: ${missing[*]}"
    apt_get update
    apt_get install -y --no-install-recommends "${missing[@]}"
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
