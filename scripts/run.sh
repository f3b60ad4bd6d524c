#!/usr/bin/env bash
# THE run command: bash scripts/run.sh [streamlit args...]
#
# Sets up .venv with requirements.txt, then starts the dashboard (app.py: dashboard.py with the login's
# cookie route). The first start builds the demo store data/safety.duckdb (about 30 s) and, with no
# account yet, the account `admin`, whose password is printed once below and written to
# data/initial-admin-password.txt (mode 0600). Set SAFETY_DB to use another store, SAFETY_DEMO=0 for no demo.
# It listens on 127.0.0.1 only, unless SAFETY_ADDRESS says otherwise (e.g. SAFETY_ADDRESS=0.0.0.0, or the
# address a reverse proxy reaches; see README "Serving on a bureau's intranet") or the arguments name a
# --server.address. Extra arguments go to `streamlit run`, e.g. `bash scripts/run.sh --server.port 8502`.
set -euo pipefail

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

address=(--server.address "${SAFETY_ADDRESS:-127.0.0.1}")
for arg in "$@"; do
    case "$arg" in
        --server.address|--server.address=*) address=() ;;
    esac
done
exec "$VENV/bin/streamlit" run app.py "${address[@]}" "$@"
