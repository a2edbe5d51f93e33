#!/usr/bin/env bash
# Prepare this machine: system packages (Debian) and the Python virtualenv.
#   scripts/setup.sh app     what the till needs to run (run-app.sh)
#   scripts/setup.sh tests   that, plus the test tools and the printer emulator (run-tests.sh)
# Safe to run again: it installs only what is missing, and says what it is doing.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-tests}

# libzbar0: one of the decoders (pyzbar). Fonts: Chinese for the screens (Noto CJK) and
# for receipts printed as images, a monospace Latin font. The rest: what Qt needs to
# draw windows (xcb) and play the scan beeps (PulseAudio client).
APT_PACKAGES=(libzbar0 fonts-noto-cjk fonts-droid-fallback fonts-dejavu-core
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0
  libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0
  libdbus-1-3 libpulse0)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "posterm needs Python 3.11 or newer (found $("$PY" --version))" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtualenv in .venv"
  "$PY" -m venv .venv
fi
extras=""; [ "$MODE" = tests ] && extras="[dev]"
stamp=.venv/.posterm-installed-${MODE}
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages${extras:+ and test tools} (first run: a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".${extras}"
  touch "$stamp"
fi
# the screens' Chinese translation (built from the .ts source when Qt's tools are there)
if [ resources/i18n/posterm_zh_CN.ts -nt resources/i18n/posterm_zh_CN.qm ] && [ -x .venv/bin/pyside6-lrelease ]; then
  .venv/bin/pyside6-lrelease -silent resources/i18n/posterm_zh_CN.ts resources/i18n/posterm_en.ts
fi

[ "$MODE" = tests ] || exit 0
# emupos (an ESC/POS printer emulator the printer tests print to) needs Python
# 3.13 in a venv of its own; without Python 3.13 those tests skip and say why.
if [ ! -x .venv-emupos/bin/emupos ]; then
  echo "setup: setting up the emupos printer emulator for the tests"
  scripts/emupos.sh setup >/dev/null 2>&1 || echo "note: emupos not set up (needs Python 3.13); its tests will skip"
fi
