#!/usr/bin/env bash
# THE run command: bash scripts/run.sh [streamlit args...]
#
# Sets up .venv with requirements.txt, then starts the dashboard. The first start builds the demo
# store data/safety.duckdb (about 30 s); set SAFETY_DB to use another store, SAFETY_DEMO=0 for no demo.
# Extra arguments go to `streamlit run`, e.g. `bash scripts/run.sh --server.port 8502`.
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

exec "$VENV/bin/streamlit" run dashboard.py "$@"
