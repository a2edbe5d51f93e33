#!/usr/bin/env bash
# Set up and run the till on a demo store (embedded SQLite, no HQ needed): the desktop
# till, or the keyboard till on a machine with no display. Arguments go to posterm.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh app
export POSTERM_DATA_DIR=${POSTERM_DATA_DIR:-$PWD/demo-data}
if [ ! -f "$POSTERM_DATA_DIR/store.sqlite3" ]; then
  echo "run-app: creating the demo store in $POSTERM_DATA_DIR"
  .venv/bin/posterm demo
fi
exec .venv/bin/posterm "$@"
