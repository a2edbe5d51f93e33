"""GUI tests run offscreen through pytest-qt, each on a fresh copy of the demo store."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from terminal.config import DataDir
from terminal.home import TerminalHome


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo data directory built once (store, config printing to a file, keys)."""
    from ui.cli import main

    d = tmp_path_factory.mktemp("gui-demo")
    assert main(["demo", "--data-dir", str(d), "--members", "30"]) == 0
    return d


@pytest.fixture
def home(demo_dir: Path, tmp_path: Path) -> Iterator[TerminalHome]:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    config = data / "config.toml"  # receipts go to this copy's file, not the template's
    text = config.read_text(encoding="utf-8").replace(str(demo_dir), str(data))
    # screen texts and messages in English, so tests read the source strings; the
    # Chinese screens are checked by test_translations and the language switch in
    # test_gui_manager
    config.write_text(text.replace('language = "zh_CN"', 'language = "en"'), encoding="utf-8")
    opened = TerminalHome.open(data)
    yield opened
    opened.close()


@pytest.fixture
def window(qtbot, home: TerminalHome):  # type: ignore[no-untyped-def]
    yield from open_window(qtbot, home)


def open_window(qtbot, home: TerminalHome):  # type: ignore[no-untyped-def]
    """The till's main window on ``home``, shown; closed down after the test."""
    from terminal.status import status
    from ui.qt import ops
    from ui.qt.app import application, build

    # one process is one till: its status object outlives a test's window, so each
    # window starts from a till that has not yet met its printer, camera or HQ
    status.set("printer", "unknown")
    status.set("camera", "unknown")
    status.set("hq", "not_configured", "hq_not_configured", waiting=0)
    application()
    win = build(home)
    qtbot.addWidget(win)
    win.show()
    yield win
    ops.wait_all(20_000)
    if win.ctx.sync_agent is not None:  # started by a test, or by enrolling in Settings
        win.ctx.sync_agent.stop()


def receipt_bytes(home: TerminalHome) -> bytes:
    path = DataDir(home.data.root).root / "receipt.bin"
    return path.read_bytes() if path.exists() else b""
