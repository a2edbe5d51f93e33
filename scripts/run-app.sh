#!/usr/bin/env bash
# Set up and run the terminal on a demo store (embedded SQLite, no HQ needed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export POSTERM_DATA_DIR=${POSTERM_DATA_DIR:-$PWD/demo-data}
[ -f "$POSTERM_DATA_DIR/store.sqlite3" ] || .venv/bin/posterm demo
exec .venv/bin/posterm till "$@"
