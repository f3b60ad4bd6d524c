#!/usr/bin/env bash
# THE run command: bash scripts/run.sh [--port N] [--address A] [streamlit args...]
#
# Sets up .venv with requirements.txt, makes the store ready — the first start builds the demo store
# data/safety.duckdb (about 5–30 s, its progress shown) and, with no account yet, creates the account `admin`,
# whose password is printed once below and written to data/initial-admin-password.txt (mode 0600) — then
# starts the dashboard (app.py: dashboard.py with the login's cookie route). Set SAFETY_DB to use another store,
# SAFETY_DEMO=0 to start a new store empty (docs/settings.md lists every setting).
#
#   --port N      the port (default 8501, or SAFETY_PORT). A port already taken stops here with a message
#                 saying how to choose another (Streamlit would otherwise move to the next one silently).
#   --address A   where it listens (default 127.0.0.1, this machine only, or SAFETY_ADDRESS): 0.0.0.0 for every
#                 interface, so that other machines reach http://<this machine>:<port>; or the address a
#                 reverse proxy reaches (docs/accounts.md, "Serving on a bureau's intranet").
# Other arguments go to `streamlit run` (--server.port and --server.address are read as --port and --address).
set -euo pipefail

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

port="${SAFETY_PORT:-8501}"
address="${SAFETY_ADDRESS:-127.0.0.1}"
rest=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --port|--server.port)
            [ "$#" -ge 2 ] || { echo "$1 needs a value, e.g. $1 8600" >&2; exit 2; }
            port="$2"; shift 2 ;;
        --port=*|--server.port=*) port="${1#*=}"; shift ;;
        --address|--server.address)
            [ "$#" -ge 2 ] || { echo "$1 needs a value, e.g. $1 0.0.0.0" >&2; exit 2; }
            address="$2"; shift 2 ;;
        --address=*|--server.address=*) address="${1#*=}"; shift ;;
        *) rest+=("$1"); shift ;;
    esac
done

# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
cd "$ROOT"

# Server-side drawings need CJK fonts (the meeting pack's map image and PDF), and the pack's PDF needs
# LibreOffice Impress; both are installed once, when missing.
need=()
deb_installed fonts-noto-cjk || need+=(fonts-noto-cjk)
deb_installed libreoffice-impress-nogui || deb_installed libreoffice-impress || need+=(libreoffice-impress-nogui)
if [ "${#need[@]}" -gt 0 ]; then
    ensure_system_packages "${need[@]}"
fi

ensure_venv
ensure_requirements requirements.txt

# The port before anything slow: taken, or not a port, stops here with one line saying what to do.
"$PY" scripts/check_port.py "$address" "$port"

# The store before the server: built (or created empty) now, with its progress, not at the first page.
"$PY" -m loaders demo --ensure

case "$address" in
    127.0.0.1|localhost|::1)
        log "本机访问 open http://localhost:$port (this machine only; --address 0.0.0.0 for other machines)" ;;
    0.0.0.0|::)
        log "open http://localhost:$port here, http://$(hostname -I 2>/dev/null | awk '{print $1}'):$port from other machines" ;;
    *)
        log "open http://$address:$port" ;;
esac
exec "$VENV/bin/streamlit" run app.py --server.port "$port" --server.address "$address" ${rest[@]+"${rest[@]}"}
