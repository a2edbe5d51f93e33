#!/usr/bin/env bash
# Update the Qt translation sources from ui/qt (pyside6-lupdate) and build the .qm files
# the GUI loads (pyside6-lrelease). Run after changing any self.tr("...") text; then
# translate new entries in resources/i18n/posterm_zh_CN.ts (Qt Linguist or by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(find ui/qt -name '*.py' | sort)
.venv/bin/pyside6-lupdate -no-obsolete "${sources[@]}" -ts resources/i18n/posterm_zh_CN.ts resources/i18n/posterm_en.ts
.venv/bin/pyside6-lrelease resources/i18n/posterm_zh_CN.ts resources/i18n/posterm_en.ts
