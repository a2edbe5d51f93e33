"""Every text on the screens has its Simplified Chinese translation (zh_CN is the default).

The test runs ``pyside6-lupdate`` over ``ui/qt`` into a scratch copy of the
``.ts`` source, so a new ``self.tr("...")`` without a translation fails here,
not in front of a cashier; and the committed ``.qm`` must be built from the
committed ``.ts``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TS = ROOT / "resources" / "i18n" / "posterm_zh_CN.ts"


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} comes with PySide6"
    return found


def test_every_screen_text_is_translated(tmp_path: Path) -> None:
    scratch = tmp_path / "posterm_zh_CN.ts"
    shutil.copy(TS, scratch)
    sources = sorted(str(p) for p in (ROOT / "ui" / "qt").rglob("*.py"))
    subprocess.run(
        [_tool("pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(scratch)],
        check=True,
        capture_output=True,
    )
    untranslated = sorted(
        m.findtext("source") or ""
        for m in ET.parse(scratch).getroot().iter("message")
        if not (m.findtext("translation") or "").strip()
        or m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    )
    assert untranslated == [], "run scripts/i18n.sh and translate these in the .ts"


def test_the_committed_qm_matches_the_ts(tmp_path: Path) -> None:
    built = tmp_path / "posterm_zh_CN.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS), "-qm", str(built)], check=True, capture_output=True
    )
    assert built.read_bytes() == (TS.with_suffix(".qm")).read_bytes()
