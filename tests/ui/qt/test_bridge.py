"""Core events reach the GUI as Qt signals, on the GUI thread, whatever thread emitted them."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from terminal import events
from ui.qt.bridge import CoreSignals


def test_a_core_event_from_a_worker_thread_arrives_as_a_signal_on_the_gui_thread(qtbot) -> None:
    bus = events.EventBus()
    signals = CoreSignals(bus)
    gui_thread = QThread.currentThread()
    seen: list[tuple[dict, bool]] = []
    signals.sale_committed.connect(
        lambda details: seen.append((details, QThread.currentThread() is gui_thread))
    )
    try:
        with qtbot.waitSignal(signals.sale_committed, timeout=10_000):
            worker = threading.Thread(
                target=lambda: bus.emit("sale_committed", sale_id="s1", receipt_no="R-1")
            )
            worker.start()
            worker.join()
        assert seen == [({"sale_id": "s1", "receipt_no": "R-1"}, True)]
    finally:
        signals.close()
    # closed: no longer relayed (emitted on the GUI thread, a relay would deliver at once)
    bus.emit("sale_committed", sale_id="s2", receipt_no="R-2")
    assert len(seen) == 1
