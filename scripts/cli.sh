#!/usr/bin/env bash
# The command line without activating the venv: bash scripts/cli.sh COMMAND [args...]
#
#   loaders   import files, undo an import, the store's status, the demo (demo --ensure, demo --remove)
#   reports   the brief, the meeting pack, the monthly hazard report
#   accounts  accounts, big-screen links, the audit trail
#   settings  the settings and their values (--markdown: the table of docs/settings.md)
#   bench     the benchmarks
#
# It is `.venv/bin/python -m COMMAND args...` with the project on the path, from the directory it is run in
# (so a relative file name is the caller's), creating .venv with requirements.txt first when it is missing.
# `bash scripts/cli.sh loaders --help` (or any command's --help) lists its subcommands and options.
set -euo pipefail

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

command="${1:-}"
case "$command" in
    loaders|reports|accounts|settings|bench) shift ;;
    -h|--help|help) usage; exit 0 ;;
    "") usage >&2; exit 2 ;;
    *) { echo "unknown command '$command' (expected loaders, reports, accounts, settings or bench)"; usage; } >&2
       exit 2 ;;
esac

# shellcheck source=scripts/_setup.sh
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
# The set-up's own output goes to stderr: stdout is the command's (--json, a Markdown brief).
ensure_venv >&2
ensure_requirements requirements.txt >&2

export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
exec "$PY" -m "$command" "$@"
