"""The Qt binding must not leak or steal references: a till runs all day.

PySide6 6.12.0 on Python 3.11 lost a reference to ``True`` on every signal
emit and one to ``None`` on every Qt call returning nothing; after a few
thousand calls CPython aborted ("bool_dealloc"). pyproject pins a sound version;
this test fails if a future one does the same.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal(int)


def test_emits_and_void_calls_keep_their_references(qtbot) -> None:
    emitter = _Emitter()
    label = QLabel()
    qtbot.addWidget(label)
    received: list[int] = []
    emitter.fired.connect(received.append)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(2_000):
        emitter.fired.emit(i)
        label.setText(str(i))
    assert len(received) == 2_000
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(None) - before_none) < 50
