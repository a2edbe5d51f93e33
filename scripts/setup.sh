#!/usr/bin/env bash
# Prepare a fresh machine: system packages (Debian) and the Python virtualenv.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: libzbar0 for pyzbar (one of the decoders); a CJK font and a
# monospace Latin font for receipts printed as images (printers without Chinese).
APT_PACKAGES=(libzbar0 fonts-droid-fallback fonts-dejavu-core)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "posterm needs Python 3.11 or newer (found $("$PY" --version))" >&2; exit 1; }
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.posterm-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev]"
  touch "$stamp"
fi

# emupos (an ESC/POS printer emulator the printer tests print to) needs Python
# 3.13 in a venv of its own; without Python 3.13 those tests skip and say why.
if [ ! -x .venv-emupos/bin/emupos ]; then
  scripts/emupos.sh setup >/dev/null 2>&1 || echo "note: emupos not set up (needs Python 3.13); its tests will skip"
fi
