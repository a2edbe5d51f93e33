#!/usr/bin/env bash
# Set up and run emupos, the ESC/POS printer simulator used by tests/devices/test_printer_emupos.py.
#
#   scripts/emupos.sh setup   # make .venv-emupos with Python 3.13 and install emupos
#   scripts/emupos.sh run     # printer "front" on 127.0.0.1:9100, control API on 127.0.0.1:8765
#
# emupos needs Python >= 3.13, so it lives in its own venv, never in .venv.
# Set PYTHON313 to the interpreter if it is not on PATH or under pyenv.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-emupos

find_python() {
    for candidate in "${PYTHON313:-}" python3.13 "$HOME/.pyenv/versions/3.13.0/bin/python3.13"; do
        # run it, not just look it up: a pyenv shim exists but refuses to run
        # when that version is not the selected one
        if [ -n "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 13))' >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    echo "python3.13 not found; set PYTHON313=/path/to/python3.13" >&2
    return 1
}

case "${1:-run}" in
setup)
    py=$(find_python)
    [ -x "$VENV/bin/python" ] || "$py" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade "emupos>=0.4,<0.5"
    "$VENV/bin/emupos" --version
    ;;
run)
    [ -x "$VENV/bin/emupos" ] || { echo "run: scripts/emupos.sh setup first" >&2; exit 1; }
    root=$(pwd)
    dir=${EMUPOS_DIR:-${TMPDIR:-/tmp}/posterm-emupos}
    mkdir -p "$dir"
    cat >"$dir/emupos.yaml" <<YAML
schema: 1
api: { host: 127.0.0.1, port: ${EMUPOS_API_PORT:-8765} }
devices:
  - id: front
    type: printer
    profile: epson-tm-t20iii
    connections:
      - tcp: { port: ${EMUPOS_PORT:-9100} }
    receipts_dir: ./receipts
YAML
    cd "$dir"
    exec "$root/$VENV/bin/emupos" run --config emupos.yaml
    ;;
*)
    echo "usage: $0 setup|run" >&2
    exit 2
    ;;
esac
