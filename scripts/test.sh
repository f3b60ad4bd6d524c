#!/usr/bin/env bash
# THE test command: bash scripts/test.sh [pytest args...]
#
# Sets up what the tests need (Debian's chromium + Noto CJK fonts, LibreOffice Impress + poppler-utils for
# the meeting pack's PDF, .venv with requirements.txt and requirements-test.txt), then runs ruff and the whole pytest suite, browser tests included.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k apptest -x`.
set -euo pipefail

# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
cd "$ROOT"

# The browser tests drive Debian's chromium (never a Playwright-downloaded browser) and need CJK fonts.
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
deb_installed fonts-noto-cjk || need+=(fonts-noto-cjk)
# The meeting pack's PDF is rendered by LibreOffice Impress from the PPTX; its tests read it with pdftotext.
# (Impress with or without its GUI: either converts headless.)
deb_installed libreoffice-impress-nogui || deb_installed libreoffice-impress || need+=(libreoffice-impress-nogui)
deb_installed poppler-utils || need+=(poppler-utils)
if [ "${#need[@]}" -gt 0 ]; then
    ensure_system_packages "${need[@]}"
fi

ensure_venv
ensure_requirements requirements.txt requirements-test.txt

log "ruff check ."
"$VENV/bin/ruff" check .
log "ruff format --check ."
"$VENV/bin/ruff" format --check .

# In parallel with pytest-xdist: TEST_WORKERS processes (default 2, one per core of the CI machine; 0 runs
# everything in this process). --dist worksteal: each worker starts on its own contiguous half of the
# tests (a module's fixtures mostly built once) and takes over the other's tail when it runs out.
# Extra arguments come last, so `bash scripts/test.sh -n 0` still wins.
workers="${TEST_WORKERS:-2}"
log "pytest -n $workers --dist worksteal $*"
rc=0
"$PY" -m pytest -n "$workers" --dist worksteal "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    log "pytest collected no tests: that is a failure"
    exit 1
fi
exit "$rc"
