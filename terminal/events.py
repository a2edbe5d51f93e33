"""Core events: what happened, announced after it was committed.

A small thread-safe registry (after Electrum's ``CallbackManager``): front
ends and the sync agent :func:`subscribe` to an event name; the core
:func:`emit`\\s after the transaction that made the change has committed, so
a listener never sees a change that could still roll back. Listeners run on
the emitting thread: the GUI re-emits each event as a Qt signal to reach its
own thread, the sync agent only wakes up. A listener that raises is logged
and does not stop the others, nor the sale that emitted the event.

Events and what they carry (keyword arguments):

``sale_committed``      sale_id, receipt_no, kind ("sale")
``return_committed``    sale_id, receipt_no, original_sale_id
``shift_opened``        shift_id, terminal_id
``shift_closed``        shift_id, terminal_id
``member_attached``     member_no (None when the member was taken off the basket)
``print_queue_changed`` (nothing: read the queue)
``outbox_changed``      (nothing: read the outbox)
``store_replaced``      path (the store file was replaced under this process)
``status_changed``      part ("printer", "camera" or "hq": read terminal.status)
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Callable
from typing import Any, Literal

log = logging.getLogger(__name__)

Event = Literal[
    "sale_committed",
    "return_committed",
    "shift_opened",
    "shift_closed",
    "member_attached",
    "print_queue_changed",
    "outbox_changed",
    "store_replaced",
    "status_changed",
]
EVENTS: tuple[str, ...] = Event.__args__  # type: ignore[attr-defined]

Listener = Callable[..., None]


class EventBus:
    """Subscribe to and emit core events; safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[str, list[Listener]] = defaultdict(list)

    def subscribe(self, event: Event, listener: Listener) -> Callable[[], None]:
        """Call ``listener(**details)`` on every ``event``; returns the unsubscribe call."""
        if event not in EVENTS:
            raise ValueError(f"unknown event {event!r}")
        with self._lock:
            self._listeners[event].append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners[event]:
                    self._listeners[event].remove(listener)

        return unsubscribe

    def emit(self, event: Event, **details: Any) -> None:
        """Tell every listener of ``event``; a failing listener is logged, never raised."""
        if event not in EVENTS:
            raise ValueError(f"unknown event {event!r}")
        with self._lock:
            listeners = list(self._listeners[event])
        for listener in listeners:
            try:
                listener(**details)
            except Exception:
                log.exception("listener of %s failed", event)


bus = EventBus()
"""The process's event bus; tests may make their own :class:`EventBus`."""

subscribe = bus.subscribe
emit = bus.emit
