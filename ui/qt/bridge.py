"""Core events as Qt signals (after Electrum's ``QtEventListener``).

The core announces events on whatever thread made the change (often a worker
of :mod:`ui.qt.ops`); a :class:`CoreSignals` object living on the GUI thread
re-emits each one as a Qt signal, which Qt delivers on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from terminal import events


class CoreSignals(QObject):
    """One signal per core event, each carrying the event's details as a dict."""

    sale_committed = Signal(dict)
    return_committed = Signal(dict)
    shift_opened = Signal(dict)
    shift_closed = Signal(dict)
    member_attached = Signal(dict)
    print_queue_changed = Signal(dict)
    outbox_changed = Signal(dict)
    store_replaced = Signal(dict)
    status_changed = Signal(dict)

    def __init__(self, bus: events.EventBus | None = None) -> None:
        super().__init__()
        self._off: list[Callable[[], None]] = []
        bus = bus or events.bus
        for name in events.EVENTS:
            signal = getattr(self, name)
            self._off.append(bus.subscribe(name, self._relay(signal)))  # type: ignore[arg-type]

    @staticmethod
    def _relay(signal: Any) -> Callable[..., None]:
        def relay(**details: Any) -> None:
            signal.emit(details)

        return relay

    def close(self) -> None:
        """Stop listening (the window is going away)."""
        for off in self._off:
            off()
        self._off.clear()
